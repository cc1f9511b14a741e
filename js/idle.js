// When the page has time for work nobody waits for (fetching ahead): once the browser is idle, or
// after 4 s at the latest, so that a page that is never idle still gets it.

/** How long work ahead may wait for an idle moment. */
const IDLE_WITHIN_MS = 4000;

export const whenIdle = (run) =>
  typeof requestIdleCallback === "function" ? requestIdleCallback(run, { timeout: IDLE_WITHIN_MS }) : setTimeout(run, 500);

/** After the frame that draws what just arrived, once the browser is idle. */
export const afterPaint = (run) =>
  typeof requestAnimationFrame === "function" ? requestAnimationFrame(() => whenIdle(run)) : whenIdle(run);
