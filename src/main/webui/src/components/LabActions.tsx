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

const LABEL: Record<Action, string> = { start: "Start", stop: "Stop", restart: "Restart", delete: "Delete" };

export function LabActions(props: { lab: Lab; onError: (message: string) => void; onDeleted?: () => void; small?: boolean }) {
  const [busy, setBusy] = useState<Action | null>(null);
  const lab = props.lab;
  const run = async (action: Action) => {
    setBusy(action);
    try {
      const updated = action === "delete" ? await api.deleteLab(lab.id) : await api.labAction(lab.id, action);
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
  return (
    <div class="actions">
      {actionsFor(lab).map((a) =>
        a === "delete" ? (
          <ConfirmButton key={a} label="Delete" question="Delete this lab and its disk?" small={props.small}
            disabled={busy !== null} onConfirm={() => void run("delete")} />
        ) : (
          <button key={a} type="button" class={`btn ${a === "start" ? "btn-primary" : "btn-secondary"}${size}`}
            disabled={busy !== null} aria-label={`${LABEL[a]} ${name} lab`} onClick={() => void run(a)}>
            {busy === a ? `${LABEL[a]}…` : LABEL[a]}
          </button>
        ),
      )}
    </div>
  );
}
