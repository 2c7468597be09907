// The class overview's API (GET /api/v1/courses/{id}/overview) and the browser signals its
// tiles refresh by: whether the page is visible and whether an element is on screen.
import { useEffect, useState, type MutableRef } from "preact/hooks";
import { request, type Lab, type LabState } from "./api";

/** A student's lab in the overview: the lab as the lab API shows it, plus what this caller may do with it. */
export interface TileLab extends Lab {
  console: boolean; screen: boolean; thumbnail: boolean; lastInputAt: string | null; allowedActions: string[];
}
export type TileState = LabState | "none";
export interface Tile {
  student: { id: string; username: string; displayName: string | null };
  state: TileState; labs: TileLab[]; lastInputAt: string | null; idleSeconds: number | null;
}
export interface Overview {
  courseId: string; courseName: string; courseCode: string; at: string; thumbnails: boolean;
  counts: Partial<Record<TileState, number>>; students: number; tiles: Tile[];
}
export type OverviewSort = "name" | "state" | "idle";
export interface OverviewQuery { state: TileState | ""; idleMinutes: string; sort: OverviewSort }

export const TILE_STATES: TileState[] = ["Running", "Starting", "Pending", "Stopping", "Failed", "Stopped", "Deleting", "none"];

export function fetchOverview(courseId: string, q: OverviewQuery): Promise<Overview> {
  const p = new URLSearchParams({ sort: q.sort });
  if (q.state) p.set("state", q.state);
  if (q.idleMinutes) p.set("idleMinutes", q.idleMinutes);
  return request<Overview>("GET", `/api/v1/courses/${encodeURIComponent(courseId)}/overview?${p}`);
}

/** "idle 4 min", "input just now" or "no input seen". */
export function idleText(seconds: number | null): string {
  if (seconds == null) return "no input seen";
  if (seconds < 60) return "input just now";
  const m = Math.floor(seconds / 60);
  if (m < 60) return `idle ${m} min`;
  return `idle ${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Whether the page is visible (document.visibilityState), re-rendering when it changes. */
export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(document.visibilityState === "visible");
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  return visible;
}

/** Whether the element is on screen or close to it (IntersectionObserver); true where the browser has none. */
export function useInView(ref: MutableRef<Element | null>): boolean {
  const [inView, setInView] = useState(typeof IntersectionObserver === "undefined");
  useEffect(() => {
    if (!ref.current || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => setInView(entries.some((e) => e.isIntersecting)), { rootMargin: "100px" });
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, [ref.current]);
  return inView;
}
