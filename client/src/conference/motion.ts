/** Whether the reader asked for less motion: scrolls jump instead of gliding, nothing animates. */
export function prefersReducedMotion(): boolean {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}
