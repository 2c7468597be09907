// The live list of the caller's labs: one EventSource on /api/v1/labs/events shared by every
// page. Each event is the whole first page, so the newest event simply replaces the list.
import { useEffect, useState } from "preact/hooks";
import type { Lab } from "./api";

export type FeedStatus = "connecting" | "live" | "reconnecting";
export interface Feed { labs: Lab[] | null; status: FeedStatus }

let feed: Feed = { labs: null, status: "connecting" };
let source: EventSource | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;
const listeners = new Set<(f: Feed) => void>();
let onClosedForGood: () => void = () => {};

function publish(next: Feed) {
  feed = next;
  listeners.forEach((l) => l(feed));
}

function open() {
  source = new EventSource("/api/v1/labs/events", { withCredentials: true });
  source.onmessage = (e) => {
    failures = 0;
    try {
      const page = JSON.parse(e.data) as { items: Lab[] };
      publish({ labs: page.items, status: "live" });
    } catch {
      /* ignore a malformed event; the next one replaces the list */
    }
  };
  source.onerror = () => {
    if (!source) return;
    if (feed.status !== "reconnecting") publish({ ...feed, status: "reconnecting" });
    // A refused request (e.g. 401) closes the EventSource for good; reopen with backoff after
    // checking the session, while the browser retries transient drops by itself.
    if (source.readyState === EventSource.CLOSED) {
      source = null;
      failures++;
      onClosedForGood();
      retryTimer = setTimeout(() => { if (listeners.size > 0) open(); }, Math.min(30000, 1000 * 2 ** Math.min(failures, 5)));
    }
  };
}

/** Starts the feed for a logged-in user; `checkSession` runs when the stream is refused. */
export function startFeed(checkSession: () => void) {
  onClosedForGood = checkSession;
  if (!source) open();
}

export function stopFeed() {
  clearTimeout(retryTimer);
  source?.close();
  source = null;
  failures = 0;
  feed = { labs: null, status: "connecting" };
}

/** Applies a lab the API just returned (after an action), before the next event confirms it. */
export function patchLab(lab: Lab) {
  if (!feed.labs) return;
  publish({ ...feed, labs: feed.labs.map((l) => (l.id === lab.id ? lab : l)) });
}

export function useFeed(): Feed {
  const [state, setState] = useState(feed);
  useEffect(() => {
    listeners.add(setState);
    setState(feed);
    return () => void listeners.delete(setState);
  }, []);
  return state;
}
