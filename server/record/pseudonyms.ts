// Pseudonymisation for research exports: every player's name becomes a stable label made of the seat's role and
// its order of first joining ("us-1", "control-2", "observer-1"). Names are replaced where the record holds them as
// names (authors, senders, seats); free text that players typed is left as it was written (see docs/export.md).
//
// A name alone does not say who someone is: two bots are both "Bot", and a White Cell member may share a name with
// a player. So a label is kept per (role, name), and a name is looked up under the role its record names (a
// player's seat, a message's sender, a draft's team), by name alone only where the record gives no role.
import type { GameEvent, GameState, Player } from '../engine/index.ts';

export class NameMap {
  readonly #byRole = new Map<string, string>();
  readonly #byName = new Map<string, string>();

  set(role: string, name: string, label: string): void {
    const key = `${role}\u0000${name}`;
    if (!this.#byRole.has(key)) this.#byRole.set(key, label);
    if (!this.#byName.has(name)) this.#byName.set(name, label);
  }

  /** The label of `name` under `role`; without a role (or none under it), the first player of that name's. */
  get(name: string, role?: string): string | undefined {
    return (role !== undefined ? this.#byRole.get(`${role}\u0000${name}`) : undefined) ?? this.#byName.get(name);
  }
}

/** name -> pseudonym, for every player who ever took a seat in the game, under every name and seat they had. */
export function pseudonymsFor(s: GameState, events: readonly GameEvent[] = []): NameMap {
  const { label } = labelsFor(s, events);

  // Every (seat, name) a player held over the game signs with their one label: a rename keeps the earlier name's
  // messages theirs, a move to another team their messages there.
  const names = new NameMap();
  const held = new Map<string, Pick<Player, 'role' | 'name'>>();
  const hold = (id: string, p: Pick<Player, 'role' | 'name'>) => {
    held.set(id, p);
    names.set(p.role, p.name, label.get(id)!);
  };
  for (const e of events) {
    if (e.type === 'SeatTaken') hold(e.player.id, e.player);
    else if (e.type === 'PlayerRenamed' && held.has(e.playerId))
      hold(e.playerId, { ...held.get(e.playerId)!, name: e.name });
    else if (e.type === 'PlayerReseated' && held.has(e.playerId))
      hold(e.playerId, { ...held.get(e.playerId)!, role: e.to });
  }
  for (const p of Object.values(s.players)) hold(p.id, p);
  return names;
}

/**
 * role -> how many labels of that role the game has given ("us-3": 3), its players' and, in a fork, its parent's. A
 * fork records its parent's in GameForked, so that its own players are numbered after every parent player, even one
 * whose name its copied history never shows.
 */
export const labelsUsed = (s: GameState, events: readonly GameEvent[]): Record<string, number> =>
  Object.fromEntries(labelsFor(s, events).top);

/** Each player's label (player id -> "us-2"), and the highest number given per role. */
function labelsFor(s: GameState, events: readonly GameEvent[]) {
  // Each player as first seated, in order of first joining as the log tells it; players it does not tell of (a
  // restored state's) after them, by join time.
  const first = new Map<string, Pick<Player, 'role' | 'name'>>();
  for (const e of events) if (e.type === 'SeatTaken' && !first.has(e.player.id)) first.set(e.player.id, e.player);
  const rest = Object.values(s.players)
    .filter((p) => !first.has(p.id))
    .sort((a, b) => a.joinedAt - b.joinedAt || a.id.localeCompare(b.id));
  for (const p of rest) first.set(p.id, p);
  // A fork's copied history is signed with its parent's labels (server/record/fork.ts): its own players are numbered
  // after them, so that a parent's "us-1" and the fork's first US player are two labels.
  const perRole = labelsCopied(events);
  const label = new Map<string, string>();
  for (const [id, p] of first) {
    const n = (perRole.get(p.role) ?? 0) + 1;
    perRole.set(p.role, n);
    label.set(id, `${p.role}-${n}`);
  }
  return { label, top: perRole };
}

/** Keys whose string values are people's names wherever they occur in a view or an event. */
const NAME_KEYS = new Set(['by', 'updatedBy', 'author']);
/** `name` is a person's name only in a player, a teammate, a message or an answer (meters and teams have names too). */
const isPersonRecord = (o: Record<string, unknown>) =>
  'role' in o || 'seated' in o || 'channel' in o || 'playerId' in o;

/**
 * The seat a record's name belongs to, when the record says: a player's or note's role, a message's sender, the
 * team of a draft event. Amendments, rulings and the hot wash are the White Cell's.
 */
function roleOf(o: Record<string, unknown>, key: string): string | undefined {
  if (typeof o.role === 'string') return o.role;
  if ('channel' in o && typeof o.from === 'string') return o.from;
  if (typeof o.team === 'string') return o.team;
  if (key === 'by' && ('rationale' in o || o.type === 'PlayedOn' || 'owner' in o)) return 'control';
  return undefined;
}

/** Whether `o[k]` holds a person's name. */
const isNameAt = (o: Record<string, unknown>, k: string) =>
  NAME_KEYS.has(k) || (k === 'name' && isPersonRecord(o)) || (k === 'from' && o.type === 'PlayerRenamed');

/** A deep copy of `value` with every name replaced by its pseudonym. */
export function pseudonymise<T>(value: T, names: NameMap): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o))
      out[k] = isNameAt(o, k) && typeof x === 'string' ? (names.get(x, roleOf(o, k)) ?? x) : walk(x);
    return out;
  };
  return walk(value) as T;
}

/**
 * For a fork: role -> the highest number of the parent's labels ("us-3"), as GameForked records them and as they sign
 * its copied history, the events before GameForked (a fork made before GameForked recorded them has only these).
 * Empty for any other game.
 */
function labelsCopied(events: readonly GameEvent[]): Map<string, number> {
  const top = new Map<string, number>();
  const forked = events.findIndex((e) => e.type === 'GameForked');
  const recorded = forked === -1 ? undefined : (events[forked] as Extract<GameEvent, { type: 'GameForked' }>).labels;
  for (const [role, n] of Object.entries(recorded ?? {})) top.set(role, n);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
    const o = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(o)) {
      const label = isNameAt(o, k) && typeof x === 'string' ? /^(.+)-(\d+)$/.exec(x) : null;
      if (label) top.set(label[1], Math.max(top.get(label[1]) ?? 0, Number(label[2])));
      else walk(x);
    }
  };
  for (const e of events.slice(1, Math.max(forked, 0))) walk(e);
  return top;
}
