// Who is connected to each game, for its White Cell. The truth is the set of sockets in the game's room across every
// process (with the Redis adapter, fetchSockets asks the other processes too), so a White Cell connected to one
// process sees players connected to any other. Announcements are coalesced per game: while one is being gathered,
// more requests fold into a single run after it, so a reconnect storm costs a few fetches rather than thousands.
import type { Presence } from '../../shared/protocol.ts';
import type { Seat } from '../games/seat.ts';
import type { Logger } from '../log.ts';

/** One entry per player, with how many sockets they have open; in a stable order. */
export function presenceOf(gameId: string, seats: readonly Seat[]): Presence {
  const players = new Map<string, { seat: Seat; sockets: number }>();
  for (const seat of seats) {
    const entry = players.get(seat.playerId);
    if (entry) entry.sockets += 1;
    else players.set(seat.playerId, { seat, sockets: 1 });
  }
  const online = [...players.values()]
    .map(({ seat, sockets }) => ({
      playerId: seat.playerId,
      name: seat.name,
      role: seat.role,
      team: seat.team,
      sockets,
    }))
    .sort(
      (a, b) =>
        a.role.localeCompare(b.role) ||
        (a.team ?? '').localeCompare(b.team ?? '') ||
        a.name.localeCompare(b.name) ||
        a.playerId.localeCompare(b.playerId),
    );
  return { gameId, online };
}

export interface PresenceDeps {
  /** The seats of every socket connected to the game, on any process. */
  seatsOf(gameId: string): Promise<Seat[]>;
  send(presence: Presence): void;
  log: Logger;
}

export class PresenceAnnouncer {
  readonly #deps: PresenceDeps;
  /** Games being gathered now, and whether another run was asked for meanwhile. */
  readonly #running = new Map<string, { again: boolean }>();
  #closed = false;

  constructor(deps: PresenceDeps) {
    this.#deps = deps;
  }

  /** Sends the game's presence to its White Cell soon, reflecting every connect and disconnect up to now. */
  announce(gameId: string): void {
    if (this.#closed) return;
    const running = this.#running.get(gameId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.#running.set(gameId, state);
    void this.#run(gameId, state).finally(() => this.#running.delete(gameId));
  }

  close(): void {
    this.#closed = true;
  }

  async #run(gameId: string, state: { again: boolean }): Promise<void> {
    do {
      state.again = false;
      try {
        const seats = await this.#deps.seatsOf(gameId);
        if (!this.#closed) this.#deps.send(presenceOf(gameId, seats));
      } catch (err) {
        // Redis is down, or a process did not answer in time: the next connect or disconnect tries again.
        this.#deps.log.warn('presence not gathered', { game: gameId, err });
      }
    } while (state.again && !this.#closed);
  }
}
