// The controller's REST API (/api/v1): typed calls that turn RFC 9457 problems into ApiError,
// whose message is the problem's `detail`, ready to show to the user.

export type Role = "admin" | "instructor" | "student";
export type LabState = "Pending" | "Starting" | "Running" | "Stopping" | "Stopped" | "Failed" | "Deleting";

export interface Me { id: string; username: string; role: Role }
export interface Lab {
  id: string; owner: string; ownerId: string; templateId: string; templateName: string;
  desiredState: string; state: LabState; stateReason: string | null; stateChangedAt: string | null;
  createdAt: string; startedAt: string | null; expiresAt: string | null; courseId?: string | null;
  /** When the machine was last started, and how long it took until it was ready (null until it is). */
  bootStartedAt?: string | null; startSeconds?: number | null;
  /** What the caller may do with it (the server's Policy); absent in a course's lab list. */
  allowedActions?: string[];
}
/** How a template's labs are judged ready: a console pattern, the guest agent, or as soon as they run. */
export interface Readiness { mode: "console" | "agent" | "none"; pattern?: string | null; timeoutSeconds?: number | null }
export interface VmImage { kernel?: string | null; initrd?: string | null; disk?: string | null; cmdline?: string | null; containerDisk?: string | null }
/** What every caller who can see a template reads of it: enough to start and use a lab. */
export interface TemplateSummary {
  id: string; name: string; description: string | null;
  cpus: number; memoryMb: number; console: boolean; vnc: boolean; maxLifetimeMinutes: number; network: Network;
  /** What you may do with it ("view", "start-lab", "edit", "delete"), from the controller's Policy. */
  allowedActions?: string[];
}
/** What a lab may reach: nothing (no network card), nothing but itself, or the outside world; never the host or other labs. */
export type Network = "none" | "isolated" | "internet";
/** A template in full (image paths, cloud-init, owner): sent only to its owner and admins. */
export interface Template extends TemplateSummary {
  ownerId: string; image: VmImage; cloudInit: string | null; offered: boolean; createdAt: string; updatedAt: string;
  readiness?: Readiness | null;
  /** How many started machines the runtime keeps ready for its labs (KubeVirt's warm pool); 0 keeps none. */
  warmPool?: number;
}
/**
 * Whether the controller sent the template in full. It does so exactly to those who may change it
 * (its owner, admins), so this is the capability the UI shows the edit actions from.
 */
export const isFull = (t: TemplateSummary): t is Template => "ownerId" in t;
export type TemplateBody = Omit<Template, "id" | "ownerId" | "createdAt" | "updatedAt" | "allowedActions">;
export interface User { id: string; username: string; role: Role; createdAt: string; updatedAt: string }
export interface AuditEvent {
  id: string; at: string; actorId?: string; actor?: string; action: string; labId?: string; address?: string;
  startedAt?: string; bytesIn?: number; bytesOut?: number; detail?: string;
}
export interface Page<T> { items: T[]; nextCursor?: string | null }

export interface Quotas { maxLabsPerStudent?: number | null; maxVcpus?: number | null; maxMemoryMb?: number | null; maxLabHoursPerStudent?: number | null }
export interface OfferedTemplate { id: string; name: string; description: string | null; cpus: number; memoryMb: number }
/** A course as the caller reads it; `allowedActions` (from the server's Policy) decides which controls show. */
export interface Course {
  id: string; name: string; code: string; opensAt: string | null; closesAt: string | null; quotas: Quotas;
  open: boolean; closedReason: string | null; templates: OfferedTemplate[]; myRole: "instructor" | "student" | null;
  students: number; instructors: number; allowedActions: string[]; createdAt: string; updatedAt: string;
}
export interface CourseBody { name: string; code: string; opensAt: string | null; closesAt: string | null; quotas: Quotas; templateIds: string[] }
export interface Member { accountId: string; username: string; displayName: string | null; email: string | null; role: "instructor" | "student" }
export type RosterOutcome = "CREATED" | "ENROLLED" | "ALREADY_ENROLLED" | "DUPLICATE" | "REJECTED";
export interface RosterReport {
  applied: boolean; rows: number; created: number; enrolled: number; alreadyEnrolled: number; duplicates: number; rejected: number;
  results: { row: number; username: string; outcome: RosterOutcome; field?: string; reason?: string; setPasswordLink?: string }[];
}
export interface ProvisionResult { templateId: string; students: number; created: number; existing: number; refused: { username: string; reason: string }[] }
export interface Trouble { username: string; labId: string | null; reason: string | null }
export interface Progress { templateId: string; students: number; running: number; onTheWay: number; failed: Trouble[]; missing: Trouble[] }

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly field?: string) {
    super(message);
  }
}

/** Called when any request answers 401: the session is gone. */
let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(handler: () => void) {
  onUnauthenticated = handler;
}

export async function request<T>(method: string, path: string, body?: unknown, quiet401 = false): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "The controller cannot be reached. Check your connection and try again.");
  }
  if (response.ok) {
    if (response.status === 204 || response.headers.get("Content-Length") === "0") return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  let detail = `The request failed (HTTP ${response.status}).`;
  let field: string | undefined;
  try {
    const problem = await response.json();
    if (problem && typeof problem.detail === "string") detail = problem.detail;
    else if (problem && typeof problem.title === "string") detail = problem.title;
    field = problem?.field ?? undefined;
  } catch {
    /* not a problem body: keep the generic sentence */
  }
  if (response.status === 401 && !quiet401) onUnauthenticated();
  throw new ApiError(response.status, detail, field);
}

/** Sends a file as the body (text/csv), with the same problem handling as {@link request}. */
async function upload<T>(path: string, file: Blob): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { method: "POST", credentials: "same-origin", headers: { Accept: "application/json", "Content-Type": "text/csv" }, body: file });
  } catch {
    throw new ApiError(0, "The controller cannot be reached. Check your connection and try again.");
  }
  if (response.ok) return (await response.json()) as T;
  let detail = `The upload failed (HTTP ${response.status}).`;
  let field: string | undefined;
  try {
    const problem = await response.json();
    if (problem && typeof problem.detail === "string") detail = problem.detail;
    field = problem?.field ?? undefined;
  } catch {
    /* not a problem body */
  }
  if (response.status === 401) onUnauthenticated();
  throw new ApiError(response.status, detail, field);
}

/** Every item of a paged list (follows nextCursor, at most `max` items). */
export async function all<T>(path: string, max = 2000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null | undefined;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page: Page<T> = await request("GET", `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

export const api = {
  login: (username: string, password: string) => request<void>("POST", "/api/v1/auth/login", { username, password }, true),
  logout: () => request<void>("POST", "/api/v1/auth/logout"),
  me: () => request<Me>("GET", "/api/v1/me", undefined, true),
  lab: (id: string) => request<Lab>("GET", `/api/v1/labs/${encodeURIComponent(id)}`),
  createLab: (templateId: string) => request<Lab>("POST", "/api/v1/labs", { templateId }),
  labAction: (id: string, action: "start" | "stop" | "restart") => request<Lab>("POST", `/api/v1/labs/${encodeURIComponent(id)}/${action}`),
  deleteLab: (id: string) => request<Lab>("DELETE", `/api/v1/labs/${encodeURIComponent(id)}`),
  resetLab: (id: string) => request<Lab>("POST", `/api/v1/labs/${encodeURIComponent(id)}/reset`),
  resetCourseLabs: (id: string, confirm: string, templateId: string | null) =>
    request<{ labs: number }>("POST", `/api/v1/courses/${encodeURIComponent(id)}/reset`, { confirm, templateId }),
  templates: () => all<TemplateSummary>("/api/v1/templates"),
  createTemplate: (body: TemplateBody) => request<Template>("POST", "/api/v1/templates", body),
  updateTemplate: (id: string, body: TemplateBody) => request<Template>("PUT", `/api/v1/templates/${encodeURIComponent(id)}`, body),
  deleteTemplate: (id: string) => request<void>("DELETE", `/api/v1/templates/${encodeURIComponent(id)}`),
  users: () => all<User>("/api/v1/users"),
  createUser: (username: string, password: string, role: Role) => request<User>("POST", "/api/v1/users", { username, password, role }),
  updateUser: (id: string, patch: { role?: Role; password?: string }) => request<User>("PATCH", `/api/v1/users/${encodeURIComponent(id)}`, patch),
  deleteUser: (id: string) => request<void>("DELETE", `/api/v1/users/${encodeURIComponent(id)}`),
  courses: () => all<Course>("/api/v1/courses"),
  course: (id: string) => request<Course>("GET", `/api/v1/courses/${encodeURIComponent(id)}`),
  createCourse: (body: CourseBody) => request<Course>("POST", "/api/v1/courses", body),
  updateCourse: (id: string, body: CourseBody) => request<Course>("PUT", `/api/v1/courses/${encodeURIComponent(id)}`, body),
  deleteCourse: (id: string) => request<void>("DELETE", `/api/v1/courses/${encodeURIComponent(id)}`),
  members: (id: string) => all<Member>(`/api/v1/courses/${encodeURIComponent(id)}/members`, 20000),
  addMember: (id: string, username: string, role: Member["role"]) =>
    request<Member>("POST", `/api/v1/courses/${encodeURIComponent(id)}/members`, { username, role }),
  removeMember: (id: string, accountId: string) =>
    request<void>("DELETE", `/api/v1/courses/${encodeURIComponent(id)}/members/${encodeURIComponent(accountId)}`),
  uploadRoster: (id: string, file: Blob, opts: { skipInvalid: boolean; dryRun: boolean }) =>
    upload<RosterReport>(`/api/v1/courses/${encodeURIComponent(id)}/roster?skipInvalid=${opts.skipInvalid}&dryRun=${opts.dryRun}`, file),
  courseLabs: (id: string) => all<Lab>(`/api/v1/courses/${encodeURIComponent(id)}/labs`),
  startCourseLab: (id: string, templateId: string) => request<Lab>("POST", `/api/v1/courses/${encodeURIComponent(id)}/labs`, { templateId }),
  provision: (id: string, templateId: string) =>
    request<ProvisionResult>("POST", `/api/v1/courses/${encodeURIComponent(id)}/provision`, { templateId }),
  progress: (id: string, templateId: string) =>
    request<Progress>("GET", `/api/v1/courses/${encodeURIComponent(id)}/provision?templateId=${encodeURIComponent(templateId)}`),
  setPassword: (token: string, password: string) => request<void>("POST", "/api/v1/auth/set-password", { token, password }, true),
  audit: (labId: string | null, cursor?: string | null) => {
    const q = new URLSearchParams({ limit: "100" });
    if (labId) q.set("labId", labId);
    if (cursor) q.set("cursor", cursor);
    return request<Page<AuditEvent>>("GET", `/api/v1/audit?${q}`);
  },
};

/** ws:// or wss:// URL of a lab's console or screen on this origin. */
/**
 * How a stream joins a lab: the owner's own (no mode), someone else's read-only view ("watch": the
 * controller drops every byte they send) or their help with input ("assist"); the student is told.
 */
export type StreamMode = "watch" | "assist";
/** Someone in the console or screen of one of the caller's own labs (the feed's "viewers" event). */
export interface Viewer { labId: string; username: string; capacity: "instructor" | "admin"; mode: StreamMode; stream: "console" | "screen"; since: string }

export function streamUrl(labId: string, kind: "console" | "vnc", mode?: StreamMode | null): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const query = mode ? `?mode=${mode}` : "";
  return `${scheme}//${location.host}/api/v1/labs/${encodeURIComponent(labId)}/${kind}${query}`;
}
