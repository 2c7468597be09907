import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type Lab, type Me, type StreamMode, type TemplateSummary, type Viewer } from "../api";
import { Console } from "../components/Console";
import { LabActions } from "../components/LabActions";
import { Screen } from "../components/Screen";
import { Alert, Lifetime, Link, Loading, StateBadge } from "../components/ui";
import { remaining } from "../format";
import { useNow, useTitle } from "../hooks";
import { useFeed } from "../labs";
import { navigate } from "../router";

/** `?mode=watch|assist` in the page's address joins someone else's lab (the class overview links so). */
function requestedMode(): StreamMode | null {
  const m = new URLSearchParams(location.search).get("mode");
  return m === "watch" || m === "assist" ? m : null;
}

export function LabPage({ me, id, view }: { me: Me; id: string; view: "console" | "screen" }) {
  const feed = useFeed();
  const asked = requestedMode();
  const now = useNow();
  const [fetched, setFetched] = useState<Lab | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [template, setTemplate] = useState<TemplateSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const live = feed.labs?.find((l) => l.id === id);
  const lab = live ?? fetched;
  useTitle(lab ? `${lab.templateName} · ${view === "console" ? "Console" : "Screen"}` : "Lab");

  useEffect(() => {
    setMissing(null);
    api.lab(id).then(setFetched, (e) => {
      if (e instanceof ApiError && e.status === 404) setMissing("This lab does not exist or is not yours.");
      else setMissing(e instanceof ApiError ? e.message : String(e));
    });
  }, [id]);

  // Which streams the template offers (students see offered templates only; otherwise show both).
  const templateId = lab?.templateId;
  useEffect(() => {
    if (!templateId) return;
    api.templates().then((all) => setTemplate(all.find((t) => t.id === templateId) ?? null), () => setTemplate(null));
  }, [templateId]);

  // A lab that vanished from the live list after it was seen was deleted.
  const deleted = feed.labs && fetched && !live;

  if (missing) {
    return (
      <div class="card narrow">
        <h1>Lab not available</h1>
        <Alert>{missing}</Alert>
        <p><Link href="/">Back to my labs</Link></p>
      </div>
    );
  }
  if (!lab) return <Loading label="Loading the lab…" />;
  if (deleted) {
    return (
      <div class="card narrow">
        <h1>{lab.templateName}</h1>
        <Alert kind="info">This lab was deleted.</Alert>
        <p><Link href="/">Back to my labs</Link></p>
      </div>
    );
  }

  const offersConsole = template ? template.console : true;
  const offersScreen = template ? template.vnc : true;
  const running = lab.state === "Running";
  const left = running ? remaining(lab.expiresAt, now) : null;
  const own = lab.ownerId === me.id;
  // Someone else's lab opens read-only unless assisting was asked for (the safe default).
  const mode: StreamMode | null = own ? asked : asked ?? "watch";
  const query = mode ? `?mode=${mode}` : "";
  const tab = (v: "console" | "screen", label: string) => (
    <Link href={`/labs/${lab.id}/${v}${query}`} class="tab" aria-current={view === v ? "page" : undefined}>{label}</Link>
  );
  const streamName = view === "console" ? "console" : "screen";
  const here = feed.viewers.filter((v) => v.labId === lab.id);

  return (
    <div class="lab-page">
      <div class="lab-head">
        <div class="lab-head-main">
          <p class="crumbs"><Link href="/">My labs</Link> <span aria-hidden="true">/</span></p>
          <div class="lab-title">
            <h1>{lab.templateName}</h1>
            <StateBadge state={lab.state} />
            {left && <Lifetime text={left} title={`Expires ${new Date(lab.expiresAt!).toLocaleString()}`} />}
          </div>
          {lab.state === "Failed" && lab.stateReason && <p class="reason reason-failed"><strong>Why it failed:</strong> {lab.stateReason}</p>}
        </div>
        <LabActions lab={lab} onError={setError} onDeleted={() => navigate("/")} />
      </div>
      {error && <Alert onDismiss={() => setError(null)}>{error}</Alert>}
      {!own && mode === "watch" && (
        <div class="alert alert-watch" role="status" data-testid="watch-banner">
          <span class="alert-text">
            <strong>Watching {lab.owner}'s {streamName}</strong> — your input is not sent. {lab.owner} sees that you are watching.
          </span>
          <Link href={`/labs/${lab.id}/${view}?mode=assist`} class="btn btn-secondary btn-sm">Assist instead</Link>
        </div>
      )}
      {!own && mode === "assist" && (
        <div class="alert alert-assist" role="status" data-testid="assist-banner">
          <span class="alert-text">
            <strong>Assisting {lab.owner} in their {streamName}</strong> — what you type reaches their lab. {lab.owner} sees that you joined.
          </span>
          <Link href={`/labs/${lab.id}/${view}?mode=watch`} class="btn btn-secondary btn-sm">Only watch</Link>
        </div>
      )}
      {own && here.length > 0 && <Presence viewers={here} />}
      <nav class="tabs" aria-label="Lab views">
        {offersConsole && tab("console", "Console")}
        {offersScreen && tab("screen", "Screen")}
      </nav>
      {view === "console" && (offersConsole ? <Console key={`c-${lab.id}-${mode}`} labId={lab.id} running={running} mode={mode} /> : <Alert kind="info">This lab's template offers no console.</Alert>)}
      {view === "screen" && (offersScreen ? <Screen key={`s-${lab.id}-${mode}`} labId={lab.id} running={running} mode={mode} /> : <Alert kind="info">This lab's template offers no screen.</Alert>)}
    </div>
  );
}

/** Tells a student who is in their lab's console or screen now, in which mode and since when. */
function Presence({ viewers }: { viewers: Viewer[] }) {
  return (
    <div class="alert alert-presence" role="status" aria-live="polite" data-testid="presence-banner">
      <ul class="presence">
        {viewers.map((v) => (
          <li key={`${v.username}-${v.stream}-${v.since}`}>
            <strong>{v.username}</strong> ({v.capacity}) is {v.mode === "watch" ? "watching" : "assisting in"} your {v.stream} since{" "}
            <time dateTime={v.since}>{new Date(v.since).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}</time>
            {v.mode === "assist" ? " and can type into it" : ""}.
          </li>
        ))}
      </ul>
    </div>
  );
}
