// The lab module interface of app.js for a lab written as createLab(root, ctx) -> {start, stop}
// over a fixed page of markup: mount puts the markup in, lets the browser lay it out in a frame
// of its own (a lab's page is the costliest layout of start-up), then creates the lab and waits
// for its start; unmount stops it (timers, training runs).
//
//   export default labModule({template, createLab});

import {afterNextPaint} from './next-frame.js';

export function labModule({template, createLab}) {
  let lab = null;
  return {
    async mount(root, ctx) {
      root.innerHTML = template;
      await afterNextPaint();
      performance.mark('glassbox:lab page');   // start-up milestones (app.js)
      lab = createLab(root, ctx);
      performance.mark('glassbox:lab made');
      await lab.start();
    },
    unmount() {
      lab?.stop();
      lab = null;
    },
  };
}
