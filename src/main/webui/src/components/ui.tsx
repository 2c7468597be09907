import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { LabState } from "../api";
import { linkClick } from "../router";

export function Link(props: { href: string; class?: string; children: ComponentChildren; "aria-current"?: "page" | undefined }) {
  return (
    <a href={props.href} class={props.class} onClick={linkClick} aria-current={props["aria-current"]}>
      {props.children}
    </a>
  );
}

/** An error or notice; errors are announced to screen readers at once. */
export function Alert(props: { kind?: "error" | "info" | "success"; children: ComponentChildren; onDismiss?: () => void }) {
  const kind = props.kind ?? "error";
  return (
    <div class={`alert alert-${kind}`} role={kind === "error" ? "alert" : "status"}>
      <span class="alert-text">{props.children}</span>
      {props.onDismiss && (
        <button type="button" class="btn-icon" aria-label="Dismiss" onClick={props.onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}

const STATE_HINT: Record<LabState, string> = {
  Pending: "Waiting to start",
  Starting: "Booting",
  Running: "Running",
  Stopping: "Shutting down",
  Stopped: "Stopped",
  Failed: "Failed",
  Deleting: "Being deleted",
};

export function StateBadge(props: { state: LabState }) {
  const busy = props.state === "Pending" || props.state === "Starting" || props.state === "Stopping" || props.state === "Deleting";
  return (
    <span class={`badge badge-${props.state.toLowerCase()}`} data-state={props.state} title={STATE_HINT[props.state]}>
      {busy ? <span class="dot dot-pulse" aria-hidden="true" /> : <span class="dot" aria-hidden="true" />}
      {props.state}
    </span>
  );
}

export function Empty(props: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{props.title}</p>
      {props.children}
    </div>
  );
}

export function Loading(props: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" /> {props.label ?? "Loading…"}
    </p>
  );
}

/** A destructive button that asks once more inline ("Delete" → "Delete lab?" Yes / No). */
export function ConfirmButton(props: { label: string; question: string; confirmLabel?: string; disabled?: boolean; onConfirm: () => void; small?: boolean }) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  const size = props.small ? " btn-sm" : "";
  if (!asking) {
    return (
      <button type="button" class={`btn btn-danger-outline${size}`} disabled={props.disabled} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={props.question}>
      <span class="confirm-q">{props.question}</span>
      <button type="button" ref={yes} class={`btn btn-danger${size}`} onClick={() => { setAsking(false); props.onConfirm(); }}>
        {props.confirmLabel ?? props.label}
      </button>
      <button type="button" class={`btn btn-ghost${size}`} onClick={() => setAsking(false)} onKeyDown={(e) => e.key === "Escape" && setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

export function PageHeader(props: { title: string; children?: ComponentChildren; lead?: ComponentChildren }) {
  return (
    <div class="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.lead && <p class="lead">{props.lead}</p>}
      </div>
      {props.children && <div class="page-actions">{props.children}</div>}
    </div>
  );
}

/** A small clock before a remaining lifetime. */
export function Lifetime(props: { text: string; title?: string }) {
  return (
    <span class="lifetime" title={props.title}>
      <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round">
        <circle cx="8" cy="8" r="6.2" />
        <path d="M8 4.6V8l2.4 1.6" />
      </svg>
      {props.text}
    </span>
  );
}
