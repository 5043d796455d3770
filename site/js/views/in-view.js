// Drawing that may wait while a lab plays: a part out of view is drawn when it comes into view
// (a little before, so nobody meets a stale one), and a part in view in a frame after the one
// that shows the rest of the step, so no single frame carries all of a step's typesetting and
// layout (issue 17: no frame over 50 ms while a lab plays). Drawing that may not wait (a Step,
// a Pause, a new selection) happens at once and replaces any that was waiting.
//
//   const parts = createInViewDrawing({signal});
//   parts.observe(element)
//   parts.draw(element, drawing, {wait})   drawing() draws element's part; wait: it may wait

import {afterNextPaint} from '../shell/next-frame.js';

const VIEW_MARGIN = '200px 0px';

export function createInViewDrawing({signal} = {}) {
  const inView = new Set();
  const late = new Map();    // element -> its latest drawing, kept while it is out of view
  const next = new Map();    // element -> its latest drawing, due in the next frame
  let scheduled = false;

  const observer = new IntersectionObserver(entries => {
    for (const {target, isIntersecting} of entries) {
      if (!isIntersecting) {
        inView.delete(target);
        continue;
      }
      inView.add(target);
      const drawing = late.get(target);
      late.delete(target);
      drawing?.();
    }
  }, {rootMargin: VIEW_MARGIN});
  signal?.addEventListener('abort', () => observer.disconnect());

  async function drawNext() {
    scheduled = true;
    await afterNextPaint();
    scheduled = false;
    const due = [...next.values()];
    next.clear();
    for (const drawing of due) drawing();
  }

  return {
    observe(element) {
      observer.observe(element);
    },
    draw(element, drawing, {wait = false} = {}) {
      late.delete(element);
      next.delete(element);
      if (!wait) {
        drawing();
      } else if (!inView.has(element)) {
        late.set(element, drawing);
      } else {
        next.set(element, drawing);
        if (!scheduled) drawNext();
      }
    },
  };
}
