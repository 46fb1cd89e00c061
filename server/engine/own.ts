// Lookups by an id a client sent. State records are plain objects, so `deals['constructor']` would find
// Object.prototype's constructor: only a record's own entries count.
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
