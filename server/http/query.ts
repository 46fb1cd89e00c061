// A route's query string, read at the edge: only the parameters the route knows, each given once as text. Express
// reads `?format[]=json` as a parameter named "format[]" and `?format=a&format=b` as a list; read as "format absent",
// either would quietly give the default (names instead of pseudonyms, every bot strategy instead of the scenario's),
// so both are refused in words instead.
import type { Request } from 'express';
import { AppError } from '../games/app-error.ts';

/** The route's query parameters, each a string or absent; anything else in the query is a 400 that names it. */
export function readQuery<K extends string>(req: Request, known: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
    if (!(known as readonly string[]).includes(key))
      throw new AppError(
        400,
        'BAD_REQUEST',
        `Unknown query parameter "${key.slice(0, 40)}": this address reads ${known.length ? known.join(', ') : 'none'}`,
      );
    if (typeof value !== 'string') throw new AppError(400, 'BAD_REQUEST', `${key}: give it once, as text`);
    out[key as K] = value;
  }
  return out;
}
