// How deep parsed JSON is nested, measured without recursion. JSON.parse reads any depth, but
// JSON.stringify (and every recursive walk) overflows the stack at about 10,000 levels, and
// Python's parser far earlier: so data from a link, a file or storage is measured first.
//
//   LIMITS                    -> {nesting, request_chars}: the bridge's own limits
//   deeperThan(value, levels) -> true when value nests more than `levels` arrays/objects
//   parseJson(text)           -> the parsed value, or undefined when text is not JSON or
//                                nests deeper than the bridge reads (never ours)

/** The limits Python's bridge applies to a request (py/bridge.py), which build.py writes into
 * index.html: the one source of them, here from the page's first moment, before Python has
 * started. Data nested deeper than Python reads is never ours: it stays text (links) or
 * unread (storage), and no request goes beyond them. */
export const LIMITS = JSON.parse(document.getElementById('bridge-limits').textContent);

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
    return deeperThan(value, LIMITS.nesting) ? undefined : value;
  } catch {
    return undefined;
  }
}
