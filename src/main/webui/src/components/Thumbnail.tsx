import { useEffect, useRef, useState } from "preact/hooks";
import { useInView, usePageVisible } from "../overview";

/** How often a visible tile asks for a new picture; the controller shares one screenshot per lab for ~2 s. */
const REFRESH_MS = 5000;

/**
 * A live picture of a lab's screen for the class overview. It refreshes every few seconds, only
 * while the page is visible and the tile is on screen, keeps the last picture until the next one
 * has loaded, and never has more than one request in flight: the next is scheduled only after the
 * previous one ended.
 */
export function Thumbnail({ labId, alt }: { labId: string; alt: string }) {
  const box = useRef<HTMLDivElement>(null);
  const inView = useInView(box);
  const visible = usePageVisible();
  const [src, setSrc] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!inView || !visible) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const tick = async () => {
      try {
        const r = await fetch(`/api/v1/labs/${encodeURIComponent(labId)}/screenshot`,
          { credentials: "same-origin", headers: { Accept: "image/png" }, signal: controller.signal });
        if (r.ok) {
          const url = URL.createObjectURL(await r.blob());
          const probe = new Image();
          probe.src = url;
          try {
            await probe.decode();
          } catch {
            /* a picture the browser cannot decode: shown as broken, replaced by the next one */
          }
          if (stopped) URL.revokeObjectURL(url);
          else { setSrc(url); setProblem(null); }
        } else if (!stopped) {
          setProblem(r.status === 409 ? "No screen right now" : "The screen does not answer");
        }
      } catch {
        /* aborted, or the controller is unreachable: the page's own refresh reports that */
      }
      if (!stopped) timer = setTimeout(() => void tick(), REFRESH_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
    };
  }, [labId, inView, visible]);

  // The previous picture's object URL is released once the next one is on screen (and on unmount).
  useEffect(() => () => { if (src) URL.revokeObjectURL(src); }, [src]);

  return (
    <div class="ov-thumb" ref={box}>
      {src ? <img src={src} alt={alt} data-testid="overview-thumbnail" />
        : <span class="ov-thumb-empty">{problem ?? "Loading the screen…"}</span>}
    </div>
  );
}
