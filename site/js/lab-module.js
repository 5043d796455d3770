// The lab module interface of app.js for a lab written as createLab(root, ctx) -> {start, stop}:
// mount creates the lab and waits for its start, unmount stops it (timers, training runs).
//
//   export default labModule({id, title, createLab});

export function labModule({id, title, createLab}) {
  let lab = null;
  return {
    id,
    title,
    async mount(root, ctx) {
      lab = createLab(root, ctx);
      await lab.start();
    },
    unmount() {
      lab?.stop();
      lab = null;
    },
  };
}
