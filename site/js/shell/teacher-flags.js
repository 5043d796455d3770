// A teacher's link flags, `?hide=seed,saved_work&lock=learning_rate#xor?learning_rate=0.3`
// (README, "Embedding in a course page"). Python decides which names are valid
// (nnsim.teacher: the bridge's open answers `teacher: {hide, lock, problems}`) and keeps a
// locked setting at the link's value whatever the page asks; this module only shows it:
//
//   const flags = createTeacherFlags(document);
//   flags.apply(root, teacher)   hide and lock what the open answer names (null: nothing)
//   flags.early(root, linkFlags(location.search))  the same from the link's own text, while
//                                Python starts (so a hidden control is never shown)
//
// A hidden control is not shown (`[data-setting=name]`, or `[data-control=name]` for the
// controls that are not settings). A locked setting stays on screen, disabled, with "Locked by
// your teacher" beside it and in its inputs' description; a control the lab enables again
// later (after a run, say), or builds afresh, is locked again as it appears.

const CUE = 'Locked by your teacher';
let cues = 0;

/** The link's flags as text, or null when it has none. Before Python has checked them they
 * are only shown (a name no control has hides nothing); Python's answer replaces them. */
export function linkFlags(search) {
  const params = new URLSearchParams(search);
  const hide = params.get('hide');
  const lock = params.get('lock');
  return hide === null && lock === null ? null : {hide: hide ?? '', lock: lock ?? ''};
}

export function createTeacherFlags(doc) {
  const style = doc.createElement('style');
  doc.head.append(style);
  let locked = [];
  let observer = null;

  function lockWithin(root) {
    for (const name of locked) {
      for (const element of root.querySelectorAll(`[data-setting="${CSS.escape(name)}"]`)) {
        lockControl(element, name);
      }
    }
  }

  const api = {
    early(root, flags) {
      const names = text => text.split(',').map(name => name.trim()).filter(Boolean);
      if (flags) api.apply(root, {hide: names(flags.hide), lock: names(flags.lock)});
    },
    apply(root, teacher) {
      observer?.disconnect();
      const hidden = teacher?.hide ?? [];
      locked = teacher?.lock ?? [];
      style.textContent = hidden.map(name =>
        `[data-setting="${CSS.escape(name)}"], [data-control="${CSS.escape(name)}"]`)
        .join(',\n') + (hidden.length ? ' { display: none !important; }' : '');
      doc.documentElement.dataset.teacherHidden = hidden.join(' ');
      if (!locked.length) return;
      lockWithin(root);
      observer = new MutationObserver(() => lockWithin(root));
      observer.observe(root, {subtree: true, childList: true, attributeFilter: ['disabled']});
    },
  };
  return api;
}

function lockControl(element, name) {
  const inputs = element.querySelectorAll('input, select, textarea, button');
  for (const input of inputs) {
    if (!input.disabled) input.disabled = true;
    delete input.dataset.needsPython;   // the shell must not wake it
  }
  if (element.dataset.locked === '') return;
  element.dataset.locked = '';
  const cue = element.ownerDocument.createElement('p');
  cue.className = 'locked-cue';
  cue.id = `locked-${name}-${cues += 1}`;
  cue.textContent = CUE;
  // Under a single field, before the line its own messages take; under a group, at its end.
  const messages = element.querySelectorAll('.field-message');
  if (messages.length === 1) messages[0].before(cue);
  else element.append(cue);
  for (const input of inputs) {
    const described = input.getAttribute('aria-describedby');
    input.setAttribute('aria-describedby', described ? `${described} ${cue.id}` : cue.id);
  }
}
