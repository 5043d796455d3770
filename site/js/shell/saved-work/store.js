// Saved work in localStorage: one record per lab, and per lab a list of networks set aside.
// Nothing here decides anything; it reads and writes, and never throws (storage may be
// switched off, full, or hold text another version or a person wrote).
//
//   const store = createStore({onWriteFailed});
//   store.read(lab)          {record} | {unreadable: text} | null
//   store.write(lab, record) / store.remove(lab)
//   store.aside(lab)         the set-aside entries, oldest first:
//                              {id, at (ms since 1970), reason, record?, text?, problem?}
//                              reason: 'link' (a link named other settings), 'unrestorable'
//                              (the simulator refused it: `problem` says why), 'unreadable'
//                              (not a record at all: its `text` is kept as it was)
//   store.setAside(lab, entry)   keeps it; an entry already aside (same content) is not doubled
//   store.discard(lab, id)

import {parseJson as parse} from '../json-depth.js';

const KEY_PREFIX = 'glassbox:saved:';
const SET_ASIDE_SUFFIX = ':set-aside';
export const RECORD_VERSION = 1;

export function createStore({onWriteFailed}) {
  const recordKey = lab => KEY_PREFIX + lab;
  const asideKey = lab => KEY_PREFIX + lab + SET_ASIDE_SUFFIX;

  function get(key) {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;   // storage switched off: nothing is kept, nothing breaks
    }
  }

  function put(key, value) {
    try {
      localStorage.setItem(key, value);
      return true;
    } catch (error) {
      onWriteFailed(error);
      return false;
    }
  }

  function remove(key) {
    try {
      localStorage.removeItem(key);
    } catch { /* storage switched off */ }
  }

  function read(lab) {
    const text = get(recordKey(lab));
    if (text === null) return null;
    const record = parse(text);
    return record?.version === RECORD_VERSION ? {record} : {unreadable: text};
  }

  function aside(lab) {
    const text = get(asideKey(lab));
    if (text === null) return [];
    const value = parse(text);
    if (Array.isArray(value)) return value.filter(entry => entry && typeof entry === 'object');
    // One record, as earlier versions kept it; anything else is kept as text.
    return value?.version === RECORD_VERSION
      ? [{id: 'earlier', at: null, reason: 'link', record: value}]
      : [{id: 'earlier', at: null, reason: 'unreadable', text}];
  }

  function setAside(lab, entry) {
    const entries = aside(lab);
    const content = JSON.stringify(entry.record ?? entry.text);
    if (entries.some(kept => JSON.stringify(kept.record ?? kept.text) === content)) return true;
    const id = `${Date.now().toString(36)}-${entries.length}`;
    return put(asideKey(lab), JSON.stringify([...entries, {id, at: Date.now(), ...entry}]));
  }

  function discard(lab, id) {
    const entries = aside(lab).filter(entry => entry.id !== id);
    if (entries.length) put(asideKey(lab), JSON.stringify(entries));
    else remove(asideKey(lab));
  }

  return {
    read,
    write: (lab, record) => put(recordKey(lab), JSON.stringify(record)),
    remove: lab => remove(recordKey(lab)),
    aside,
    setAside,
    discard,
  };
}
