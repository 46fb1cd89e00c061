// Safe retries: a client gives each command an id, and a command sent again with an id already answered gets the
// first answer instead of being applied twice. The id of a command that stored events is written into the log with
// them (on the batch's last event, under RECEIPT_KEY), in the same durable append: so a repeat is recognised after
// a kill -9, by another process sharing the store, and after a restart. The engine never sees the key: it is taken
// off before events are folded, so replaying a log gives the same state with or without receipts.
import type { GameEvent } from '../engine/index.ts';
import type { CommandAck } from './games.ts';

export const RECEIPT_KEY = '$receipt';

/** A seat's command: who sent it and the id they gave it. */
export interface CommandKey {
  player: string;
  id: string;
}

/** How many answers are remembered per seat: a client re-sends only what was in flight when it lost its link. */
export const RECEIPTS_PER_SEAT = 100;

/** Marks the last event of a batch with the command that caused it. */
export function withReceipt(events: readonly GameEvent[], key: CommandKey | undefined): unknown[] {
  if (!key || events.length === 0) return [...events];
  const last = events.length - 1;
  return events.map((e, i) => (i === last ? { ...e, [RECEIPT_KEY]: { player: key.player, id: key.id } } : e));
}

/**
 * Takes the receipts off stored events. `first` is the version of stored[0]; each receipt is reported with the
 * version its batch ended at, which is what the command's answer said.
 */
export function takeReceipts(
  stored: readonly unknown[],
  first: number,
  found: (key: CommandKey, version: number) => void,
): GameEvent[] {
  return stored.map((raw, i) => {
    if (typeof raw !== 'object' || raw === null || !(RECEIPT_KEY in raw)) return raw as GameEvent;
    const { [RECEIPT_KEY]: receipt, ...event } = raw as Record<string, unknown>;
    const r = receipt as Partial<CommandKey> | null;
    if (typeof r?.player === 'string' && typeof r.id === 'string') found({ player: r.player, id: r.id }, first + i);
    return event as unknown as GameEvent;
  });
}

/** The answers given per seat, most recent last, a bounded number each. */
export class Receipts {
  readonly #bySeat = new Map<string, Map<string, CommandAck>>();

  get(key: CommandKey): CommandAck | undefined {
    return this.#bySeat.get(key.player)?.get(key.id);
  }

  remember(key: CommandKey, ack: CommandAck): void {
    let seat = this.#bySeat.get(key.player);
    if (!seat) {
      seat = new Map();
      this.#bySeat.set(key.player, seat);
    }
    seat.delete(key.id);
    seat.set(key.id, ack);
    if (seat.size > RECEIPTS_PER_SEAT) seat.delete(seat.keys().next().value as string);
  }
}
