// What a tab keeps across a refresh and nowhere else (sessionStorage): a half-typed chat line, a half-written deal.
// A browser that refuses storage keeps nothing, and the page works as before.

/** What was kept under `key`, or null. */
export function recall<T>(key: string): T | null {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? 'null') as T | null;
  } catch {
    return null;
  }
}

/** Keeps `value` under `key` (written only when it changed: callers may keep on every drawing). */
export function remember(key: string, value: unknown): void {
  try {
    const text = JSON.stringify(value);
    if (sessionStorage.getItem(key) !== text) sessionStorage.setItem(key, text);
  } catch {
    /* not kept */
  }
}
