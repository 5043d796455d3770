// The offline copy (site/service-worker.js): registered once the page is ready, so its
// downloads never compete with the start. A new deployment found at a visit is offered, never
// taken silently: `offerUpdate(reload)` is called, and reload() hands over to the new build;
// every open page of the site then reloads, so no page runs one build with another's files.
//
// Without service workers (an old or locked-down browser, a private window in some) or from
// file://, nothing happens: the site works online as before.

const WORKER = './service-worker.js';

export async function keepOffline({offerUpdate}) {
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  let controlled = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // The first install takes over the page it was installed from: same build, no reload.
    if (controlled) location.reload();
    controlled = true;
  });
  let registration;
  try {
    registration = await navigator.serviceWorker.register(WORKER, {updateViaCache: 'none'});
  } catch (error) {
    console.info(`No offline copy: ${error.message}`);
    return;
  }
  if (!registration) return;   // service workers turned off (Playwright's "block" does this)
  const offer = worker => offerUpdate(() => worker.postMessage('activate'));
  const whenInstalled = worker => worker.addEventListener('statechange', () => {
    if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
  });
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  if (registration.installing) whenInstalled(registration.installing);
  registration.addEventListener('updatefound', () => whenInstalled(registration.installing));
}
