// The offline copy of the site: after a first visit, the site starts from this service worker's
// cache, with or without a network, and a new deployment is taken only when the reader says so.
//
// build.py replaces the BUILD line below with this build's fingerprint and its files, each with
// its sha256 (buildtools/offline.py). The cache is named after the fingerprint and holds one
// build only: every file is fetched with its hash as `integrity`, so a file of another build
// (a deployment half-way done, an old copy in the HTTP cache) fails the install instead of
// mixing in. `lazy` files (the memory snapshot: a slow link's plain start never asks for it)
// are not downloaded at install: kept then only when the visit already downloaded them (the
// browser's HTTP cache has them), else when a page first asks for them.
//
// Updates: the browser fetches this file at every visit; a changed BUILD line installs the new
// build beside the old one, which keeps serving its pages. The page offers a reload
// (site/js/offline.js); on it, the page posts 'activate', the new build takes over, the old
// cache goes, and every open page reloads.

const BUILD = {fingerprint: 'unbuilt', files: {}, lazy: []};  // build.py: offline build

const CACHE = `glassbox-${BUILD.fingerprint}`;
const SCOPE = new URL('./', self.location).href;

/** The build's path for a URL of this site ('' for none): the folder means its index.html. */
function buildPath(url) {
  const {origin, pathname} = new URL(url);
  if (origin !== self.location.origin || !(origin + pathname).startsWith(SCOPE)) return '';
  const path = (origin + pathname).slice(SCOPE.length) || 'index.html';
  return path in BUILD.files ? path : '';
}

function fetchChecked(path, options = {cache: 'no-cache'}) {
  return fetch(new Request(SCOPE + path, {integrity: BUILD.files[path], ...options}));
}

self.addEventListener('install', event => {
  event.waitUntil(install().catch(async error => {
    await caches.delete(CACHE);   // nothing of a failed install stays; the next visit tries again
    throw error;
  }));
});

async function install() {
  const cache = await caches.open(CACHE);
  const eager = Object.keys(BUILD.files).filter(path => !BUILD.lazy.includes(path));
  await Promise.all(eager.map(async path => {
    const response = await fetchChecked(path);
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    await cache.put(SCOPE + path, response);
  }));
  await Promise.all(BUILD.lazy.map(async path => {
    try {
      const response = await fetchChecked(path, {cache: 'only-if-cached', mode: 'same-origin'});
      if (response.ok) await cache.put(SCOPE + path, response);
    } catch {
      // Not downloaded by this visit: cached when a page first asks for it.
    }
  }));
}

self.addEventListener('activate', event => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('glassbox-') && name !== CACHE) await caches.delete(name);
    }
    // The first visit's page (and its workers) use the cache from now on: a lab opened later
    // in it works offline too. It is the same build, so nothing is mixed.
    await self.clients.claim();
  })());
});

self.addEventListener('message', event => {
  if (event.data === 'activate') self.skipWaiting();
});

self.addEventListener('fetch', event => {
  const {request} = event;
  const path = (request.method === 'GET' || request.method === 'HEAD') && buildPath(request.url);
  if (path) event.respondWith(fromCache(path, request.method));
});

async function fromCache(path, method) {
  const cache = await caches.open(CACHE);
  let response = await cache.match(SCOPE + path);
  if (!response) {
    // A lazy file, or an eager one evicted: fetched once, checked, kept.
    response = await fetchChecked(path);
    if (response.ok) await cache.put(SCOPE + path, response.clone());
  }
  // The runtime asks for the wasm with HEAD to learn at once that it is there.
  return method === 'HEAD'
    ? new Response(null, {status: response.status, headers: response.headers})
    : response;
}
