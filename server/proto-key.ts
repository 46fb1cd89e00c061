// JSON.parse keeps a key named "__proto__" as an own property, and zod's records and strict objects then drop it
// without a word: `{"variants": {"__proto__": "hawk"}}` would create a game with the default variants. The edges
// refuse such input instead, so that what is accepted is what was sent.

/** What is wrong with parsed JSON that holds an own key named `__proto__` (where it is), or null. */
export function protoKeyProblem(x: unknown): string | null {
  const path = protoKeyAt(x);
  return path && `${path.join('.')}: a key may not be named "__proto__"`;
}

/** The path to the first `__proto__` key, built only on the way back from a hit: every command is walked. */
function protoKeyAt(x: unknown): (string | number)[] | null {
  if (typeof x !== 'object' || x === null) return null;
  if (Object.hasOwn(x, '__proto__')) return ['__proto__'];
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const found = protoKeyAt(x[i]);
      if (found) return [i, ...found];
    }
    return null;
  }
  for (const key in x) {
    const found = protoKeyAt((x as Record<string, unknown>)[key]);
    if (found) return [key, ...found];
  }
  return null;
}
