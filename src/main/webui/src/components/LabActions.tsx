// The buttons that fit a lab's state, and what happens when one is pressed.
import { useState } from "preact/hooks";
import { api, ApiError, type Lab } from "../api";
import { patchLab } from "../labs";
import { ConfirmButton } from "./ui";

type Action = "start" | "stop" | "restart" | "delete";

export function actionsFor(lab: Lab): Action[] {
  switch (lab.state) {
    case "Pending":
    case "Starting":
      return ["stop", "delete"];
    case "Running":
      return ["restart", "stop", "delete"];
    case "Stopping":
      return ["delete"];
    case "Stopped":
    case "Failed":
      return ["start", "delete"];
    default:
      return [];
  }
}

/** What a reset throws away, said before it is confirmed. */
export function resetQuestion(lab: Lab): string {
  const after = lab.desiredState === "Stopped" ? `the lab stays stopped and starts from ${lab.templateName} next time`
    : `the lab restarts from ${lab.templateName}`;
  return `Reset this lab? Everything saved in the lab since it started from its template — files, installed packages, settings — is lost; ${after}.`;
}

/** Reset is offered while the lab is not being deleted and, once labs carry them, when the server's allowedActions list it. */
function resettable(lab: Lab): boolean {
  const allowed = (lab as Lab & { allowedActions?: string[] }).allowedActions;
  return lab.state !== "Deleting" && (allowed === undefined || allowed.includes("reset"));
}

const LABEL: Record<Action, string> = { start: "Start", stop: "Stop", restart: "Restart", delete: "Delete" };

export function LabActions(props: { lab: Lab; onError: (message: string) => void; onDeleted?: () => void; small?: boolean }) {
  const [busy, setBusy] = useState<Action | "reset" | null>(null);
  const lab = props.lab;
  const run = async (action: Action | "reset") => {
    setBusy(action);
    try {
      const updated = action === "delete" ? await api.deleteLab(lab.id)
        : action === "reset" ? await api.resetLab(lab.id) : await api.labAction(lab.id, action);
      if (updated) patchLab(updated);
      if (action === "delete") props.onDeleted?.();
    } catch (e) {
      props.onError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  const size = props.small ? " btn-sm" : "";
  const name = lab.templateName;
  const actions = actionsFor(lab);
  return (
    <div class="actions">
      {actions.filter((a) => a !== "delete").map((a) => (
        <button key={a} type="button" class={`btn ${a === "start" ? "btn-primary" : "btn-secondary"}${size}`}
          disabled={busy !== null} aria-label={`${LABEL[a]} ${name} lab`} onClick={() => void run(a)}>
          {busy === a ? `${LABEL[a]}…` : LABEL[a]}
        </button>
      ))}
      {resettable(lab) && (
        <ConfirmButton label={busy === "reset" ? "Reset…" : "Reset"} question={resetQuestion(lab)} confirmLabel="Reset lab"
          small={props.small} disabled={busy !== null} onConfirm={() => void run("reset")} />
      )}
      {actions.includes("delete") && (
        <ConfirmButton label="Delete" question="Delete this lab and its disk?" small={props.small}
          disabled={busy !== null} onConfirm={() => void run("delete")} />
      )}
    </div>
  );
}
