// A seat: who is behind a socket or a token, established by the server from a join code, never from a payload.
import { playerGone, type Actor, type Audience, type GameState } from '../engine/index.ts';
import type { Role } from '../../shared/protocol.ts';

export interface Seat {
  gameId: string;
  playerId: string;
  name: string;
  role: Role;
  /** The team played, for role 'team'. */
  team: string | null;
}

export const SYSTEM: Actor = { kind: 'system' };

export function audienceOf(seat: Seat): Audience {
  return seat.role === 'team' ? { kind: 'team', team: seat.team! } : { kind: seat.role };
}

export function actorOf(seat: Seat): Actor {
  return seat.role === 'team'
    ? { kind: 'team', team: seat.team!, playerId: seat.playerId, name: seat.name }
    : { kind: seat.role, playerId: seat.playerId, name: seat.name };
}

/** The engine's name for a seat's role: a team id, 'control' or 'observer'. */
export function engineRole(seat: Pick<Seat, 'role' | 'team'>): string {
  return seat.role === 'team' ? seat.team! : seat.role;
}

/** Whether the game no longer holds this seat (the player moved, or signed out): the engine's test, for a socket. */
export const seatGone = (state: GameState, seat: Seat): boolean => playerGone(state, seat.playerId, engineRole(seat));

/** For logs: 'team:us', 'control', 'observer', 'system'. */
export function actorLabel(actor: Actor): string {
  return actor.kind === 'team' ? `team:${actor.team}` : actor.kind;
}
