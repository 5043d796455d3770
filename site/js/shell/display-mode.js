// Display modes: light or dark (following the system unless the reader chose), projector (large
// type, thick lines, for a lecture hall) and high contrast. The modes are attributes on <html>
// that site/css/display.css turns into its custom properties; the reader's choice is kept in
// localStorage, so it is remembered across visits. A link may also ask for them (a teacher's
// embed): `?display=dark,projector,contrast` before the hash; that choice is not stored.
//
//   mountDisplaySwitch(host, {search})   draws the switch (visible labels) and applies the modes
//   applyDisplayModes(modes)             {scheme: 'system'|'light'|'dark', projector, contrast}
//
// <html data-scheme="light|dark"> is the scheme in effect (the system's, resolved here, when the
// reader chose none), data-projector and data-contrast are present when on.

const KEY = 'glassbox-display';
const SCHEMES = [['system', 'As the system'], ['light', 'Light'], ['dark', 'Dark']];
const DEFAULTS = {scheme: 'system', projector: false, contrast: false};
const systemDark = window.matchMedia('(prefers-color-scheme: dark)');

function stored() {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) || '{}');
    return {
      scheme: SCHEMES.some(([name]) => name === value.scheme) ? value.scheme : 'system',
      projector: value.projector === true,
      contrast: value.contrast === true,
    };
  } catch {
    return {...DEFAULTS};   // unreadable or unavailable storage: the defaults
  }
}

function store(modes) {
  try {
    localStorage.setItem(KEY, JSON.stringify(modes));
  } catch {
    // storage refused (private mode, full): the choice lasts for this page only
  }
}

// `?display=dark,projector` -> modes, or null when the link names none.
function fromLink(search) {
  const words = new URLSearchParams(search).get('display');
  if (words === null) return null;
  const list = words.split(',').map(word => word.trim());
  return {
    scheme: list.find(word => word === 'light' || word === 'dark') || 'system',
    projector: list.includes('projector'),
    contrast: list.includes('contrast'),
  };
}

export function applyDisplayModes(modes) {
  const html = document.documentElement;
  const dark = modes.scheme === 'dark' || (modes.scheme === 'system' && systemDark.matches);
  html.dataset.scheme = dark ? 'dark' : 'light';
  html.toggleAttribute('data-projector', modes.projector);
  html.toggleAttribute('data-contrast', modes.contrast);
  html.dispatchEvent(new CustomEvent('glassbox:display', {detail: {...modes, dark}}));
}

export function mountDisplaySwitch(host, {search = location.search} = {}) {
  const linked = fromLink(search);
  let modes = linked || stored();
  host.innerHTML = `
    <span class="display-field"><label for="display-scheme">Display</label>
      <select id="display-scheme" data-display="scheme"></select></span>
    <label class="display-field"><input type="checkbox" data-display="projector"> Projector</label>
    <label class="display-field"><input type="checkbox" data-display="contrast"> High contrast</label>`;
  const scheme = host.querySelector('[data-display="scheme"]');
  for (const [value, label] of SCHEMES) scheme.add(new Option(label, value));
  const projector = host.querySelector('[data-display="projector"]');
  const contrast = host.querySelector('[data-display="contrast"]');

  function show() {
    scheme.value = modes.scheme;
    projector.checked = modes.projector;
    contrast.checked = modes.contrast;
    applyDisplayModes(modes);
  }
  host.addEventListener('change', () => {
    modes = {scheme: scheme.value, projector: projector.checked, contrast: contrast.checked};
    if (!linked) store(modes);
    show();
  });
  systemDark.addEventListener('change', () => applyDisplayModes(modes));
  show();
}
