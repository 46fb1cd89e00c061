// Domain errors: a stable code for programs, a plain message for people. Messages never name another team's secrets.
export type ErrorCode =
  | 'NO_GAME'
  | 'BAD_OPTIONS'
  | 'NOT_ALLOWED'
  | 'WRONG_PHASE'
  | 'PAUSED'
  | 'NOT_PAUSED'
  | 'GAME_OVER'
  | 'UNKNOWN_ACTION'
  | 'TIER_LOCKED'
  | 'ALREADY_TAKEN'
  | 'TOO_MANY_ACTIONS'
  | 'DUPLICATE_ACTION'
  | 'WRONG_SLOT'
  | 'FREEFORM_NOT_ALLOWED'
  | 'ALREADY_LOCKED'
  | 'NOT_LOCKED'
  | 'DRAFT_LOCKED'
  | 'DRAFT_CHANGED'
  | 'UNKNOWN_TEAM'
  | 'BAD_DEAL'
  | 'NO_DEAL'
  | 'NOT_YOUR_DEAL'
  | 'DEAL_CLOSED'
  | 'SNAPBACK_NOT_RELIEF'
  | 'TOO_MANY_PROPOSALS'
  | 'UNKNOWN_CHANNEL'
  | 'UNKNOWN_INJECT'
  | 'INJECT_CLOSED'
  | 'UNKNOWN_LINE'
  | 'NO_ADJUDICATION'
  | 'UNKNOWN_METER'
  | 'NO_DEADLINE'
  | 'UNKNOWN_PLAYER'
  | 'SEAT_CHANGED'
  | 'BAD_NAME'
  | 'NAME_TAKEN'
  | 'BAD_HOTWASH'
  | 'UNKNOWN_ITEM'
  | 'UNKNOWN_NOTE'
  | 'ALREADY_SHARED'
  | 'UNKNOWN_TARGET'
  | 'BAD_FORK'
  | 'UNKNOWN_FORM'
  | 'FORM_OPEN'
  | 'BAD_ANSWER';

export interface DomainError {
  code: ErrorCode;
  message: string;
}

export const fail = (code: ErrorCode, message: string): DomainError => ({ code, message });

/** A player no longer in the seat they act from (moved, or signed out): the game and the server say it alike. */
export const seatChanged = (): DomainError =>
  fail('SEAT_CHANGED', 'Your seat has changed or was closed: reconnect to take your seat as it is now');

export function isDomainError(x: unknown): x is DomainError {
  return typeof x === 'object' && x !== null && 'code' in x && 'message' in x && !Array.isArray(x);
}
