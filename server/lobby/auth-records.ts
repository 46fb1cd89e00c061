// A game's auth record: who may join and who holds a seat. It lives beside the game's log in the same EventStore,
// under its own stream id `<gameId>-auth`, and never in the engine's state or any view. It holds sha256 hashes of
// secrets, and the codes key only sealed (see secrets.ts).
import type { Role } from '../../shared/protocol.ts';
import {
  checkRecordEvents,
  type EventShapes,
  isNumber,
  isObject,
  isString,
  isStringMap,
  isStrings,
  RecordDamage,
} from '../store/record-damage.ts';
import type { Sealed } from './secrets.ts';

/** Whom a join code seats: the White Cell, the observers, or one team. */
export type RoleKey = 'control' | 'observer' | `team:${string}`;

export interface SeatRecord {
  playerId: string;
  name: string;
  role: Role;
  team: string | null;
  tokenHash: string;
  /** The codes key sealed under this seat's token (White Cell seats only), so it can read and rotate the codes. */
  sealedKey: Sealed | null;
  at: number;
}

/** One generation of codes as the record keeps it: hashes and lookups, and the codes key sealed for the White Cell. */
export interface CodeGeneration {
  generation: number;
  codeHashes: Record<RoleKey, string>;
  sealedForControlCode: Sealed;
  /** The short codes' stretched lookups (absent in records written before short codes). */
  shortHashes?: Record<RoleKey, string>;
  /** The codes key sealed under the White Cell short code's stretched secret. */
  sealedForControlShort?: Sealed;
}

export type AuthEvent =
  | ({ type: 'AuthCreated'; teams: string[]; at: number } & CodeGeneration)
  | { type: 'SeatIssued'; seat: SeatRecord }
  | ({ type: 'CodesRotated'; at: number } & CodeGeneration)
  /**
   * New codes under a new codes key, by a White Cell seat that held no key (an operator's recovery seat, or a player
   * moved to the White Cell): that seat gets the key, sealed under its token; every other White Cell seat loses it.
   */
  | ({ type: 'CodesRekeyed'; tokenHash: string; sealedKey: Sealed; at: number } & CodeGeneration)
  | { type: 'SeatsRevoked'; playerIds: string[]; at: number }
  /** Every token of the player now carries this name. */
  | { type: 'SeatRenamed'; playerId: string; name: string; at: number }
  /** Every token of the player now holds this seat; a seat away from the White Cell gives up its codes key. */
  | { type: 'SeatMoved'; playerId: string; role: Role; team: string | null; at: number };

export interface AuthState {
  version: number;
  teams: string[];
  /** Codes are derived from the codes key and this number; rotating bumps it. */
  generation: number;
  /** sha256(code) -> whom it seats, for the current generation only. */
  codeRoles: Map<string, RoleKey>;
  /** The codes key sealed under the current White Cell join code. */
  sealedForControlCode: Sealed;
  /** Stretched short code lookup -> whom it seats, for the current generation only. */
  shortRoles: Map<string, RoleKey>;
  /** The codes key sealed under the current White Cell short code. */
  sealedForControlShort: Sealed | null;
  /** sha256(token) -> seat. */
  seats: Map<string, SeatRecord>;
  revoked: Set<string>;
}

export const authStreamId = (gameId: string) => `${gameId}-auth`;

export function roleKeys(teams: readonly string[]): RoleKey[] {
  return ['control', 'observer', ...teams.map((t) => `team:${t}` as const)];
}

export function seatOfRoleKey(key: RoleKey): { role: Role; team: string | null } {
  return key.startsWith('team:')
    ? { role: 'team', team: key.slice('team:'.length) }
    : { role: key as 'control' | 'observer', team: null };
}

function codeRoles(hashes: Record<RoleKey, string>): Map<string, RoleKey> {
  return new Map(Object.entries(hashes).map(([key, hash]) => [hash, key as RoleKey]));
}

/** What a generation of codes sets in the auth state. */
function codesState(g: CodeGeneration) {
  return {
    generation: g.generation,
    codeRoles: codeRoles(g.codeHashes),
    sealedForControlCode: g.sealedForControlCode,
    shortRoles: codeRoles(g.shortHashes ?? ({} as Record<RoleKey, string>)),
    sealedForControlShort: g.sealedForControlShort ?? null,
  };
}

/** Replaces every seat record (token) of one player; `s.seats` is already this fold's own copy. */
function updateSeats(s: AuthState, playerId: string, change: (r: SeatRecord) => SeatRecord): void {
  for (const [hash, r] of s.seats) if (r.playerId === playerId) s.seats.set(hash, change(r));
}

const ROLES = new Set<unknown>(['team', 'control', 'observer']);
const isSealed = (v: unknown) => v === null || isString(v);
const isGeneration = (e: Record<string, unknown>) =>
  isNumber(e.generation) &&
  isStringMap(e.codeHashes) &&
  isString(e.sealedForControlCode) &&
  (e.shortHashes === undefined || isStringMap(e.shortHashes)) &&
  (e.sealedForControlShort === undefined || isString(e.sealedForControlShort));
const isSeat = (v: unknown) =>
  isObject(v) &&
  isString(v.playerId) &&
  isString(v.name) &&
  ROLES.has(v.role) &&
  (v.team === null || isString(v.team)) &&
  isString(v.tokenHash) &&
  isSealed(v.sealedKey);

/** What foldAuth needs of each event (server/store/record-damage.ts). */
const AUTH_SHAPES: EventShapes<AuthEvent['type']> = {
  AuthCreated: (e) => isStrings(e.teams) && isGeneration(e),
  SeatIssued: (e) => isSeat(e.seat),
  CodesRotated: isGeneration,
  CodesRekeyed: (e) => isGeneration(e) && isString(e.tokenHash) && isString(e.sealedKey),
  SeatsRevoked: (e) => isStrings(e.playerIds),
  SeatRenamed: (e) => isString(e.playerId) && isString(e.name),
  SeatMoved: (e) => isString(e.playerId) && ROLES.has(e.role) && (e.team === null || isString(e.team)),
};

/** Checks stored auth events of versions first, first + 1… by their type and fields (a RecordDamage if not). */
export function checkAuthEvents(stream: string, events: readonly unknown[], first: number): void {
  checkRecordEvents(stream, events, first, AUTH_SHAPES, 'AuthCreated');
}

/**
 * Folds auth events into a new state (the one given is not changed). Null for no events. Stored events that are not
 * ones it knows, with the fields it needs, make the record damaged: a RecordDamage naming `stream`.
 */
export function foldAuth(
  stream: string,
  events: readonly AuthEvent[],
  from: AuthState | null,
  fromVersion = from?.version ?? 0,
): AuthState | null {
  checkRecordEvents(
    stream,
    events,
    fromVersion + 1,
    AUTH_SHAPES,
    'AuthCreated',
    fromVersion === 0 ? events : undefined,
  );
  let s: AuthState | null = from ? { ...from, seats: new Map(from.seats), revoked: new Set(from.revoked) } : null;
  let version = fromVersion;
  for (const e of events) {
    version += 1;
    if (e.type === 'AuthCreated') {
      s = {
        version,
        teams: e.teams,
        ...codesState(e),
        seats: new Map(),
        revoked: new Set(),
      };
      continue;
    }
    // Unreachable after the check (AuthCreated is event 1), unless `from` was left out where it was needed.
    if (!s) throw new RecordDamage(stream, `event ${version}: the record does not begin with AuthCreated`);
    if (e.type === 'SeatIssued') s.seats.set(e.seat.tokenHash, e.seat);
    else if (e.type === 'CodesRotated') Object.assign(s, codesState(e));
    else if (e.type === 'CodesRekeyed') {
      Object.assign(s, codesState(e));
      for (const [hash, r] of s.seats)
        if (r.role === 'control') s.seats.set(hash, { ...r, sealedKey: hash === e.tokenHash ? e.sealedKey : null });
    } else if (e.type === 'SeatRenamed') updateSeats(s, e.playerId, (r) => ({ ...r, name: e.name }));
    else if (e.type === 'SeatMoved')
      updateSeats(s, e.playerId, (r) => ({
        ...r,
        role: e.role,
        team: e.team,
        sealedKey: e.role === 'control' ? r.sealedKey : null,
      }));
    else for (const id of e.playerIds) s.revoked.add(id);
  }
  if (s) s.version = version;
  return s;
}
