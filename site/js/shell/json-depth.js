// How deep parsed JSON is nested, measured without recursion. JSON.parse reads any depth, but
// JSON.stringify (and every recursive walk) overflows the stack at about 10,000 levels, and
// Python's parser far earlier: so data from a link, a file or storage is measured first.
//
//   deeperThan(value, levels) -> true when value nests more than `levels` arrays/objects
//   parseJson(text)           -> the parsed value, or undefined when text is not JSON or
//                                nests deeper than SAFE_NESTING (never ours)

/** Data nested deeper than this is never ours: it stays text (links) or unread (storage). */
export const SAFE_NESTING = 1000;

export function deeperThan(value, levels) {
  const stack = [[value, 1]];
  while (stack.length) {
    const [item, depth] = stack.pop();
    if (item === null || typeof item !== 'object') continue;
    if (depth > levels) return true;
    for (const inner of Object.values(item)) stack.push([inner, depth + 1]);
  }
  return false;
}

export function parseJson(text) {
  try {
    const value = JSON.parse(text);
    return deeperThan(value, SAFE_NESTING) ? undefined : value;
  } catch {
    return undefined;
  }
}
