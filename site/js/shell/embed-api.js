// The message API of an embedded lab (README, "Driving an embed from a course page"): the lab
// posts events to the page that embeds it and answers its commands, with postMessage.
//
//   const api = createEmbedApi({win, root, call, currentLab, setSettings, notice});
//   api.ready(lab)                      the lab's controls are awake: post `ready` (once a mount)
//   api.observe(lab, method, result)    after each call into the simulator: post `step`,
//                                         `chunk`, `converged`, `diverged` as they happen
//   api.settingsChanged(lab, settings)  the lab saved its settings: post `settings`
//
// Version 1. Every message carries `glassbox: 1`. Commands `{glassbox: 1, command, id?,
// settings?}`: set_settings, reset, step, play, pause, get_state. Events `{glassbox: 1,
// event, lab, ...}`; an answer to a command repeats its `id` (`done`, `state` or `error`).
//
// Only the window that embeds this page is listened to (`event.source === window.parent`);
// anything else is ignored. A command is checked before anything is done (shape, size,
// nesting, plain data only), its settings by the simulator (the same check as a link's, and a
// teacher's locks), and a bad one gets an `error` event and changes nothing. Nothing received
// is evaluated, inserted as HTML or used as a selector: commands press the lab's own buttons,
// which the table below finds by fixed selectors.

import {deeperThan} from './json-depth.js';

export const API_VERSION = 1;
const COMMANDS = ['set_settings', 'reset', 'step', 'play', 'pause', 'get_state'];
const KEYS = new Set(['glassbox', 'command', 'id', 'settings']);
// A lab's settings are a few hundred characters and three levels deep at most.
const MAX_MESSAGE_CHARS = 20_000;
const MAX_NESTING = 6;
const MAX_ID_CHARS = 100;
// The lab's own buttons each command presses: every lab marks them the same ways.
const BUTTONS = {
  step: '[data-action="step"], button[name="step"], [data-run="1"]',
  play: '[data-action="play"], button[name="play"]',
  // XOR's and Digits' reset is new random weights; the other labs' a restart.
  reset: '[data-action="reset"], button[name="reset"], [data-action="new-weights"]',
};

export function createEmbedApi({win, root, call, currentLab, setSettings}) {
  const embedded = win.parent !== win;
  const readyLabs = new Set();
  const converged = new Map();   // lab -> whether its last state had converged

  function post(event, fields = {}) {
    // Events hold the lab's numbers only; the embedding page's origin is not known here.
    if (embedded) win.parent.postMessage({glassbox: API_VERSION, event, ...fields}, '*');
  }

  win.addEventListener('message', event => {
    if (!embedded || event.source !== win.parent) return;
    let command;
    try {
      command = readCommand(event.data);
    } catch (error) {
      post('error', {id: readableId(event.data), message: error.message});
      return;
    }
    run(command).catch(error => post('error', {id: command.id, command: command.command,
                                                message: error.message}));
  });

  async function run({command, id, settings}) {
    const lab = currentLab();
    if (!lab || !readyLabs.has(lab)) {
      throw new Error('The lab is not ready yet: wait for its "ready" event.');
    }
    if (command === 'get_state') {
      post('state', {id, ...progressOf(lab, await call(lab, 'state', {}))});
      return;
    }
    if (command === 'set_settings') {
      // The simulator checks them (and the teacher's locks) and changes nothing when it
      // refuses; accepted, the lab opens again with them, drawn afresh.
      const state = await call(lab, 'update', {settings});
      await setSettings(lab, state.settings);
      post('done', {id, command, lab, settings: state.settings});
      return;
    }
    const button = pressable(command);
    button.click();
    post('done', {id, command, lab});
  }

  function pressable(command) {
    const button = root.querySelector(BUTTONS[command === 'pause' ? 'play' : command]);
    if (!button) throw new Error(`This lab has no ${command} button.`);
    const pressed = button.getAttribute('aria-pressed') === 'true';
    if (command === 'play' && pressed) throw new Error('The lab is playing already.');
    if (command === 'pause' && !pressed) throw new Error('The lab is not playing.');
    if (button.disabled) throw new Error(`The ${command} button is not available now.`);
    return button;
  }

  function progressOf(lab, result) {
    // step answers {trace, state} (or the trace alone; {state, heatmaps, follow} in the
    // Playground); train answers {done, state}, where state may be the light one.
    const state = result?.state ?? (result?.preset ? result : null);
    const trace = result?.trace ?? (result?.weights_before ? result : null);
    return {
      lab,
      iteration: state?.iteration ?? trace?.iteration ?? null,
      loss: state?.training_loss ?? state?.train_loss ?? state?.latest_loss ?? trace?.loss ?? null,
      status: state?.status ?? trace?.status ?? null,
      converged_at: state?.converged_at ?? null,
      ...(state?.settings ? {settings: state.settings} : {}),
    };
  }

  return {
    ready(lab) {
      if (readyLabs.has(lab)) return;
      readyLabs.add(lab);
      post('ready', {lab, version: API_VERSION, commands: COMMANDS});
    },
    unmounted(lab) {
      readyLabs.delete(lab);
      converged.delete(lab);
    },
    observe(lab, method, result) {
      if (method !== 'step' && method !== 'train') return;
      const progress = progressOf(lab, result);
      delete progress.settings;
      if (method === 'step') post('step', progress);
      else post('chunk', {...progress, done: result.done});
      if (progress.status === 'diverged') post('diverged', progress);
      const now = progress.converged_at !== null;
      if (now && !converged.get(lab)) post('converged', progress);
      converged.set(lab, now);
    },
    settingsChanged(lab, settings) {
      post('settings', {lab, settings});
    },
  };
}

/** The command in a message, as plain data, or an Error saying what is wrong with it. */
function readCommand(data) {
  if (!isPlainObject(data)) {
    throw new Error(`A command is an object {glassbox: ${API_VERSION}, command, ...}.`);
  }
  if (!isPlainData(data, MAX_NESTING)) {
    throw new Error(`A command holds plain data only (objects, lists, text, numbers, true, ` +
                    `false, null), nested at most ${MAX_NESTING} levels.`);
  }
  const text = JSON.stringify(data);
  if (text.length > MAX_MESSAGE_CHARS) {
    throw new Error(`The command is too large (${text.length} characters; at most ` +
                    `${MAX_MESSAGE_CHARS}).`);
  }
  const message = JSON.parse(text);
  const unknown = Object.keys(message).filter(key => !KEYS.has(key));
  if (unknown.length) {
    throw new Error(`Unknown field ${JSON.stringify(unknown[0].slice(0, 40))}; a command has ` +
                    `${[...KEYS].join(', ')}.`);
  }
  if (message.glassbox !== API_VERSION) {
    throw new Error(`This lab speaks version ${API_VERSION} of the message API: send ` +
                    `glassbox: ${API_VERSION}.`);
  }
  if (!COMMANDS.includes(message.command)) {
    throw new Error(`Unknown command ${JSON.stringify(String(message.command).slice(0, 40))}; ` +
                    `the commands are ${COMMANDS.join(', ')}.`);
  }
  if (message.id !== undefined && readableId(message) === undefined) {
    throw new Error(`id: a text of at most ${MAX_ID_CHARS} characters or a whole number.`);
  }
  const wantsSettings = message.command === 'set_settings';
  if (wantsSettings !== (message.settings !== undefined) ||
      (wantsSettings && !isPlainObject(message.settings))) {
    throw new Error(wantsSettings ? 'set_settings needs settings: {name: value, ...}.'
      : `${message.command} takes no settings.`);
  }
  return message;
}

function readableId(data) {
  const id = isPlainObject(data) ? data.id : undefined;
  if (typeof id === 'string' && id.length <= MAX_ID_CHARS) return id;
  return Number.isSafeInteger(id) ? id : undefined;
}

function isPlainObject(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Only what JSON holds, without loss: no Dates, Maps, blobs, typed arrays, NaN, or cycles. */
function isPlainData(value, levels) {
  if (deeperThan(value, levels)) return false;
  const stack = [value];
  while (stack.length) {
    const item = stack.pop();
    if (item === null || typeof item === 'string' || typeof item === 'boolean') continue;
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) return false;
      continue;
    }
    if (!Array.isArray(item) && !isPlainObject(item)) return false;
    stack.push(...Object.values(item));
  }
  return true;
}
