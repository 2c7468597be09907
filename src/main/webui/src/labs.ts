// The live list of the caller's labs: one EventSource on /api/v1/labs/events shared by every
// page. Each event is the whole first page (with nextCursor when there are more); the rest is
// fetched page by page, so the newest event plus its pages simply replace the list.
import { useEffect, useState } from "preact/hooks";
import { request, type Lab, type Page, type Viewer } from "./api";

export type FeedStatus = "connecting" | "live" | "reconnecting";
/** `viewers`: who watches or assists in the caller's own labs now (the feed's "viewers" events). */
export interface Feed { labs: Lab[] | null; status: FeedStatus; viewers: Viewer[] }

let feed: Feed = { labs: null, status: "connecting", viewers: [] };
// At most one EventSource exists: connect() closes the previous one before it opens another,
// and every handler ignores events of a source that is no longer the current one.
let source: EventSource | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;
let generation = 0;
const listeners = new Set<(f: Feed) => void>();
let onClosedForGood: () => void = () => {};

function publish(next: Feed) {
  feed = next;
  listeners.forEach((l) => l(feed));
}

function close() {
  source?.close();
  source = null;
}

function connect() {
  clearTimeout(retryTimer);
  retryTimer = undefined;
  close();
  const es = new EventSource("/api/v1/labs/events", { withCredentials: true });
  source = es;
  // A new feed sends "viewers" only when someone is there: start from no one.
  if (feed.viewers.length > 0) publish({ ...feed, viewers: [] });
  es.addEventListener("viewers", (e) => {
    if (source !== es) return;
    try {
      publish({ ...feed, viewers: (JSON.parse((e as MessageEvent).data) as { viewers: Viewer[] }).viewers });
    } catch {
      /* ignore a malformed event */
    }
  });
  es.onmessage = (e) => {
    if (source !== es) return;
    failures = 0;
    try {
      void show(JSON.parse(e.data) as Page<Lab>);
    } catch {
      /* ignore a malformed event; the next one replaces the list */
    }
  };
  // The server ends the feed with an "ended" problem when the login ended, the token was revoked
  // or the account changed: close it (the browser would reconnect by itself) and check the session.
  es.addEventListener("ended", () => {
    if (source !== es) return;
    close();
    refused();
  });
  es.onerror = () => {
    if (source !== es) return;
    if (feed.status !== "reconnecting") publish({ ...feed, status: "reconnecting" });
    // A refused request (401, 429) closes the EventSource for good; reopen with backoff after
    // checking the session, while the browser retries transient drops by itself.
    if (es.readyState === EventSource.CLOSED) {
      source = null;
      refused();
    }
  };
}

function refused() {
  failures++;
  if (feed.status !== "reconnecting") publish({ ...feed, status: "reconnecting" });
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => {
    retryTimer = undefined;
    if (listeners.size > 0 && !source) connect();
  }, Math.min(30000, 1000 * 2 ** Math.min(failures, 5)));
  onClosedForGood();
}

/** Shows an event's page at once, then the labs of the following pages when there are more. */
async function show(first: Page<Lab>) {
  const mine = ++generation;
  publish({ ...feed, labs: first.items, status: "live" });
  let cursor = first.nextCursor;
  const labs = [...first.items];
  try {
    while (cursor && mine === generation) {
      const page = await request<Page<Lab>>("GET", `/api/v1/labs?limit=500&cursor=${encodeURIComponent(cursor)}`);
      labs.push(...page.items);
      cursor = page.nextCursor;
    }
  } catch {
    return; // the first page stays; the next event fetches the rest again
  }
  if (mine === generation && labs.length > first.items.length) publish({ ...feed, labs, status: "live" });
}

/** Starts the feed for a logged-in user; `checkSession` runs when the stream is refused or ended. */
export function startFeed(checkSession: () => void) {
  onClosedForGood = checkSession;
  // A refused feed reopens from its backoff timer only: checking the session calls this again at
  // once, and opening here too would make two EventSources (and hammer a 429).
  if (!source && retryTimer === undefined) connect();
}

export function stopFeed() {
  clearTimeout(retryTimer);
  retryTimer = undefined;
  close();
  generation++;
  failures = 0;
  feed = { labs: null, status: "connecting", viewers: [] };
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
