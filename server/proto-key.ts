// JSON.parse keeps a key named "__proto__" as an own property, and zod's records and strict objects then drop it
// without a word: `{"variants": {"__proto__": "hawk"}}` would create a game with the default variants. The edges
// refuse such input instead, so that what is accepted is what was sent.

/** The path of the first own key named `__proto__` in parsed JSON, or null when there is none. */
export function protoKeyPath(x: unknown, path: readonly (string | number)[] = []): string | null {
  if (typeof x !== 'object' || x === null) return null;
  if (Object.hasOwn(x, '__proto__')) return [...path, '__proto__'].join('.');
  for (const [key, value] of Object.entries(x)) {
    const found = protoKeyPath(value, [...path, Array.isArray(x) ? Number(key) : key]);
    if (found) return found;
  }
  return null;
}

export const PROTO_KEY_MESSAGE = 'a key may not be named "__proto__"';
