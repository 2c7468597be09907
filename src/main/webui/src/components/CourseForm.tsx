import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type Course, type CourseBody, type Quotas, type TemplateSummary } from "../api";
import { Alert } from "./ui";

const QUOTAS: { key: keyof Quotas; label: string }[] = [
  { key: "maxLabsPerStudent", label: "Labs per student" },
  { key: "maxVcpus", label: "vCPUs in total" },
  { key: "maxMemoryMb", label: "Memory in total (MB)" },
  { key: "maxLabHoursPerStudent", label: "Lab-hours per student" },
];

/** datetime-local wants "YYYY-MM-DDTHH:mm" in local time. */
function local(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

/** A course's name, code, window, quotas and templates; empty quota fields mean no limit. */
export function CourseForm(props: { course?: Course; submitLabel: string; onSubmit: (b: CourseBody) => Promise<void>; onCancel?: () => void }) {
  const c = props.course;
  const [name, setName] = useState(c?.name ?? "");
  const [code, setCode] = useState(c?.code ?? "");
  const [opensAt, setOpensAt] = useState(local(c?.opensAt ?? null));
  const [closesAt, setClosesAt] = useState(local(c?.closesAt ?? null));
  const [quotas, setQuotas] = useState<Record<string, string>>(
    Object.fromEntries(QUOTAS.map((q) => [q.key, c?.quotas?.[q.key] == null ? "" : String(c.quotas[q.key])])));
  const [chosen, setChosen] = useState<Set<string>>(new Set(c?.templates.map((t) => t.id) ?? []));
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => void api.templates().then(setTemplates, () => setTemplates([])), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const q: Quotas = {};
    QUOTAS.forEach(({ key }) => (q[key] = quotas[key] === "" ? null : Number(quotas[key])));
    try {
      await props.onSubmit({ name: name.trim(), code: code.trim(), opensAt: opensAt ? new Date(opensAt).toISOString() : null,
        closesAt: closesAt ? new Date(closesAt).toISOString() : null, quotas: q, templateIds: [...chosen] });
    } catch (err) {
      setError(err instanceof ApiError ? { message: err.message, field: err.field } : { message: String(err) });
    } finally {
      setBusy(false);
    }
  };
  const bad = (f: string) => error?.field === f || undefined;
  const toggle = (id: string) => setChosen((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });

  return (
    <form class="card form" onSubmit={submit} aria-label={props.submitLabel}>
      {error && <Alert>{error.message}</Alert>}
      <div class="row">
        <div class="field"><label for="c-name">Name</label>
          <input id="c-name" required value={name} aria-invalid={bad("name")} onInput={(e) => setName((e.target as HTMLInputElement).value)} /></div>
        <div class="field"><label for="c-code">Code</label>
          <input id="c-code" required value={code} aria-invalid={bad("code")} onInput={(e) => setCode((e.target as HTMLInputElement).value)} /></div>
      </div>
      <div class="row">
        <div class="field"><label for="c-opens">Opens (empty: already open)</label>
          <input id="c-opens" type="datetime-local" value={opensAt} onInput={(e) => setOpensAt((e.target as HTMLInputElement).value)} /></div>
        <div class="field"><label for="c-closes">Closes (empty: never)</label>
          <input id="c-closes" type="datetime-local" value={closesAt} aria-invalid={bad("closesAt")}
            onInput={(e) => setClosesAt((e.target as HTMLInputElement).value)} /></div>
      </div>
      <fieldset class="row"><legend>Quotas (empty: no limit)</legend>
        {QUOTAS.map((q) => (
          <div class="field" key={q.key}><label for={`c-${q.key}`}>{q.label}</label>
            <input id={`c-${q.key}`} type="number" min="1" value={quotas[q.key]} aria-invalid={bad(`quotas.${q.key}`)}
              onInput={(e) => setQuotas({ ...quotas, [q.key]: (e.target as HTMLInputElement).value })} /></div>
        ))}
      </fieldset>
      <fieldset class="checks"><legend>Templates the course offers</legend>
        {templates.length === 0 && <p class="muted">No templates you can offer.</p>}
        {templates.map((t) => (
          <label class="check" key={t.id}>
            <input type="checkbox" checked={chosen.has(t.id)} onChange={() => toggle(t.id)} /> {t.name}
          </label>
        ))}
      </fieldset>
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>{busy ? "Saving…" : props.submitLabel}</button>
        {props.onCancel && <button type="button" class="btn btn-ghost" onClick={props.onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
