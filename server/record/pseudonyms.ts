// Pseudonymisation for research exports: every player's name becomes a stable label made of the seat's role and
// its order of joining ("us-1", "control-2", "observer-1"). Names are replaced where the record holds them as
// names (authors, senders, seats); free text that players typed is left as it was written (see docs/export.md).
import type { GameEvent, GameState } from '../engine/index.ts';

export type NameMap = ReadonlyMap<string, string>;

/** name -> pseudonym, for every player who ever took a seat in the game, under every name they had in the log. */
export function pseudonymsFor(s: GameState, events: readonly GameEvent[] = []): NameMap {
  const byRole = new Map<string, number>();
  const out = new Map<string, string>();
  const players = Object.values(s.players).sort((a, b) => a.joinedAt - b.joinedAt || a.id.localeCompare(b.id));
  for (const p of players) {
    if (out.has(p.name)) continue;
    const n = (byRole.get(p.role) ?? 0) + 1;
    byRole.set(p.role, n);
    out.set(p.name, `${p.role}-${n}`);
  }
  // A renamed player's earlier name still signs their earlier messages: it gets the same label as the player.
  for (const e of events) {
    if (e.type !== 'PlayerRenamed' || out.has(e.from)) continue;
    const label = out.get(s.players[e.playerId]?.name ?? '');
    if (label) out.set(e.from, label);
  }
  return out;
}

/** Keys whose string values are people's names wherever they occur in a view or an event. */
const NAME_KEYS = new Set(['by', 'updatedBy', 'author']);
/** `name` is a person's name only in a player, a teammate, a message or an answer (meters and teams have names too). */
const isPersonRecord = (o: Record<string, unknown>) =>
  'role' in o || 'seated' in o || 'channel' in o || 'playerId' in o;

/** A deep copy of `value` with every name replaced by its pseudonym. */
export function pseudonymise<T>(value: T, names: NameMap): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) {
      const isName =
        NAME_KEYS.has(k) || (k === 'name' && isPersonRecord(o)) || (k === 'from' && o.type === 'PlayerRenamed');
      out[k] = isName && typeof x === 'string' ? (names.get(x) ?? x) : walk(x);
    }
    return out;
  };
  return walk(value) as T;
}
