// What the edges refuse in parsed JSON before any schema sees it:
// - a key named "__proto__": JSON.parse keeps it as an own property, and zod's records and strict objects then drop
//   it without a word (`{"variants": {"__proto__": "hawk"}}` would create a game with the default variants), so
//   that what is accepted is what was sent;
// - nesting deeper than any request needs: a message of a few KB can nest thousands of levels, and a walk (this
//   one, a schema's, a logger's) that recurses through it would overflow the stack instead of answering.

/** How deep a request may nest: the deepest one (a scenario's options, a deal's obligations) needs under ten. */
export const MAX_DEPTH = 32;

/** What is wrong with the shape of parsed JSON (and where), or null. */
export function inputShapeProblem(x: unknown): string | null {
  const found = problemAt(x, 0);
  if (!found) return null;
  const where = found.path.length ? `${found.path.join('.')}: ` : '';
  return found.tooDeep
    ? `${where}nested more than ${MAX_DEPTH} levels deep`
    : `${where}a key may not be named "__proto__"`;
}

interface Found {
  path: (string | number)[];
  tooDeep: boolean;
}

/** The first problem, its path built only on the way back from a hit: every command is walked. */
function problemAt(x: unknown, depth: number): Found | null {
  if (typeof x !== 'object' || x === null) return null;
  if (depth >= MAX_DEPTH) return { path: [], tooDeep: true };
  if (Object.hasOwn(x, '__proto__')) return { path: ['__proto__'], tooDeep: false };
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const found = problemAt(x[i], depth + 1);
      if (found) return { ...found, path: [i, ...found.path] };
    }
    return null;
  }
  for (const key in x) {
    const found = problemAt((x as Record<string, unknown>)[key], depth + 1);
    if (found) return { ...found, path: [key, ...found.path] };
  }
  return null;
}
