import { useRef, useState } from "preact/hooks";
import { api, ApiError, type RosterReport } from "../api";
import { Alert } from "./ui";

const OUTCOME: Record<string, string> = {
  CREATED: "Created", ENROLLED: "Enrolled", ALREADY_ENROLLED: "Already enrolled", DUPLICATE: "Duplicate", REJECTED: "Rejected",
};

/** Uploads a roster CSV (check first, or apply) and shows the per-row report, with each new student's one-time link. */
export function RosterUpload({ courseId, onApplied }: { courseId: string; onApplied: () => void }) {
  const file = useRef<HTMLInputElement>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [report, setReport] = useState<RosterReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (dryRun: boolean) => {
    const f = file.current?.files?.[0];
    if (!f) {
      setError("Choose a CSV file first.");
      file.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.uploadRoster(courseId, f, { skipInvalid, dryRun });
      setReport(r);
      if (r.applied) onApplied();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setReport(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="card form">
      <p class="hint">A CSV file in UTF-8 with a header row: <code>username,display name,email</code>. Unknown users get an
        account and a one-time link to set their password. A file with a bad row changes nothing unless you skip bad rows.</p>
      <div class="row">
        <div class="field"><label for="roster-file">Roster file (CSV)</label>
          <input id="roster-file" ref={file} type="file" accept=".csv,text/csv" /></div>
        <label class="check"><input type="checkbox" checked={skipInvalid} onChange={() => setSkipInvalid(!skipInvalid)} /> Skip bad rows</label>
      </div>
      <div class="actions">
        <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void send(true)}>Check without changing</button>
        <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void send(false)}>{busy ? "Uploading…" : "Upload roster"}</button>
      </div>
      {error && <Alert>{error}</Alert>}
      {report && (
        <div role="status" aria-live="polite">
          <p><strong>{report.applied ? "Applied" : "Checked, nothing changed"}:</strong> {report.rows} rows — {report.created} created,{" "}
            {report.enrolled} enrolled, {report.alreadyEnrolled} already enrolled, {report.duplicates} duplicates, {report.rejected} rejected.</p>
          <div class="table-wrap">
            <table class="table table-dense">
              <caption class="sr-only">Roster report, one line per row</caption>
              <thead><tr><th scope="col">Row</th><th scope="col">Username</th><th scope="col">Outcome</th><th scope="col">Reason or link</th></tr></thead>
              <tbody>
                {report.results.map((r) => (
                  <tr key={r.row} data-testid="roster-row" data-outcome={r.outcome}>
                    <td>{r.row}</td><th scope="row">{r.username}</th><td>{OUTCOME[r.outcome]}</td>
                    <td>{r.reason ? `${r.field}: ${r.reason}` : r.setPasswordLink
                      ? <input aria-label={`Set-password link of ${r.username}`} readOnly value={location.origin + r.setPasswordLink} /> : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}
