// A lab's setting controls, built from its settings schema (nnsim.settings; docs/architecture.md,
// "Settings schema"). Labels, kinds, choices, bounds, slider ranges and the rules between
// settings all come from Python: this module writes none of them, so a new activation, loss or
// limit needs no change here. The lab decides where each control goes.
//
//   const form = createSettingsForm({lab, schema, onChange});
//   form.place(name, host)   build setting `name`'s control at the end of host; returns its element
//   form.show(settings)      show the simulator's settings (no onChange)
//   form.values()            the placed settings as the controls show them
//   form.spec(name)          the schema's entry for a setting
//   form.reject(message)     the simulator refused the last edit: say why next to that control
//
// A setting whose schema entry has `shown_when: {setting, values}` is hidden while that other
// setting has none of those values.
//
// onChange(changes, {moved}) runs on a committed edit with {name: value}; when a rule moved
// another setting to its fallback (cross-entropy needs a sigmoid output, say), `changes` holds
// that one too and `moved` says so in the schema's words.
//
// Every control is `disabled data-needs-python` until the shell wakes it, named by the
// setting's name (`name` attribute, and `data-setting` on its element, for a teacher's
// hide=/lock= flags), with id `<lab>-<name>` (a vector's entries: `<lab>-<entry label>`).

import {createNumberSlider} from './number-slider.js';
import {attachNumberField} from './number-field.js';

export function createSettingsForm({lab, schema, onChange}) {
  const specs = new Map(schema.settings.map(spec => [spec.name, spec]));
  const controls = new Map();   // name -> {element, get(), set(value), reject(message)}
  let lastEdited = null;

  function commit(name, value) {
    lastEdited = name;
    const changes = {[name]: value};
    const moved = applyRules(changes);
    showRelevant();
    onChange(changes, {moved});
  }

  // A setting with `shown_when` (an optimiser's beta1, a schedule's gamma) is shown only while
  // the setting it belongs to has one of the values that use it.
  function showRelevant() {
    for (const [name, control] of controls) {
      const when = specs.get(name).shown_when;
      const owner = when && controls.get(when.setting);
      if (owner) control.element.hidden = !when.values.includes(owner.get());
    }
  }

  // Choices a rule rules out are disabled with the rule's reason beside them (a setting under
  // several rules gathers them); a setting left on one of them moves to the rule's fallback,
  // and the move goes into `changes`. A move may block another setting (regression moves the
  // output to linear, which rules out cross-entropy), so the rules run until nothing moves.
  function applyRules(changes = {}) {
    const moved = [];
    let before;
    let passes = 0;
    do {
      before = moved.length;
      applyRulesOnce(changes, moved);
      passes += 1;
    } while (moved.length > before && passes <= schema.rules.length);
    return moved.join(' ');
  }

  function applyRulesOnce(changes, moved) {
    const blocks = new Map();   // setting -> {values, reasons} ruled out now
    for (const rule of schema.rules) {
      const control = controls.get(rule.setting);
      const needs = controls.get(rule.needs);
      if (!control || !needs) continue;
      const block = blocks.get(rule.setting) ?? {values: [], reasons: []};
      blocks.set(rule.setting, block);
      if (rule.allowed.includes(needs.get())) continue;
      block.values.push(...rule.values);
      block.reasons.push(rule.reason);
      if (rule.values.includes(control.get())) {
        const spec = specs.get(rule.setting);
        const from = choiceLabel(spec, control.get());
        control.set(rule.fallback);
        changes[rule.setting] = rule.fallback;
        moved.push(`${from} needs ${specs.get(rule.needs).label} ` +
                   `${rule.allowed.map(v => choiceLabel(specs.get(rule.needs), v)).join(' or ')}, ` +
                   `so ${spec.label} is back to ${choiceLabel(spec, rule.fallback)}.`);
      }
    }
    for (const [name, {values, reasons}] of blocks) controls.get(name).block(values, reasons.join(' '));
  }

  const builders = {
    number: numberControl,
    integer: numberControl,
    choice: choiceControl,
    boolean: booleanControl,
    vector: vectorControl,
  };

  return {
    place(name, host) {
      const spec = specs.get(name);
      if (!spec) throw new Error(`The ${lab} lab has no setting ${name}.`);
      const control = builders[spec.kind](host, spec, {lab, commit: value => commit(name, value)});
      control.element.dataset.setting = name;
      for (const input of control.element.querySelectorAll('input, select')) {
        input.disabled = true;
        input.dataset.needsPython = '';
      }
      controls.set(name, control);
      return control.element;
    },
    show(settings) {
      for (const [name, control] of controls) {
        if (name in settings) control.set(settings[name]);
      }
      applyRules();
      showRelevant();
    },
    values() {
      return Object.fromEntries([...controls].map(([name, control]) => [name, control.get()]));
    },
    spec: name => specs.get(name),
    reject(message) {
      controls.get(lastEdited)?.reject(message);
    },
  };
}

function choiceLabel(spec, value) {
  return spec.choices?.find(choice => choice.value === value)?.label ?? String(value);
}

// ------------------------------------------------------------------ one builder per kind

function numberRules(spec) {
  return {label: spec.label, min: spec.min ?? -Infinity, max: spec.max ?? Infinity,
          exclusiveMin: spec.min_exclusive, integer: spec.kind === 'integer'};
}

function numberControl(host, spec, {lab, commit}) {
  const id = `${lab}-${spec.name}`;
  if (spec.slider) {
    const field = createNumberSlider(host, {
      ...numberRules(spec), id, name: spec.name, value: spec.default,
      sliderMin: spec.slider.min, sliderMax: spec.slider.max, sliderStep: spec.slider.step,
      onChange: commit,
    });
    return {element: host.lastElementChild, get: () => field.value, set: field.set,
            reject: field.reject, block() {}};
  }
  const element = document.createElement('div');
  element.className = 'field';
  element.innerHTML = `<label for="${id}"></label>
    <div class="field-row"><input type="number" id="${id}" inputmode="decimal"></div>
    <p class="field-message"></p>`;
  element.querySelector('label').textContent = spec.label;
  const input = element.querySelector('input');
  input.name = spec.name;
  input.step = spec.kind === 'integer' ? '1' : 'any';
  if (spec.min !== null) input.min = String(spec.min);
  if (spec.max !== null) input.max = String(spec.max);
  host.append(element);
  const field = attachNumberField(input, {...numberRules(spec), onCommit: commit,
                                          message: element.querySelector('.field-message')});
  return {element, get: () => field.value, set: field.set, reject: field.reject, block() {}};
}

function choiceControl(host, spec, {lab, commit}) {
  const element = document.createElement('div');
  element.className = 'setting-choice';
  element.innerHTML = `<label></label><p class="setting-reason" hidden></p>`;
  const label = element.querySelector('label');
  const reason = element.querySelector('.setting-reason');
  reason.id = `${lab}-${spec.name}-reason`;
  const select = document.createElement('select');
  select.name = spec.name;
  select.id = `${lab}-${spec.name}`;
  select.setAttribute('aria-describedby', reason.id);
  for (const choice of spec.choices) select.add(new Option(choice.label, choice.value));
  label.append(`${spec.label} `, select);
  host.append(element);
  select.addEventListener('change', () => commit(select.value));
  return {
    element,
    get: () => select.value,
    set(value) { select.value = value; },
    reject(message) { reason.textContent = message; reason.hidden = false; },
    block(values, why) {
      for (const option of select.options) option.disabled = Boolean(why) && values.includes(option.value);
      reason.textContent = why;
      reason.hidden = !why;
    },
  };
}

function booleanControl(host, spec, {lab, commit}) {
  const element = document.createElement('div');
  element.className = 'setting-boolean';
  element.innerHTML = `<label><input type="checkbox"> <span></span></label><p class="field-message"></p>`;
  const box = element.querySelector('input');
  box.name = spec.name;
  box.id = `${lab}-${spec.name}`;
  element.querySelector('span').textContent = spec.label;
  host.append(element);
  box.addEventListener('change', () => commit(box.checked));
  const message = element.querySelector('.field-message');
  return {
    element,
    get: () => box.checked,
    set(value) { box.checked = value; message.textContent = ''; },
    reject(text) { message.textContent = text; },
    block() {},
  };
}

// A fixed list of numbers, each with its own label and slider, in a fieldset named by the setting.
function vectorControl(host, spec, {lab, commit}) {
  const element = document.createElement('fieldset');
  element.className = 'setting-vector';
  element.innerHTML = '<legend></legend>';
  element.querySelector('legend').textContent = spec.label;
  host.append(element);
  const item = spec.item;
  const fields = spec.item_labels.map((label, k) => createNumberSlider(element, {
    ...numberRules(item), label, id: `${lab}-${label}`, value: spec.default[k],
    sliderMin: item.slider.min, sliderMax: item.slider.max, sliderStep: item.slider.step,
    onChange: () => { last = k; commit(fields.map(field => field.value)); },
  }));
  let last = 0;
  return {
    element,
    get: () => fields.map(field => field.value),
    set(values) { values.forEach((value, k) => fields[k].set(value)); },
    reject: message => fields[last].reject(message),
    block() {},
  };
}
