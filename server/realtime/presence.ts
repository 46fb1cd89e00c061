// Who is connected to each game, for its White Cell. The truth is the set of sockets in the game's room across every
// process (with the Redis adapter, fetchSockets asks the other processes too), so a White Cell connected to one
// process sees players connected to any other. Announcements are coalesced per game: while one is being gathered,
// more requests fold into a single run after it, so a reconnect storm costs a few fetches rather than thousands.
// Besides connects and disconnects, each game whose White Cell is connected here is gathered again every
// REFRESH_MS: after a process crash nobody disconnects from the dead process's sockets, and the list must still
// drop them. It converges once the adapter forgets the dead process (no heartbeat for 10 s, checked every 5 s) and
// the next refresh runs: within 30 s of a crash (docs/operations.md).
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
  /** The games to gather again every refreshMs (those with a White Cell connected to this process). */
  watched?: () => Iterable<string>;
  refreshMs?: number;
}

export const REFRESH_MS = 10_000;

export class PresenceAnnouncer {
  readonly #deps: PresenceDeps;
  /** Games being gathered now, and whether another run was asked for meanwhile. */
  readonly #running = new Map<string, { again: boolean; onlyIfChanged: boolean }>();
  /** What each game's White Cell was last sent, so that a refresh that finds nothing new sends nothing. */
  readonly #last = new Map<string, string>();
  readonly #refresh: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(deps: PresenceDeps) {
    this.#deps = deps;
    const { watched } = deps;
    if (watched) {
      this.#refresh = setInterval(() => {
        for (const gameId of new Set(watched())) this.announce(gameId, true);
      }, deps.refreshMs ?? REFRESH_MS);
      this.#refresh.unref();
    }
  }

  /** Sends the game's presence to its White Cell soon, reflecting every connect and disconnect up to now. */
  announce(gameId: string, onlyIfChanged = false): void {
    if (this.#closed) return;
    const running = this.#running.get(gameId);
    if (running) {
      running.again = true;
      running.onlyIfChanged &&= onlyIfChanged;
      return;
    }
    const state = { again: false, onlyIfChanged };
    this.#running.set(gameId, state);
    void this.#run(gameId, state).finally(() => this.#running.delete(gameId));
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#refresh);
  }

  async #run(gameId: string, state: { again: boolean; onlyIfChanged: boolean }): Promise<void> {
    do {
      state.again = false;
      try {
        const presence = presenceOf(gameId, await this.#deps.seatsOf(gameId));
        const json = JSON.stringify(presence);
        const unchanged = this.#last.get(gameId) === json;
        this.#last.set(gameId, json);
        if (!this.#closed && !(state.onlyIfChanged && unchanged)) this.#deps.send(presence);
      } catch (err) {
        // Redis is down, or a process did not answer in time: the next connect or disconnect tries again.
        this.#deps.log.warn('presence not gathered', { game: gameId, err });
      }
    } while (state.again && !this.#closed);
  }
}
