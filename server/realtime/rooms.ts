// Room names: one room per audience of a game, so that one serialization serves every socket of that audience; one
// per game (presence) and one per player (closing a revoked seat's sockets on whichever process holds them).
import { audienceKey } from '../engine/index.ts';
import { audienceOf, type Seat } from '../games/seat.ts';

export const roomOf = (gameId: string, key: string) => `game:${gameId}:${key}`;

export const seatRoom = (seat: Seat) => roomOf(seat.gameId, audienceKey(audienceOf(seat)));

export const controlRoom = (gameId: string) => roomOf(gameId, 'control');

export const gameRoom = (gameId: string) => `game:${gameId}`;

export const playerRoom = (gameId: string, playerId: string) => `player:${gameId}:${playerId}`;
