// An error a client may see: a stable code, a message for people, and the HTTP status when it answers a request.
import type { ErrorBody } from '../../shared/protocol.ts';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
  get body(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

export const errorBody = (code: string, message: string): ErrorBody => ({ code, message });
