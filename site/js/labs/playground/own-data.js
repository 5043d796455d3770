// The learner's own points: the class a click adds, click-to-remove, clear all, and the points
// as CSV (x1,x2,label) in and out. The simulator checks every point and every CSV line
// (PlaygroundSession.add_point, import_csv: a bad file is refused whole, naming its line).
//
//   const own = createOwnData(host, {onClear, onImport, onExport});
//   own.show(classes)          the number of classes the points may use
//   own.classToAdd()           the chosen class (0-based)
//   own.removing()             whether a click removes instead of adding
//   own.say(message)           a message under the tools (a refused file, say)

const NEEDS = 'disabled data-needs-python';

export function createOwnData(host, {onClear, onImport, onExport}) {
  host.innerHTML = `
    <fieldset class="pg-own-tools">
      <legend>Your own points</legend>
      <p class="pg-note">Click the plot to add a point of the chosen class; shift-click (or
        tick "Clicks remove points") to remove the nearest one.</p>
      <label>Class to add <select name="own_class"></select></label>
      <label><input type="checkbox" name="own_remove"> Clicks remove points</label>
      <button type="button" name="own_clear" ${NEEDS}>Clear all points</button>
      <label class="pg-file">Import CSV (x1,x2,label) <input type="file" name="own_import" accept=".csv,text/csv,text/plain" ${NEEDS}></label>
      <button type="button" name="own_export" ${NEEDS}>Export CSV</button>
      <p class="pg-own-message" aria-live="polite"></p>
    </fieldset>`;
  const field = name => host.querySelector(`[name="${name}"]`);
  const message = host.querySelector('.pg-own-message');
  field('own_clear').addEventListener('click', () => onClear());
  field('own_export').addEventListener('click', () => onExport());
  field('own_import').addEventListener('change', async () => {
    const file = field('own_import').files[0];
    if (!file) return;
    onImport(await file.text(), file.name);
    field('own_import').value = '';
  });

  return {
    show(classes) {
      const select = field('own_class');
      const chosen = select.value;
      select.replaceChildren(...Array.from({length: classes}, (_, k) => new Option(`Class ${k}`, String(k))));
      if (Number(chosen) < classes) select.value = chosen;
    },
    classToAdd: () => Number(field('own_class').value || 0),
    removing: () => field('own_remove').checked,
    say(text) {
      message.textContent = text;
    },
  };
}
