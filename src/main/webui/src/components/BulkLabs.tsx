import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type Course, type Progress, type ProvisionResult } from "../api";
import { Alert } from "./ui";

/** "A lab for every student": start the missing labs of a template and follow n of N running (re-read every 3 s). */
export function BulkLabs({ course }: { course: Course }) {
  const [templateId, setTemplateId] = useState(course.templates[0]?.id ?? "");
  const [result, setResult] = useState<ProvisionResult | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!templateId) return;
    let stop = false;
    const read = () => api.progress(course.id, templateId).then((p) => !stop && setProgress(p), () => {});
    void read();
    const t = setInterval(() => document.visibilityState === "visible" && void read(), 3000);
    return () => { stop = true; clearInterval(t); };
  }, [course.id, templateId]);

  if (course.templates.length === 0) return <p class="muted">The course offers no template yet.</p>;
  const provision = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.provision(course.id, templateId));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="card form">
      <div class="row">
        <div class="field"><label for="bulk-template">Template</label>
          <select id="bulk-template" value={templateId} onChange={(e) => setTemplateId((e.target as HTMLSelectElement).value)}>
            {course.templates.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select></div>
        <div class="field field-button">
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void provision()}>
            {busy ? "Creating labs…" : "Create missing labs"}</button></div>
      </div>
      {error && <Alert>{error}</Alert>}
      {result && <p role="status">{result.created} labs created, {result.existing} existed already
        {result.refused.length > 0 && <>, {result.refused.length} refused: {result.refused.map((r) => `${r.username} (${r.reason})`).join("; ")}</>}.</p>}
      {progress && (
        <div aria-live="polite">
          <p data-testid="bulk-progress"><strong>{progress.running} of {progress.students} running</strong>, {progress.onTheWay} on their way,{" "}
            {progress.failed.length} failed, {progress.missing.length} without a lab.</p>
          <progress style={{ width: "100%" }} max={Math.max(progress.students, 1)} value={progress.running} aria-label="Labs running" />
          {progress.failed.length > 0 && (
            <ul aria-label="Failed labs">{progress.failed.map((f) => <li key={f.username}>{f.username}: {f.reason ?? "failed"}</li>)}</ul>
          )}
        </div>
      )}
    </div>
  );
}
