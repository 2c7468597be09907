import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type Lab, type Me, type TemplateSummary } from "../api";
import { Console } from "../components/Console";
import { LabActions } from "../components/LabActions";
import { Screen } from "../components/Screen";
import { Alert, Lifetime, Link, Loading, StateBadge } from "../components/ui";
import { remaining } from "../format";
import { useNow, useTitle } from "../hooks";
import { useFeed } from "../labs";
import { navigate } from "../router";

export function LabPage({ id, view }: { me: Me; id: string; view: "console" | "screen" }) {
  const feed = useFeed();
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
  const tab = (v: "console" | "screen", label: string) => (
    <Link href={`/labs/${lab.id}/${v}`} class="tab" aria-current={view === v ? "page" : undefined}>{label}</Link>
  );

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
      <nav class="tabs" aria-label="Lab views">
        {offersConsole && tab("console", "Console")}
        {offersScreen && tab("screen", "Screen")}
      </nav>
      {view === "console" && (offersConsole ? <Console key={`c-${lab.id}`} labId={lab.id} running={running} /> : <Alert kind="info">This lab's template offers no console.</Alert>)}
      {view === "screen" && (offersScreen ? <Screen key={`s-${lab.id}`} labId={lab.id} running={running} /> : <Alert kind="info">This lab's template offers no screen.</Alert>)}
    </div>
  );
}
