// The lab's serial console: xterm.js over the console websocket (raw TTY bytes, binary frames).
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef } from "preact/hooks";
import { streamUrl, type StreamMode } from "../api";
import { StatusLine } from "./StatusLine";
import { useReconnecting } from "./useReconnecting";

const encoder = new TextEncoder();

/** `mode`: null for the owner's own console; "watch" shows it read-only, "assist" types into it. */
export function Console(props: { labId: string; running: boolean; mode?: StreamMode | null }) {
  const watching = props.mode === "watch";
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);

  useEffect(() => {
    const t = new Terminal({
      cursorBlink: !watching,
      // Defence in depth: the controller drops a watcher's input anyway, and says so.
      disableStdin: watching,
      convertEol: false,
      fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      scrollback: 5000,
      theme: { background: "#0f1420", foreground: "#e6e9ef", cursor: "#7aa2ff", selectionBackground: "#3b4b7a" },
    });
    const fit = new FitAddon();
    t.loadAddon(fit);
    t.open(host.current!);
    const refit = () => {
      try {
        fit.fit();
      } catch {
        /* not laid out yet */
      }
    };
    refit();
    const observer = new ResizeObserver(refit);
    observer.observe(host.current!);
    term.current = t;
    return () => {
      observer.disconnect();
      term.current = null;
      t.dispose();
    };
  }, []);

  const { status, canRetry, retry } = useReconnecting(props.labId, props.running, ({ onOpen, onClose }) => {
    const ws = new WebSocket(streamUrl(props.labId, "console", props.mode));
    ws.binaryType = "arraybuffer";
    let opened = false;
    const t = term.current!;
    const send = (bytes: Uint8Array) => {
      if (ws.readyState === WebSocket.OPEN && !watching) ws.send(bytes);
    };
    const onData = t.onData((data) => send(encoder.encode(data)));
    const onBinary = t.onBinary((data) => send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
    ws.onopen = () => {
      opened = true;
      // The controller replays the recent output first: start from a clean screen.
      t.reset();
      onOpen();
      t.focus();
    };
    ws.onmessage = (e) => {
      if (e.data instanceof ArrayBuffer) t.write(new Uint8Array(e.data));
      else t.write(String(e.data));
    };
    ws.onclose = (e) => {
      onData.dispose();
      onBinary.dispose();
      onClose(e.code, e.reason, opened);
    };
    return {
      close: () => {
        onData.dispose();
        onBinary.dispose();
        ws.onclose = null;
        ws.close(1000);
      },
    };
  });

  return (
    <section class="stream" aria-label="Console">
      <StatusLine status={status} canRetry={canRetry} onRetry={retry} label="console" />
      <div class="terminal-wrap">
        <div class="terminal" ref={host} data-testid="terminal" />
      </div>
      <p class="stream-hint">
        {watching ? "Read-only: what you type is not sent to the lab."
          : props.mode === "assist" ? "Click the console to type: the student sees everything you type."
          : "Click the console to type. The console is shared between your open tabs; recent output is kept when you reload."}
      </p>
    </section>
  );
}
