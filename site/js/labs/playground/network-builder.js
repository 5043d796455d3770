// The network's shape: which input features, how many hidden layers, neurons in each and each
// layer's activation. The settings schema has these as lists (features, hidden, activations);
// their labels, choices and bounds come from it, so this module knows none of them.
//
//   const builder = createNetworkBuilder(host, {schema, onChange});
//   builder.show(settings)    show the simulator's settings
//   onChange(changes)         {features} or {hidden, activations}: the edit, not yet accepted

const NEEDS = 'disabled data-needs-python';

export function createNetworkBuilder(host, {schema, onChange}) {
  const spec = name => schema.settings.find(s => s.name === name);
  const features = spec('features');
  const hidden = spec('hidden');
  const activations = spec('activations');
  let shown = null;   // the settings on show

  host.innerHTML = `
    <fieldset class="pg-features"><legend></legend></fieldset>
    <fieldset class="pg-layers"><legend></legend>
      <div class="pg-layer-buttons">
        <button type="button" name="add_layer" ${NEEDS}>Add a layer</button>
        <button type="button" name="remove_layer" ${NEEDS}>Remove a layer</button>
      </div>
      <ol class="pg-layer-list"></ol>
    </fieldset>`;
  const featureSet = host.querySelector('.pg-features');
  featureSet.querySelector('legend').textContent = features.label;
  for (const choice of features.item.choices) {
    const label = document.createElement('label');
    label.innerHTML = `<input type="checkbox" name="feature" ${NEEDS}> <span></span>`;
    label.querySelector('input').value = choice.value;
    label.querySelector('span').textContent = choice.label;
    featureSet.append(label);
  }
  const layerSet = host.querySelector('.pg-layers');
  layerSet.querySelector('legend').textContent = hidden.label;
  const list = layerSet.querySelector('.pg-layer-list');

  // An edit is shown at once, so a second click builds on the first before the simulator has
  // answered; the lab shows the settings in force again when it refuses one.
  function commit(changes) {
    show({...shown, ...changes});
    onChange(changes);
  }
  featureSet.addEventListener('change', () => {
    commit({features: [...featureSet.querySelectorAll('input:checked')].map(box => box.value)});
  });
  const commitLayers = (sizes, kinds) => commit({hidden: sizes, activations: kinds});
  host.querySelector('[name="add_layer"]').addEventListener('click', () => {
    const {hidden: sizes, activations: kinds} = shown;
    commitLayers([...sizes, hidden.item.default],
                 [...kinds, kinds[kinds.length - 1] ?? activations.item.default]);
  });
  host.querySelector('[name="remove_layer"]').addEventListener('click', () => {
    commitLayers(shown.hidden.slice(0, -1), shown.activations.slice(0, -1));
  });
  list.addEventListener('click', event => {
    const button = event.target.closest('button[data-change]');
    if (!button) return;
    const k = Number(button.closest('li').dataset.layer);
    const sizes = [...shown.hidden];
    sizes[k] += Number(button.dataset.change);
    commitLayers(sizes, shown.activations);
  });
  list.addEventListener('change', event => {
    const select = event.target.closest('select');
    if (!select) return;
    const kinds = [...shown.activations];
    kinds[Number(select.closest('li').dataset.layer)] = select.value;
    commitLayers(shown.hidden, kinds);
  });

  function layerItem(k) {
    const item = document.createElement('li');
    item.dataset.layer = String(k);
    item.innerHTML = `<span class="pg-layer-name"></span>
      <button type="button" data-change="-1"></button>
      <output></output>
      <button type="button" data-change="1"></button>
      <label><span class="pg-visually-hidden"></span> <select></select></label>`;
    const name = `Hidden layer ${k + 1}`;
    item.querySelector('.pg-layer-name').textContent = name;
    const [fewer, more] = item.querySelectorAll('button');
    fewer.textContent = '−';
    fewer.setAttribute('aria-label', `${name}: one neuron fewer`);
    more.textContent = '+';
    more.setAttribute('aria-label', `${name}: one neuron more`);
    item.querySelector('label span').textContent = `${name}: ${activations.label}`;
    const select = item.querySelector('select');
    for (const choice of activations.item.choices) select.add(new Option(choice.label, choice.value));
    return item;
  }

  function show(settings) {
    shown = settings;
    for (const box of featureSet.querySelectorAll('input')) {
      box.checked = settings.features.includes(box.value);
    }
    while (list.children.length > settings.hidden.length) list.lastElementChild.remove();
    while (list.children.length < settings.hidden.length) list.append(layerItem(list.children.length));
    settings.hidden.forEach((size, k) => {
      const item = list.children[k];
      const [fewer, more] = item.querySelectorAll('button');
      item.querySelector('output').textContent = `${size} neuron${size === 1 ? '' : 's'}`;
      fewer.disabled = size <= hidden.item.min;
      more.disabled = size >= hidden.item.max;
      item.querySelector('select').value = settings.activations[k];
    });
    host.querySelector('[name="add_layer"]').disabled = settings.hidden.length >= hidden.max_length;
    host.querySelector('[name="remove_layer"]').disabled = settings.hidden.length <= hidden.min_length;
  }

  return {show};
}
