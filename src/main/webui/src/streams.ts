// What a console or screen connection's end means, and whether to reconnect by itself.
import { api, ApiError } from "./api";

export type StreamPhase = "connecting" | "connected" | "reconnecting" | "ended";
export interface StreamStatus { phase: StreamPhase; text: string }

/**
 * What to do after an end: reconnect by itself ("auto"), once the lab runs again ("when-running"),
 * only on a click ("manual", or "take-back" when another viewer took the stream over: reconnecting
 * by itself would take it back from them, and they from us, for ever), or not at all ("never").
 */
export interface CloseVerdict { text: string; retry: "auto" | "when-running" | "manual" | "take-back" | "never" }

/** Close codes the controller uses while a stream is open (see the README). */
export function verdict(code: number, reason: string): CloseVerdict {
  const why = reason ? ` ${sentence(reason)}` : "";
  switch (code) {
    case 4100:
      return { text: `The lab stopped.${why}`, retry: "when-running" };
    case 4101:
      return { text: `The lab was deleted.${why}`, retry: "never" };
    case 4102:
      return { text: `Your access to this lab was revoked.${why}`, retry: "never" };
    case 4103:
      return { text: `The connection could not keep up with the lab's output.${why}`, retry: "manual" };
    case 4104:
      return { text: `Another viewer took this screen over.${why}`, retry: "take-back" };
    case 1001:
      return { text: "The controller is restarting.", retry: "auto" };
    case 1000:
      return { text: `The connection ended.${why}`, retry: "manual" };
    default:
      // 1006 (dropped), 1011 (server error), 1013 (unavailable) and anything else: try again.
      return { text: reason ? sentence(reason) : "The connection was lost.", retry: "auto" };
  }
}

function sentence(s: string): string {
  const t = s.trim();
  if (!t) return "";
  const cap = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(cap) ? cap : `${cap}.`;
}

/**
 * Why an upgrade was refused. The browser hides the HTTP answer of a refused websocket, so ask
 * the REST API what it says about the lab: gone/not yours, not running, or logged out.
 */
export async function diagnose(labId: string): Promise<CloseVerdict> {
  try {
    const lab = await api.lab(labId);
    if (lab.state !== "Running") {
      return { text: `The lab is ${lab.state.toLowerCase()}; it connects when the lab is running.`, retry: "when-running" };
    }
    return { text: "Could not connect to the lab.", retry: "auto" };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { text: "This lab does not exist or is not yours.", retry: "never" };
    if (e instanceof ApiError && e.status === 401) return { text: "You are not logged in.", retry: "never" };
    return { text: e instanceof ApiError ? e.message : "The controller cannot be reached.", retry: "auto" };
  }
}

/** 1 s, 2 s, 4 s … up to 30 s, with a little jitter. */
export function backoff(attempt: number): number {
  return Math.min(30000, 1000 * 2 ** Math.min(attempt, 5)) * (0.85 + Math.random() * 0.3);
}
