// One console or screen connection with its status line: connects while the lab runs, explains
// every end in words, reconnects by itself with backoff where that makes sense.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { backoff, diagnose, type StreamStatus, verdict, type CloseVerdict } from "../streams";

export interface Handlers { onOpen: () => void; onClose: (code: number, reason: string, wasOpen: boolean) => void }
export interface Connection { close: () => void }

export function useReconnecting(labId: string, running: boolean, open: (h: Handlers) => Connection) {
  const [status, setStatus] = useState<StreamStatus>({ phase: "connecting", text: "Connecting…" });
  const [canRetry, setCanRetry] = useState(false);
  const [retryLabel, setRetryLabel] = useState<string | undefined>(undefined);
  const generation = useRef(0);
  const attempt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const conn = useRef<Connection | null>(null);
  const waitingForRun = useRef(false);
  const runningRef = useRef(running);
  runningRef.current = running;
  const openRef = useRef(open);
  openRef.current = open;

  const stop = useCallback(() => {
    generation.current++;
    clearTimeout(timer.current);
    const c = conn.current;
    conn.current = null;
    c?.close();
  }, []);

  const connect = useCallback(() => {
    stop();
    const gen = generation.current;
    waitingForRun.current = false;
    setCanRetry(false);
    setRetryLabel(undefined);
    setStatus({ phase: attempt.current > 0 ? "reconnecting" : "connecting", text: attempt.current > 0 ? "Reconnecting…" : "Connecting…" });
    const settle = (v: CloseVerdict, wasOpen: boolean) => {
      if (gen !== generation.current) return;
      if (v.retry === "auto") {
        const delay = backoff(attempt.current++);
        setStatus({ phase: "reconnecting", text: `${v.text} Reconnecting in ${Math.round(delay / 1000)} s…` });
        timer.current = setTimeout(() => gen === generation.current && connect(), delay);
      } else if (v.retry === "when-running") {
        setStatus({ phase: "ended", text: v.text });
        waitingForRun.current = true;
        if (!wasOpen && runningRef.current) {
          // The live list still says Running (it lags by a second): look again after a pause.
          timer.current = setTimeout(() => gen === generation.current && connect(), backoff(attempt.current++));
        } else {
          attempt.current = 0;
        }
      } else {
        // "take-back" never reconnects by itself: only the click of "Take it back" does, once.
        setStatus({ phase: "ended", text: v.text });
        setCanRetry(v.retry === "manual" || v.retry === "take-back");
        setRetryLabel(v.retry === "take-back" ? "Take it back" : undefined);
      }
    };
    conn.current = openRef.current({
      onOpen: () => {
        if (gen !== generation.current) return;
        attempt.current = 0;
        setStatus({ phase: "connected", text: "Connected" });
      },
      onClose: (code, reason, wasOpen) => {
        if (gen !== generation.current) return;
        conn.current = null;
        // A 4xxx code comes from the controller itself, which only sends one on an open stream.
        if (wasOpen || (code >= 4000 && code < 5000)) settle(verdict(code, reason), true);
        else void diagnose(labId).then((v) => settle(v, false));
      },
    });
  }, [labId, stop]);

  // Connect when the page opens (or the lab changes); close when it goes away.
  useEffect(() => {
    attempt.current = 0;
    if (runningRef.current) connect();
    else {
      waitingForRun.current = true;
      setStatus({ phase: "ended", text: "The lab is not running; it connects when the lab is running." });
    }
    return stop;
  }, [labId, connect, stop]);

  // A stopped lab that runs again connects by itself.
  useEffect(() => {
    if (running && waitingForRun.current) connect();
  }, [running, connect]);

  const retry = useCallback(() => {
    attempt.current = 0;
    connect();
  }, [connect]);

  return { status, canRetry, retryLabel, retry };
}
