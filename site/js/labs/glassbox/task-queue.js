// The glass box's simulator work, one task at a time: a click while an epoch runs waits for it
// instead of racing it. data-phase on the lab says where it is (`working` while a task runs,
// `idle` once none is left, the packets' phases such as `forward-0-start` in between), for
// readers of the DOM such as the end-to-end tests.

export function createTaskQueue(root, {onError}) {
  let busy = Promise.resolve();
  let pending = 0;
  const setPhase = name => {
    root.dataset.phase = name;
  };
  return {
    setPhase,
    run(task) {
      pending += 1;
      setPhase('working');
      busy = busy
        .then(task)
        .catch(onError)
        .finally(() => {
          pending -= 1;
          if (pending === 0) setPhase('idle');
        });
      return busy;
    },
  };
}
