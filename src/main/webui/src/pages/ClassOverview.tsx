import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api";
import { Thumbnail } from "../components/Thumbnail";
import { Alert, Empty, Link, Loading, PageHeader, StateBadge } from "../components/ui";
import { useTitle } from "../hooks";
import { linkClick } from "../router";
import {
  fetchOverview, idleText, TILE_STATES, usePageVisible,
  type Overview, type OverviewQuery, type OverviewSort, type Tile, type TileLab, type TileState,
} from "../overview";

const REFRESH_MS = 5000;
const STATE_LABEL = (s: TileState) => (s === "none" ? "No lab" : s);

function readQuery(): OverviewQuery {
  const p = new URLSearchParams(location.search);
  const state = p.get("state") ?? "";
  const sort = p.get("sort") ?? "name";
  return {
    state: (TILE_STATES as string[]).includes(state) ? (state as TileState) : "",
    idleMinutes: /^\d+$/.test(p.get("idle") ?? "") ? p.get("idle")! : "",
    sort: sort === "state" || sort === "idle" ? sort : "name",
  };
}

/** Keeps the filters in the address, so a reload or a shared link shows the same view. */
function writeQuery(q: OverviewQuery) {
  const p = new URLSearchParams();
  if (q.state) p.set("state", q.state);
  if (q.idleMinutes) p.set("idle", q.idleMinutes);
  if (q.sort !== "name") p.set("sort", q.sort);
  const search = p.toString();
  history.replaceState(null, "", location.pathname + (search ? `?${search}` : ""));
}

/**
 * The class overview: a tile per student of a course with their lab's state, their inactivity and a
 * live thumbnail of its screen, refreshed every few seconds while the page is visible; buttons come
 * from each lab's `allowedActions`.
 */
export function ClassOverview({ id }: { id: string }) {
  const [query, setQuery] = useState<OverviewQuery>(readQuery);
  const [data, setData] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const visible = usePageVisible();
  useTitle(data ? `Overview ${data.courseCode}` : "Class overview");

  useEffect(() => {
    if (!visible) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const o = await fetchOverview(id, query);
        if (!stopped) { setData(o); setError(null); }
      } catch (e) {
        if (!stopped) setError(e instanceof ApiError ? e.message : String(e));
      }
      if (!stopped) timer = setTimeout(() => void load(), REFRESH_MS);
    };
    void load();
    return () => { stopped = true; clearTimeout(timer); };
  }, [id, query, visible]);

  const change = (patch: Partial<OverviewQuery>) => {
    const next = { ...query, ...patch };
    writeQuery(next);
    setQuery(next);
  };

  if (!data) return error ? <Alert>{error}</Alert> : <Loading label="Loading the class overview…" />;
  return (
    <>
      <p class="crumbs"><Link href="/courses">Courses</Link> / <Link href={`/courses/${id}`}>{data.courseCode}</Link> / Overview</p>
      <PageHeader title={`Class overview: ${data.courseName}`}
        lead={`${data.students} students · refreshed every ${REFRESH_MS / 1000} s while this page is visible`} />
      {error && <Alert onDismiss={() => setError(null)}>{error}</Alert>}
      <section aria-labelledby="ov-counts-h">
        <h2 id="ov-counts-h" class="sr-only">Students per state</h2>
        <ul class="ov-counts">
          {TILE_STATES.filter((s) => data.counts[s]).map((s) => (
            <li key={s}>
              <button type="button" class="btn btn-ghost btn-sm" aria-pressed={query.state === s}
                onClick={() => change({ state: query.state === s ? "" : s })}>
                {STATE_LABEL(s)} <span class="ov-count" data-testid={`count-${s}`}>{data.counts[s]}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <form class="filter-bar" aria-label="Filter and sort the students" onSubmit={(e) => e.preventDefault()}>
        <div class="field-inline">
          <label for="ov-state">State</label>
          <select id="ov-state" value={query.state} onChange={(e) => change({ state: e.currentTarget.value as TileState | "" })}>
            <option value="">All states</option>
            {TILE_STATES.map((s) => <option key={s} value={s}>{STATE_LABEL(s)} ({data.counts[s] ?? 0})</option>)}
          </select>
        </div>
        <div class="field-inline">
          <label for="ov-idle">Inactivity</label>
          <select id="ov-idle" value={query.idleMinutes} onChange={(e) => change({ idleMinutes: e.currentTarget.value })}>
            <option value="">Any</option>
            {["5", "15", "30", "60"].map((m) => <option key={m} value={m}>Idle at least {m} min</option>)}
          </select>
        </div>
        <div class="field-inline">
          <label for="ov-sort">Sort by</label>
          <select id="ov-sort" value={query.sort} onChange={(e) => change({ sort: e.currentTarget.value as OverviewSort })}>
            <option value="name">Name</option>
            <option value="state">State</option>
            <option value="idle">Most idle first</option>
          </select>
        </div>
      </form>
      {data.tiles.length === 0
        ? <Empty title={data.students === 0 ? "No students in this course yet" : "No student matches these filters"} />
        : <ul class="ov-grid" aria-label="Students">{data.tiles.map((t) => <StudentTile key={t.student.id} tile={t} />)}</ul>}
    </>
  );
}

function StudentTile({ tile }: { tile: Tile }) {
  const name = tile.student.displayName || tile.student.username;
  const lab = tile.labs[0];
  const headingId = `ov-${tile.student.id}`;
  return (
    <li class="ov-tile" data-testid="overview-tile" data-state={tile.state} aria-labelledby={headingId}>
      {lab?.thumbnail
        ? <Thumbnail labId={lab.id} alt={`Screen of ${name}'s lab ${lab.templateName}`} />
        : <div class="ov-thumb"><span class="ov-thumb-empty">{!lab ? "No lab yet" : lab.screen ? `Lab ${lab.state.toLowerCase()}` : "No screen"}</span></div>}
      <div class="ov-body">
        <div class="ov-head">
          <h3 id={headingId}>{name}</h3>
          {lab ? <StateBadge state={lab.state} /> : <span class="badge badge-none" data-state="none">No lab</span>}
        </div>
        {tile.student.displayName && <p class="ov-sub">{tile.student.username}</p>}
        <p class="ov-sub" data-testid="overview-idle">{idleText(tile.idleSeconds)}</p>
        {tile.labs.map((l) => <LabLinks key={l.id} lab={l} name={name} many={tile.labs.length > 1} />)}
      </div>
    </li>
  );
}

/** Watch and assist links of one lab, as its allowedActions permit, for the streams its template offers. */
function LabLinks({ lab, name, many }: { lab: TileLab; name: string; many: boolean }) {
  if (lab.state !== "Running") return many ? <p class="ov-sub">{lab.templateName}: {lab.state}</p> : null;
  const links: { href: string; label: string; aria: string }[] = [];
  for (const mode of ["watch", "assist"] as const) {
    if (!lab.allowedActions.includes(mode)) continue;
    const verb = mode === "watch" ? "Watch" : "Assist";
    if (lab.console) links.push({ href: `/labs/${lab.id}/console?mode=${mode}`, label: `${verb} console`, aria: `${verb} console of ${name}` });
    if (lab.screen) links.push({ href: `/labs/${lab.id}/screen?mode=${mode}`, label: `${verb} screen`, aria: `${verb} screen of ${name}` });
  }
  if (links.length === 0) return null;
  return (
    <div class="actions ov-actions" role="group" aria-label={`${lab.templateName} of ${name}`}>
      {many && <span class="ov-sub">{lab.templateName}</span>}
      {links.map((a) => <a key={a.href} href={a.href} class="btn btn-secondary btn-sm" aria-label={a.aria} onClick={linkClick}>{a.label}</a>)}
    </div>
  );
}
