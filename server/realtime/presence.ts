// Who is connected to each game, by player, with the sockets each has open. The White Cell sees it (presence
// events) and revoking a seat closes that player's sockets through it.
import type { Presence } from '../../shared/protocol.ts';
import type { Seat } from '../games/seat.ts';

interface Closable { disconnect(close?: boolean): unknown }

interface Entry { seat: Seat; sockets: Set<Closable> }

export class PresenceBook {
  readonly #games = new Map<string, Map<string, Entry>>();

  add(seat: Seat, socket: Closable): void {
    let players = this.#games.get(seat.gameId);
    if (!players) this.#games.set(seat.gameId, (players = new Map()));
    let entry = players.get(seat.playerId);
    if (!entry) players.set(seat.playerId, (entry = { seat, sockets: new Set() }));
    entry.sockets.add(socket);
  }

  remove(seat: Seat, socket: Closable): void {
    const players = this.#games.get(seat.gameId);
    const entry = players?.get(seat.playerId);
    if (!players || !entry) return;
    entry.sockets.delete(socket);
    if (entry.sockets.size === 0) players.delete(seat.playerId);
    if (players.size === 0) this.#games.delete(seat.gameId);
  }

  of(gameId: string): Presence {
    const players = this.#games.get(gameId);
    return {
      gameId,
      online: [...(players?.values() ?? [])].map(({ seat, sockets }) => ({ playerId: seat.playerId, name: seat.name, role: seat.role, team: seat.team, sockets: sockets.size })),
    };
  }

  /** Closes every socket of these players (their seats were revoked). */
  disconnect(gameId: string, playerIds: readonly string[]): void {
    const players = this.#games.get(gameId);
    for (const id of playerIds) for (const socket of [...(players?.get(id)?.sockets ?? [])]) socket.disconnect(true);
  }
}
