// The lab's screen: stock noVNC over the screen websocket (raw RFB, binary frames).
import RFB from "@novnc/novnc";
import { useRef, useState } from "preact/hooks";
import { streamUrl, type StreamMode } from "../api";
import { StatusLine } from "./StatusLine";
import { useReconnecting } from "./useReconnecting";

/** `mode`: null for the owner's own screen; "watch" shows it read-only, "assist" controls it too. */
export function Screen(props: { labId: string; running: boolean; mode?: StreamMode | null }) {
  const watching = props.mode === "watch";
  const host = useRef<HTMLDivElement>(null);
  const rfb = useRef<RFB | null>(null);
  const [paste, setPaste] = useState("");
  const [fromLab, setFromLab] = useState("");
  const [connected, setConnected] = useState(false);
  const [sent, setSent] = useState(false);

  const { status, canRetry, retryLabel, retry } = useReconnecting(props.labId, props.running, ({ onOpen, onClose }) => {
    // NOTE: noVNC gets a WebSocket we opened ourselves so that the close code and reason (which
    // its disconnect event does not carry) reach the status line.
    const ws = new WebSocket(streamUrl(props.labId, "vnc", props.mode));
    ws.binaryType = "arraybuffer";
    let opened = false;
    let closed: CloseEvent | null = null;
    ws.addEventListener("open", () => (opened = true));
    ws.addEventListener("close", (e) => (closed = e));
    const r = new RFB(host.current!, ws, { shared: true });
    r.scaleViewport = true;
    r.resizeSession = false;
    r.background = "#0f1420";
    // Defence in depth: the controller drops a watcher's keys, pointer and clipboard anyway.
    r.viewOnly = watching;
    r.addEventListener("connect", () => {
      setConnected(true);
      onOpen();
    });
    r.addEventListener("disconnect", () => {
      setConnected(false);
      if (rfb.current === r) rfb.current = null;
      const c = closed as CloseEvent | null;
      onClose(c?.code ?? 1006, c?.reason ?? "", opened);
    });
    r.addEventListener("clipboard", (e) => setFromLab((e as CustomEvent<{ text: string }>).detail.text));
    rfb.current = r;
    return {
      close: () => {
        if (rfb.current === r) rfb.current = null;
        setConnected(false);
        try {
          r.disconnect();
        } catch {
          /* already gone */
        }
      },
    };
  });

  const sendPaste = (e: Event) => {
    e.preventDefault();
    if (!rfb.current || !paste) return;
    rfb.current.clipboardPasteFrom(paste);
    setSent(true);
    setTimeout(() => setSent(false), 2500);
  };

  return (
    <section class="stream" aria-label="Screen">
      <div class="status-row">
        <StatusLine status={status} canRetry={canRetry} retryLabel={retryLabel} onRetry={retry} label="screen" />
        {!watching && (
          <button type="button" class="btn btn-secondary btn-sm" disabled={!connected} onClick={() => rfb.current?.sendCtrlAltDel()}>
            Send Ctrl-Alt-Del
          </button>
        )}
      </div>
      <div class="screen-wrap">
        <div class="screen" ref={host} data-testid="screen" />
      </div>
      {!watching && <form class="clipboard" onSubmit={sendPaste}>
        <div class="field">
          <label for="clip-paste">Paste into the lab's clipboard</label>
          <textarea id="clip-paste" rows={2} value={paste} onInput={(e) => setPaste((e.target as HTMLTextAreaElement).value)}
            placeholder="Text to send to the lab" />
        </div>
        <div class="clipboard-actions">
          <button type="submit" class="btn btn-secondary btn-sm" disabled={!connected || !paste}>Send to lab</button>
          <span class="muted" role="status">{sent ? "Sent." : ""}</span>
        </div>
        {fromLab && (
          <div class="field">
            <label for="clip-lab">Copied in the lab</label>
            <textarea id="clip-lab" rows={2} readOnly value={fromLab} />
          </div>
        )}
      </form>}
    </section>
  );
}
