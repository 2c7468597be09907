import { useEffect, useState } from "preact/hooks";
import { api, ApiError, isFull, type TemplateSummary } from "../api";
import { Alert, Empty, Loading, PageHeader } from "../components/ui";
import { useTitle } from "../hooks";
import { navigate } from "../router";

/** What a lab of the template may reach, in words (the template's network mode). */
const NETWORK: Record<string, string> = { none: "No network", isolated: "Isolated network", internet: "Internet access" };

export function StartLab() {
  useTitle("Start a lab");
  const [templates, setTemplates] = useState<TemplateSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState<string | null>(null);

  useEffect(() => {
    api.templates().then((t) => setTemplates(t.filter((x) => !isFull(x) || x.offered)), (e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, []);

  const start = async (t: TemplateSummary) => {
    setStarting(t.id);
    setError(null);
    try {
      await api.createLab(t.id);
      navigate("/");
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setStarting(null);
    }
  };

  return (
    <>
      <PageHeader title="Start a lab" lead="Pick a template. Your lab boots in a few seconds and shows up under My labs." />
      {error && <Alert onDismiss={() => setError(null)}>{error}</Alert>}
      {!templates ? (
        !error && <Loading label="Loading templates…" />
      ) : templates.length === 0 ? (
        <Empty title="No templates are offered yet">
          <p>Ask your instructor to offer a lab template.</p>
        </Empty>
      ) : (
        <ul class="template-grid" aria-label="Templates">
          {templates.map((t) => (
            <li key={t.id} class="template-card" data-testid="template-card">
              <h2>{t.name}</h2>
              <p class="template-desc">{t.description || "No description."}</p>
              <ul class="specs" aria-label="Specification">
                <li>{t.cpus} vCPU</li>
                <li>{t.memoryMb} MB RAM</li>
                <li>{hours(t.maxLifetimeMinutes)}</li>
                {t.console && <li>Console</li>}
                {t.vnc && <li>Screen</li>}
                <li title="No lab reaches the host, the controller or another lab">{NETWORK[t.network] ?? t.network}</li>
              </ul>
              <button type="button" class="btn btn-primary" disabled={starting !== null} onClick={() => void start(t)}
                aria-label={`Start a ${t.name} lab`}>
                {starting === t.id ? "Starting…" : "Start lab"}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function hours(minutes: number): string {
  if (minutes < 60) return `${minutes} min lifetime`;
  const h = minutes / 60;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} h lifetime`;
}
