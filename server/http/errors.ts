// REST errors: every failure answers `{error: {code, message}}` with a 4xx/5xx status (docs/protocol.md).
import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { ErrorResponse } from '../../shared/protocol.ts';
import { AppError } from '../games/app-error.ts';
import type { Logger } from '../log.ts';
import { inputShapeProblem } from '../input-shape.ts';
import { type DamagedRecord, describeStream } from '../store/damage-book.ts';

/** What a damaged record answers, by the kind of record (server/store/damage-book.ts). */
const DAMAGED: Record<DamagedRecord, [code: string, what: string]> = {
  game: ['GAME_DAMAGED', "This game's record"],
  auth: ['GAME_DAMAGED', "This game's sign-in record"],
  cohort: ['COHORT_DAMAGED', "This seminar's record"],
  joincode: ['GAME_DAMAGED', "This join code's record"],
};

export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } } satisfies ErrorResponse);
}

/** Parses a body with its schema, or throws a 400 naming the first problem. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const shape = inputShapeProblem(body);
  if (shape) throw new AppError(400, 'BAD_REQUEST', shape);
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  throw new AppError(400, 'BAD_REQUEST', `${where}${issue?.message ?? 'invalid body'}`.slice(0, 200));
}

/** The last handler: known errors keep their status and code; anything else is a 500 that says nothing inside. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof AppError) return sendError(res, err.status, err.code, err.message);
    const e = err as { type?: unknown; status?: unknown };
    // body-parser's errors carry a type and a 4xx status.
    if (e?.type === 'entity.too.large') return sendError(res, 413, 'PAYLOAD_TOO_LARGE', 'The body is too large');
    if (e?.type === 'entity.parse.failed') return sendError(res, 400, 'BAD_JSON', 'The body is not valid JSON');
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
      return sendError(res, e.status, 'BAD_REQUEST', 'The request could not be read');
    const code = (err as { code?: unknown })?.code;
    if (code === 'STORE_UNAVAILABLE')
      return sendError(res, 503, 'STORE_UNAVAILABLE', 'Storage is unavailable; try again');
    if (code === 'STORE_CORRUPT') {
      // Named for what the player asked about: a seminar's own record is no game's (server/store/damage-book.ts).
      const stream = (err as { stream?: unknown }).stream;
      const [answer, what] = DAMAGED[typeof stream === 'string' ? describeStream(stream).record : 'game'];
      return sendError(res, 500, answer, `${what} is damaged; the server's operator can restore it`);
    }
    log.error('request failed', { err });
    sendError(res, 500, 'INTERNAL', 'Something went wrong');
  };
}
