import { useState } from "preact/hooks";
import type { Me } from "../api";
import { LabActions } from "../components/LabActions";
import { Alert, Empty, Link, Loading, PageHeader, StateBadge } from "../components/ui";
import { ago, remaining, startTook } from "../format";
import { useNow, useTitle } from "../hooks";
import { useFeed } from "../labs";

export function AllLabs({ me }: { me: Me }) {
  useTitle("All labs");
  const feed = useFeed();
  const now = useNow();
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState("");
  const q = filter.trim().toLowerCase();
  const labs = feed.labs?.filter((l) => !q || l.owner.toLowerCase().includes(q) || l.templateName.toLowerCase().includes(q) || l.state.toLowerCase() === q);
  const lead = me.role === "admin" ? "Every lab on this controller, live." : "Labs started from your templates, live.";
  return (
    <>
      <PageHeader title="All labs" lead={lead}>
        <div class="field field-inline">
          <label for="lab-filter">Filter</label>
          <input id="lab-filter" type="search" placeholder="owner, template or state" value={filter}
            onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        </div>
      </PageHeader>
      {error && <Alert onDismiss={() => setError(null)}>{error}</Alert>}
      {!labs ? (
        <Loading />
      ) : labs.length === 0 ? (
        <Empty title={q ? "No lab matches the filter" : "No labs are running on this controller"} />
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">All labs</caption>
            <thead><tr><th scope="col">Owner</th><th scope="col">Template</th><th scope="col">State</th><th scope="col">Created</th><th scope="col">Lifetime</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {labs.map((l) => (
                <tr key={l.id}>
                  <th scope="row">{l.owner}</th>
                  <td>{l.templateName}</td>
                  <td>
                    <StateBadge state={l.state} />
                    {l.stateReason && <span class="cell-sub">{l.stateReason}</span>}
                    {l.state === "Running" && l.startSeconds != null && <span class="cell-sub">started in {startTook(l.startSeconds)}</span>}
                  </td>
                  <td>{ago(l.createdAt, now)}</td>
                  <td>{l.state === "Running" ? remaining(l.expiresAt, now) : "–"}</td>
                  <td class="row-actions">
                    <div class="actions">
                      {l.state === "Running" && (me.role === "admin" || l.ownerId === me.id) && <Link href={`/labs/${l.id}`} class="btn btn-secondary btn-sm">Open</Link>}
                      {me.role === "admin" && <Link href={`/audit?labId=${encodeURIComponent(l.id)}`} class="btn btn-secondary btn-sm">Audit</Link>}
                      {(me.role === "admin" || l.ownerId === me.id) && <LabActions lab={l} onError={setError} small />}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
