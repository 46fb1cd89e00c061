// Reading a secret from a request, once for every route: the bearer token, and a comparison that takes as long
// whatever the guess (an early exit would tell, by its timing, how much of a key was right).
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/** `Authorization: Bearer <token>`, or undefined. */
export function bearer(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return m?.[1];
}

/** Whether a given secret equals the expected one, in time that does not depend on where they differ. */
export const sameSecret = (given: string, expected: string) =>
  given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
