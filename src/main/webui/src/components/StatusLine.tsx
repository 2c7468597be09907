import type { StreamStatus } from "../streams";

/** The connection's state in words, announced politely to screen readers. */
export function StatusLine(props: { status: StreamStatus; canRetry: boolean; onRetry: () => void; label: string; retryLabel?: string }) {
  const { phase, text } = props.status;
  return (
    <div class={`status-line status-${phase}`}>
      <span class="status-dot" aria-hidden="true" />
      <span class="status-text" role="status" aria-live="polite" data-testid={`${props.label}-status`}>
        {text}
      </span>
      {(props.canRetry || phase === "reconnecting") && (
        <button type="button" class="btn btn-ghost btn-sm" onClick={props.onRetry}>
          {phase === "reconnecting" ? "Retry now" : (props.retryLabel ?? "Reconnect")}
        </button>
      )}
    </div>
  );
}
