import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, isFull, type Network, type Readiness, type Template, type TemplateBody, type TemplateSummary } from "../api";
import { Alert, ConfirmButton, Empty, Loading, PageHeader } from "../components/ui";
import { useTitle } from "../hooks";

const BLANK: TemplateBody = {
  name: "", description: "", image: { kernel: "", initrd: "", disk: "", cmdline: "", containerDisk: "" },
  cpus: 1, memoryMb: 512, console: true, vnc: true, cloudInit: "", maxLifetimeMinutes: 240, offered: false,
  network: "isolated", warmPool: 0,
};

export function Templates() {
  useTitle("Templates");
  const [templates, setTemplates] = useState<TemplateSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<Template | "new" | null>(null);

  const load = () => api.templates().then(setTemplates, (e) => setError(e instanceof ApiError ? e.message : String(e)));
  useEffect(() => void load(), []);

  const remove = async (t: Template) => {
    setError(null);
    try {
      await api.deleteTemplate(t.id);
      setNotice(`Template “${t.name}” deleted.`);
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };

  return (
    <>
      <PageHeader title="Templates" lead="What machine a lab gets and for how long. Offered templates are listed to students.">
        {editing === null && <button type="button" class="btn btn-primary" onClick={() => { setNotice(null); setEditing("new"); }}>New template</button>}
      </PageHeader>
      {error && <Alert onDismiss={() => setError(null)}>{error}</Alert>}
      {notice && <Alert kind="success" onDismiss={() => setNotice(null)}>{notice}</Alert>}
      {editing !== null && (
        <TemplateForm key={editing === "new" ? "new" : editing.id} template={editing === "new" ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={(t, created) => { setEditing(null); setNotice(`Template “${t.name}” ${created ? "created" : "saved"}.`); void load(); }} />
      )}
      {!templates ? (
        !error && <Loading label="Loading templates…" />
      ) : templates.length === 0 ? (
        <Empty title="No templates yet — create the first one">
          <p>A template names the kernel or disk image, the size of the machine and how long a lab may live.</p>
        </Empty>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">Templates</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Machine</th><th scope="col">Streams</th><th scope="col">Lifetime</th><th scope="col">Offered</th><th scope="col"><span class="sr-only">Actions</span></th></tr>
            </thead>
            <tbody>
              {templates.map((t) => (
                <tr key={t.id}>
                  <th scope="row">
                    <span class="cell-title">{t.name}</span>
                    {t.description && <span class="cell-sub">{t.description}</span>}
                  </th>
                  <td>{t.cpus} vCPU · {t.memoryMb} MB</td>
                  <td>{[t.console && "Console", t.vnc && "Screen"].filter(Boolean).join(", ") || "–"}</td>
                  <td>{t.maxLifetimeMinutes} min</td>
                  <td>{!isFull(t) || t.offered ? <span class="pill pill-on">Offered</span> : <span class="pill">Hidden</span>}</td>
                  <td class="row-actions">
                    {isFull(t) && (t.allowedActions ?? ["edit", "delete"]).some((a) => a === "edit" || a === "delete") ? (
                      <div class="actions">
                        {t.allowedActions?.includes("edit") !== false && (
                          <button type="button" class="btn btn-secondary btn-sm" aria-label={`Edit ${t.name}`} onClick={() => { setNotice(null); setEditing(t); }}>Edit</button>
                        )}
                        {t.allowedActions?.includes("delete") !== false && (
                          <ConfirmButton small label="Delete" question={`Delete “${t.name}”?`} onConfirm={() => void remove(t)} />
                        )}
                      </div>
                    ) : <span class="muted small">Not yours</span>}
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

function TemplateForm(props: { template: Template | null; onCancel: () => void; onSaved: (t: Template, created: boolean) => void }) {
  const t = props.template;
  // Only the fields a template body has: the API refuses unknown ones (id, ownerId, …).
  const initial: TemplateBody = t
    ? {
        name: t.name, description: t.description ?? "", image: { ...BLANK.image, ...t.image }, cpus: t.cpus, memoryMb: t.memoryMb,
        console: t.console, vnc: t.vnc, cloudInit: t.cloudInit ?? "", maxLifetimeMinutes: t.maxLifetimeMinutes, offered: t.offered,
        readiness: t.readiness,
        network: t.network,
        warmPool: t.warmPool ?? 0,
      }
    : BLANK;
  const [body, setBody] = useState<TemplateBody>(initial);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const errorBox = useRef<HTMLDivElement>(null);
  useEffect(() => first.current?.focus(), []);
  useEffect(() => {
    if (error) errorBox.current?.scrollIntoView({ block: "center" });
  }, [error]);

  const set = <K extends keyof TemplateBody>(k: K, v: TemplateBody[K]) => setBody((b) => ({ ...b, [k]: v }));
  const setImage = (k: keyof TemplateBody["image"], v: string) => setBody((b) => ({ ...b, image: { ...b.image, [k]: v } }));
  const ready: Readiness = body.readiness ?? { mode: "none", timeoutSeconds: 300 };
  const setReady = (r: Partial<Readiness>) => setBody((b) => ({ ...b, readiness: { ...(b.readiness ?? { mode: "none", timeoutSeconds: 300 }), ...r } }));
  const blankToNull = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const payload: TemplateBody = {
      ...body,
      // A pattern belongs to console readiness only; the API refuses one given with another mode.
      readiness: { mode: ready.mode, timeoutSeconds: ready.timeoutSeconds ?? 300, ...(ready.mode === "console" ? { pattern: ready.pattern ?? "" } : {}) },
      description: blankToNull(body.description),
      cloudInit: blankToNull(body.cloudInit),
      image: {
        kernel: blankToNull(body.image.kernel), initrd: blankToNull(body.image.initrd), disk: blankToNull(body.image.disk),
        cmdline: blankToNull(body.image.cmdline), containerDisk: blankToNull(body.image.containerDisk),
      },
    };
    try {
      const saved = props.template ? await api.updateTemplate(props.template.id, payload) : await api.createTemplate(payload);
      props.onSaved(saved, !props.template);
    } catch (err) {
      setError(err instanceof ApiError ? { message: err.message, field: err.field } : { message: String(err) });
      setBusy(false);
    }
  };

  const invalid = (f: string) => (error?.field === f || error?.field?.endsWith(`.${f}`) ? true : undefined);
  const text = (id: string, label: string, value: string | null | undefined, onInput: (v: string) => void, opts: { hint?: string; required?: boolean; field?: string } = {}) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} value={value ?? ""} required={opts.required} aria-invalid={invalid(opts.field ?? id)}
        aria-describedby={opts.hint ? `${id}-hint` : undefined} onInput={(e) => onInput((e.target as HTMLInputElement).value)}
        ref={id === "t-name" ? first : undefined} />
      {opts.hint && <span class="hint" id={`${id}-hint`}>{opts.hint}</span>}
    </div>
  );
  const num = (id: string, label: string, value: number, min: number, max: number, onInput: (v: number) => void, field: string) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type="number" min={min} max={max} value={value} required aria-invalid={invalid(field)}
        onInput={(e) => onInput(Number((e.target as HTMLInputElement).value))} />
    </div>
  );
  const check = (id: string, label: string, value: boolean, onChange: (v: boolean) => void) => (
    <label class="check" for={id}>
      <input id={id} type="checkbox" checked={value} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} /> {label}
    </label>
  );

  return (
    <form class="card form template-form" onSubmit={submit} aria-label={props.template ? `Edit ${props.template.name}` : "New template"}>
      <h2>{props.template ? `Edit “${props.template.name}”` : "New template"}</h2>
      <div ref={errorBox}>{error && <Alert>{error.message}</Alert>}</div>
      <div class="grid-2">
        {text("t-name", "Name", body.name, (v) => set("name", v), { required: true, field: "name", hint: "Lower-case letters, digits and “-”" })}
        {text("t-description", "Description", body.description, (v) => set("description", v), { field: "description" })}
      </div>
      <fieldset>
        <legend>Image</legend>
        <p class="hint">For local labs, paths are relative to the controller's image directory. Give a kernel (with its initrd) or a disk.</p>
        <div class="grid-2">
          {text("t-kernel", "Kernel", body.image.kernel, (v) => setImage("kernel", v), { field: "kernel", hint: "e.g. demo/vmlinuz" })}
          {text("t-initrd", "Initrd", body.image.initrd, (v) => setImage("initrd", v), { field: "initrd" })}
          {text("t-disk", "Disk (qcow2 or raw)", body.image.disk, (v) => setImage("disk", v), { field: "disk" })}
          {text("t-cmdline", "Kernel command line", body.image.cmdline, (v) => setImage("cmdline", v), { field: "cmdline" })}
          {text("t-container", "Container disk (KubeVirt)", body.image.containerDisk, (v) => setImage("containerDisk", v), { field: "containerDisk" })}
        </div>
      </fieldset>
      <div class="grid-3">
        {num("t-cpus", "vCPUs", body.cpus, 1, 16, (v) => set("cpus", v), "cpus")}
        {num("t-mem", "Memory (MB)", body.memoryMb, 64, 65536, (v) => set("memoryMb", v), "memoryMb")}
        {num("t-life", "Lifetime (minutes)", body.maxLifetimeMinutes, 1, 43200, (v) => set("maxLifetimeMinutes", v), "maxLifetimeMinutes")}
      </div>
      <div class="checks">
        {check("t-console", "Serial console", body.console, (v) => set("console", v))}
        {check("t-vnc", "Screen (VNC)", body.vnc, (v) => set("vnc", v))}
        {check("t-offered", "Offered to students", body.offered, (v) => set("offered", v))}
      </div>
      <div class="field">
        <label for="t-network">Network</label>
        <select id="t-network" value={body.network} aria-invalid={invalid("network")} aria-describedby="t-network-hint"
          onChange={(e) => set("network", (e.target as HTMLSelectElement).value as Network)}>
          <option value="isolated">Isolated: a network card with no route anywhere</option>
          <option value="internet">Internet: outbound connections to the outside world</option>
          <option value="none">None: no network card</option>
        </select>
        <span class="hint" id="t-network-hint">No mode reaches the host, the controller or another lab.</span>
      </div>
      <div class="field">
        <label for="t-warm">Warm pool (machines kept started)</label>
        <input id="t-warm" type="number" min={0} max={50} value={body.warmPool ?? 0} required aria-invalid={invalid("warmPool")}
          aria-describedby="t-warm-hint" onInput={(e) => set("warmPool", Number((e.target as HTMLInputElement).value))} />
        <span class="hint" id="t-warm-hint">
          On KubeVirt, this many machines boot ahead of use so a start takes one at once; refilled after each start, removed
          when the template has not been used for a while, and never counted against a student's quota. 0 keeps none
          (local labs restore a saved state instead).
        </span>
      </div>
      <fieldset>
        <legend>Readiness</legend>
        <p class="hint" id="t-ready-hint">When a lab counts as Running; until then it shows Starting, and a machine not ready in time is started again, then fails.</p>
        <div class="grid-3">
          <div class="field">
            <label for="t-ready-mode">Ready when</label>
            <select id="t-ready-mode" value={ready.mode} aria-invalid={invalid("readiness.mode")} aria-describedby="t-ready-hint"
              onChange={(e) => setReady({ mode: (e.target as HTMLSelectElement).value as Readiness["mode"] })}>
              <option value="none">The machine runs</option>
              <option value="console">The console shows a pattern (local labs)</option>
              <option value="agent">The guest agent connects (KubeVirt)</option>
            </select>
          </div>
          {ready.mode === "console" && text("t-ready-pattern", "Console pattern (regular expression)", ready.pattern,
            (v) => setReady({ pattern: v }), { field: "readiness.pattern", hint: "e.g. “login: ” or “lab:~# ”" })}
          {num("t-ready-timeout", "Ready within (seconds)", ready.timeoutSeconds ?? 300, 10, 3600,
            (v) => setReady({ timeoutSeconds: v }), "readiness.timeoutSeconds")}
        </div>
      </fieldset>
      <div class="field">
        <label for="t-cloudinit">Cloud-init user data (optional)</label>
        <textarea id="t-cloudinit" rows={3} value={body.cloudInit ?? ""} aria-invalid={invalid("cloudInit")}
          onInput={(e) => set("cloudInit", (e.target as HTMLTextAreaElement).value)} />
      </div>
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>{busy ? "Saving…" : props.template ? "Save template" : "Create template"}</button>
        <button type="button" class="btn btn-ghost" onClick={props.onCancel}>Cancel</button>
      </div>
    </form>
  );
}
