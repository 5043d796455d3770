// The saved-work toolbar above the lab: Export, Import, Reset to defaults, one message line,
// and the list of networks set aside, each with its buttons. It only shows and asks; what the
// buttons do is given by saved-work.js.
//
//   const toolbar = createToolbar(container, {onExport, onImport(file), onReset});
//   toolbar.say(text, {problem, label, action})   the message, with one button when given
//   toolbar.showAside(items)    items: [{text, actions: [{label, name, action}]}]; none hides it
//   download(name, text)        offer text as a file

export function createToolbar(container, {onExport, onImport, onReset}) {
  container.innerHTML = `
    <div class="saved-work-actions" role="group" aria-label="Saved work">
      <button type="button" data-saved="export">Export network (JSON)</button>
      <button type="button" data-saved="import">Import network&hellip;</button>
      <input type="file" accept=".json,application/json" hidden
             aria-label="Network file to import" data-saved-file>
      <button type="button" data-saved="reset">Reset to defaults</button>
    </div>
    <p class="saved-work-hint">This lab's settings and network are kept in this browser.</p>
    <p class="saved-work-message" role="status" aria-live="polite" data-saved-message></p>
    <section class="saved-work-aside" aria-label="Networks set aside" data-set-aside hidden>
      <p>Networks set aside in this browser (kept until you bring them back or discard them):</p>
      <ul></ul>
    </section>`;
  const message = container.querySelector('[data-saved-message]');
  const fileInput = container.querySelector('[data-saved-file]');
  const asideList = container.querySelector('[data-set-aside]');

  function say(text, {problem = false, label, action} = {}) {
    message.textContent = text;
    message.classList.toggle('is-problem', problem);
    if (action) message.append(' ', button(label, label, action));
  }

  function button(text, name, action) {
    const element = Object.assign(document.createElement('button'), {type: 'button', textContent: text});
    if (name !== text) element.setAttribute('aria-label', name);
    element.addEventListener('click', () => {
      Promise.resolve().then(action).catch(error => say(error.message, {problem: true}));
    });
    return element;
  }

  function showAside(items) {
    asideList.hidden = !items.length;
    asideList.querySelector('ul').replaceChildren(...items.map(({text, actions}) => {
      const item = document.createElement('li');
      item.append(text);
      for (const {label, name, action} of actions) item.append(' ', button(label, name, action));
      return item;
    }));
  }

  const actions = {
    export: onExport,
    import: () => {
      fileInput.value = '';
      fileInput.click();
    },
    reset: onReset,
  };
  container.querySelector('.saved-work-actions').addEventListener('click', event => {
    const pressed = event.target.closest('[data-saved]');
    if (!pressed) return;
    Promise.resolve().then(actions[pressed.dataset.saved])
      .catch(error => say(error.message, {problem: true}));
  });
  fileInput.addEventListener('change', () => {
    if (fileInput.files[0]) onImport(fileInput.files[0]);
  });
  return {say, showAside};
}

export function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], {type: 'application/json'}));
  const link = Object.assign(document.createElement('a'), {href: url, download: name});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
