// Who is logged in. `null` = not logged in, `undefined` = not known yet.
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type Me, setUnauthenticatedHandler } from "./api";
import { startFeed, stopFeed } from "./labs";
import { navigate } from "./router";

let me: Me | null | undefined;
let sessionNotice: string | null = null;
const listeners = new Set<(m: Me | null | undefined) => void>();

function set(next: Me | null) {
  me = next;
  if (next) {
    startFeed(() => void refresh());
  } else {
    stopFeed();
  }
  listeners.forEach((l) => l(me));
}

export async function refresh(): Promise<void> {
  try {
    set(await api.me());
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      if (me) sessionNotice = "Your session ended. Log in again to continue.";
      set(null);
    } else if (me === undefined) {
      // The controller is unreachable at start: retry shortly, the page shows "Loading…".
      setTimeout(() => void refresh(), 2000);
    }
  }
}

export function loggedIn(next: Me) {
  sessionNotice = null;
  set(next);
}

export async function logout() {
  try {
    await api.logout();
  } finally {
    set(null);
    navigate("/login");
  }
}

export function takeSessionNotice(): string | null {
  const n = sessionNotice;
  sessionNotice = null;
  return n;
}

setUnauthenticatedHandler(() => {
  if (me) {
    sessionNotice = "Your session ended. Log in again to continue.";
    set(null);
  }
});

export function useMe(): Me | null | undefined {
  const [state, setState] = useState(me);
  useEffect(() => {
    listeners.add(setState);
    setState(me);
    return () => void listeners.delete(setState);
  }, []);
  return state;
}
