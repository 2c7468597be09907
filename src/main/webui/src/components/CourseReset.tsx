import { useState } from "preact/hooks";
import { api, ApiError, type Course } from "../api";
import { Alert } from "./ui";

/**
 * "Reset all labs of the course": every student's lab (or those of one template) goes back to its
 * template. Since all their work is lost, the course's code must be typed first; the server checks it too.
 */
export function CourseReset({ course }: { course: Course }) {
  const [templateId, setTemplateId] = useState("");
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const template = course.templates.find((t) => t.id === templateId);
  const reset = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const result = await api.resetCourseLabs(course.id, typed, templateId || null);
      setDone(`${result.labs} ${result.labs === 1 ? "lab is" : "labs are"} being reset.`);
      setTyped("");
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form" onSubmit={(e) => void reset(e)}>
      <p id="course-reset-what">
        Everything saved in each student's lab since it started from its template — files, installed packages, settings — is lost;
        {" "}running labs restart from {template ? template.name : "their templates"}, stopped ones stay stopped.
      </p>
      <div class="row">
        <div class="field"><label for="course-reset-template">Labs of</label>
          <select id="course-reset-template" value={templateId} onChange={(e) => setTemplateId((e.target as HTMLSelectElement).value)}>
            <option value="">every template</option>
            {course.templates.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select></div>
        <div class="field"><label for="course-reset-confirm">Type {course.code} to confirm</label>
          <input id="course-reset-confirm" value={typed} autocomplete="off" aria-describedby="course-reset-what"
            onInput={(e) => setTyped((e.target as HTMLInputElement).value)} /></div>
        <div class="field field-button">
          <button type="submit" class="btn btn-danger" disabled={busy || typed.trim() !== course.code}>
            {busy ? "Resetting…" : "Reset all labs of the course"}</button></div>
      </div>
      {error && <Alert>{error}</Alert>}
      {done && <p role="status">{done}</p>}
    </form>
  );
}
