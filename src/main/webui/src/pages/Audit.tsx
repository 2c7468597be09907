import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type AuditEvent } from "../api";
import { Alert, Empty, Loading, PageHeader } from "../components/ui";
import { bytes, duration, when } from "../format";
import { useTitle } from "../hooks";
import { navigate } from "../router";

export function Audit() {
  useTitle("Audit log");
  const initial = new URLSearchParams(location.search).get("labId") ?? "";
  const [labId, setLabId] = useState(initial);
  const [applied, setApplied] = useState(initial);
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    setEvents(null);
    setError(null);
    api.audit(applied || null).then(
      (page) => { setEvents(page.items); setCursor(page.nextCursor ?? null); },
      (e) => setError(e instanceof ApiError ? e.message : String(e)),
    );
  }, [applied, reloads]);

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api.audit(applied || null, cursor);
      setEvents((ev) => [...(ev ?? []), ...page.items]);
      setCursor(page.nextCursor ?? null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const submit = (e: Event) => {
    e.preventDefault();
    const v = labId.trim();
    navigate(v ? `/audit?labId=${encodeURIComponent(v)}` : "/audit", true);
    setApplied(v);
    setReloads((n) => n + 1);
  };

  return (
    <>
      <PageHeader title="Audit log" lead="Who did what to which lab, and every console and screen session with its bytes each way." />
      <form class="filter-bar" onSubmit={submit} role="search">
        <div class="field field-inline">
          <label for="audit-lab">Lab ID</label>
          <input id="audit-lab" value={labId} placeholder="all labs" onInput={(e) => setLabId((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="btn btn-secondary btn-sm">Filter</button>
        {applied && <button type="button" class="btn btn-ghost btn-sm" onClick={() => { setLabId(""); setApplied(""); navigate("/audit", true); }}>Show all</button>}
      </form>
      {error && <Alert>{error}</Alert>}
      {!events ? (
        !error && <Loading label="Loading the audit log…" />
      ) : events.length === 0 ? (
        <Empty title={applied ? "Nothing recorded for this lab" : "Nothing recorded yet"} />
      ) : (
        <>
          <div class="table-wrap">
            <table class="table table-dense">
              <caption class="sr-only">Audit events</caption>
              <thead>
                <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Lab</th><th scope="col">From</th><th scope="col">Session</th><th scope="col">Detail</th></tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id}>
                    <td class="nowrap">{when(e.at)}</td>
                    <td>{e.actor ?? "–"}</td>
                    <td><span class="pill">{e.action}</span></td>
                    <td>{e.labId ? <button type="button" class="link-button mono" title="Show only this lab"
                      onClick={() => { setLabId(e.labId!); setApplied(e.labId!); navigate(`/audit?labId=${encodeURIComponent(e.labId!)}`, true); }}>{e.labId.slice(0, 8)}</button> : "–"}</td>
                    <td class="mono">{e.address ?? "–"}</td>
                    <td class="nowrap">{e.startedAt ? `${duration(e.startedAt, e.at)} · ↑${bytes(e.bytesIn)} ↓${bytes(e.bytesOut)}` : "–"}</td>
                    <td>{e.detail ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {cursor && <p><button type="button" class="btn btn-secondary" disabled={loadingMore} onClick={() => void more()}>{loadingMore ? "Loading…" : "Show older"}</button></p>}
        </>
      )}
    </>
  );
}
