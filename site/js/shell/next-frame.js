// Start-up work split into pieces, each in a frame of its own, so that no frame freezes the
// page for long while a lab draws itself and Python starts (issue 8: none over 50 ms).

const HIDDEN_PAGE_MS = 100;   // a page in a background tab gets no frames: carry on anyway

/** Resolves once the browser has rendered a frame (style, layout, paint) since the call. */
export function afterNextPaint() {
  return new Promise(resolve => {
    const done = () => setTimeout(resolve, 0);
    requestAnimationFrame(done);
    setTimeout(resolve, HIDDEN_PAGE_MS);
  });
}
