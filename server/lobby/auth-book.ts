// Join codes and seat tokens, kept durably in each game's auth stream. Codes and tokens embed the game id
// (`<gameId>.<secret>`) so that any process can find the game, and are checked against stored hashes.
import type { JoinCodes } from '../../shared/protocol.ts';
import { VersionConflict, type EventStore } from '../store/event-store.ts';
import {
  authStreamId,
  foldAuth,
  roleKeys,
  seatOfRoleKey,
  type AuthEvent,
  type CodeGeneration,
  type AuthState,
  type RoleKey,
  type SeatRecord,
} from './auth-records.ts';
import { GAME_ID, newSecret } from '../games/ids.ts';
import { KeyedQueue } from '../games/keyed-queue.ts';
import {
  codeSecret,
  newCodesKey,
  randomShortCode,
  seal,
  sha256,
  shortCodeFor,
  stretchShortCode,
  unseal,
  type StretchedShortCode,
} from './secrets.ts';
import { ShortCodeIndex } from './short-code-index.ts';
import { formatShortCode } from '../../shared/join-code.ts';
import type { Seat } from '../games/seat.ts';
import { AppError } from '../games/app-error.ts';
import { opensNothing } from '../store/record-damage.ts';

/** A code or token split into its parts; `raw` is the normalized whole, which is what gets hashed. */
export interface Credential {
  gameId: string;
  raw: string;
}

const TOKEN = /^([0-9a-z]{12})\.[0-9a-z]{26}$/;
const CODE = /^([0-9a-z]{12})\.[a-z2-7]{26}$/;

/**
 * A short code found in the index: the game it leads to and its stretched forms. `recovery` is set for an
 * operator's one-use White Cell recovery code.
 */
export interface ShortCredential {
  gameId: string;
  short: StretchedShortCode;
  recovery?: { expiresAt: number; used: boolean };
}

export type CodeCredential = Credential | ShortCredential;

const isShort = (c: CodeCredential): c is ShortCredential => 'short' in c;

/** How long an operator's White Cell recovery code may be used. */
export const RECOVERY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Why a recovery code no longer seats anyone, or null if it still does. Said plainly, not as BAD_CODE: only its
 * holder can reach this (the code is found by its stretched hash), and "not valid" would send an operator hunting a
 * typo in a code that was right but spent.
 */
function recoveryRefusal(recovery: { expiresAt: number; used: boolean }, now: number): AppError | null {
  if (recovery.used)
    return new AppError(410, 'CODE_USED', 'This White Cell recovery code has been used already; ask for a new one');
  if (now >= recovery.expiresAt)
    return new AppError(410, 'CODE_EXPIRED', 'This White Cell recovery code has expired; ask for a new one');
  return null;
}

export function parseToken(token: unknown): Credential | null {
  if (typeof token !== 'string' || token.length > 64) return null;
  const m = TOKEN.exec(token);
  return m ? { gameId: m[1], raw: token } : null;
}

/** Codes may be typed by people: surrounding blanks and capitals are forgiven. */
export function parseCode(code: unknown): Credential | null {
  if (typeof code !== 'string' || code.length > 80) return null;
  const raw = code.trim().toLowerCase();
  const m = CODE.exec(raw);
  return m && GAME_ID.test(m[1]) ? { gameId: m[1], raw } : null;
}

/** A generation's codes, long and short (canonical, unformatted). */
interface Generated {
  codes: JoinCodes;
  short: Record<RoleKey, string>;
}

function codesFor(key: Buffer, gameId: string, generation: number, teams: readonly string[]): Generated {
  const code = (roleKey: RoleKey) => `${gameId}.${codeSecret(key, gameId, generation, roleKey)}`;
  const short = Object.fromEntries(roleKeys(teams).map((k) => [k, shortCodeFor(key, gameId, generation, k)])) as Record<
    RoleKey,
    string
  >;
  return {
    codes: {
      control: code('control'),
      observer: code('observer'),
      teams: Object.fromEntries(teams.map((t) => [t, code(`team:${t}`)])),
      short: {
        control: formatShortCode(short.control),
        observer: formatShortCode(short.observer),
        teams: Object.fromEntries(teams.map((t) => [t, formatShortCode(short[`team:${t}`])])),
      },
    },
    short,
  };
}

function hashes(codes: JoinCodes): Record<RoleKey, string> {
  const out: Record<string, string> = { control: sha256(codes.control), observer: sha256(codes.observer) };
  for (const [team, code] of Object.entries(codes.teams)) out[`team:${team}`] = sha256(code);
  return out as Record<RoleKey, string>;
}

const seatOf = (gameId: string, r: SeatRecord): Seat => ({
  gameId,
  playerId: r.playerId,
  name: r.name,
  role: r.role,
  team: r.team,
});

/** A player's tokens that still work (none once they are revoked). */
const liveRecords = (s: AuthState, playerId: string): SeatRecord[] =>
  s.revoked.has(playerId) ? [] : [...s.seats.values()].filter((r) => r.playerId === playerId);

/** Whom a code seats in this state (current generation only), or undefined. */
function roleOfCode(s: AuthState, code: CodeCredential): RoleKey | undefined {
  return isShort(code) ? s.shortRoles.get(code.short.lookup) : s.codeRoles.get(sha256(code.raw));
}

/** What the record keeps of a code: a short code's stretched lookup, a long code's sha256. */
function codeHash(code: CodeCredential): string {
  return isShort(code) ? code.short.lookup : sha256(code.raw);
}

/** Appends retried after a conflict (another process wrote to the same auth stream) before giving up. */
const CONFLICT_RETRIES = 5;

export class AuthBook {
  readonly #store: EventStore;
  readonly #now: () => number;
  readonly #cache = new Map<string, AuthState>();
  readonly #writes = new KeyedQueue();
  readonly #index: ShortCodeIndex;

  /** Seats one join code may give out (counted per role, revoked seats excepted). */
  readonly #seatsPerCode: number;

  constructor(store: EventStore, now: () => number = Date.now, seatsPerCode = Number.POSITIVE_INFINITY) {
    this.#seatsPerCode = seatsPerCode;
    this.#store = store;
    this.#now = now;
    this.#index = new ShortCodeIndex(store);
  }

  /**
   * A generation's codes, with every short code bound to this game in the index. Should a short code already lead
   * to another game (a 2^-60 chance each), the next generation is tried: its codes are all new.
   */
  async #generate(
    key: Buffer,
    gameId: string,
    from: number,
    teams: readonly string[],
  ): Promise<{ codes: JoinCodes; record: CodeGeneration }> {
    for (let generation = from; ; generation++) {
      const { codes, short } = codesFor(key, gameId, generation, teams);
      const keys = Object.keys(short) as RoleKey[];
      const stretched = await Promise.all(keys.map((k) => stretchShortCode(short[k])));
      const at = this.#now();
      const bound = await Promise.all(stretched.map((s) => this.#index.bind(s.lookup, gameId, at)));
      if (bound.includes(false)) continue;
      const control = stretched[keys.indexOf('control')];
      return {
        codes,
        record: {
          generation,
          codeHashes: hashes(codes),
          sealedForControlCode: seal(codes.control, gameId, key),
          shortHashes: Object.fromEntries(keys.map((k, i) => [k, stretched[i].lookup])) as Record<RoleKey, string>,
          sealedForControlShort: seal(control.sealing, gameId, key),
        },
      };
    }
  }

  /** Where a short code (canonical) leads, or null if it leads nowhere. Costs one stretch and one read. */
  async resolveShort(canonical: string): Promise<ShortCredential | null> {
    const short = await stretchShortCode(canonical);
    const entry = await this.#index.find(short.lookup);
    // A seminar's short code is no seat in a game (the cohorts answer for it).
    if (!entry || entry.kind === 'seminar') return null;
    return entry.kind === 'seat'
      ? { gameId: entry.gameId, short }
      : { gameId: entry.gameId, short, recovery: { expiresAt: entry.expiresAt, used: entry.used } };
  }

  /**
   * A one-use White Cell recovery code for an existing game, for its operator (scripts/whitecell.ts): valid for
   * `ttlMs`, it seats a new White Cell member. Existing codes stay as they are, unread. Null for an unknown game.
   * It writes only the code's own new stream, so it is safe beside a running server even on the file store.
   */
  async mintRecovery(gameId: string, ttlMs = RECOVERY_TTL_MS): Promise<{ code: string; expiresAt: number } | null> {
    if ((await this.#store.version(authStreamId(gameId))) === 0) return null;
    for (;;) {
      const code = randomShortCode();
      const { lookup } = await stretchShortCode(code);
      const at = this.#now();
      if (await this.#index.issueRecovery(lookup, gameId, at + ttlMs, at))
        return { code: formatShortCode(code), expiresAt: at + ttlMs };
    }
  }

  /** A new game's auth record, with its creator seated at the White Cell. */
  async create(
    gameId: string,
    teams: readonly string[],
    creator: { playerId: string; name: string },
  ): Promise<{ controlToken: string; codes: JoinCodes }> {
    const key = newCodesKey();
    const { codes, record } = await this.#generate(key, gameId, 1, teams);
    const controlToken = `${gameId}.${newSecret()}`;
    const at = this.#now();
    const events: AuthEvent[] = [
      { type: 'AuthCreated', teams: [...teams], ...record, at },
      {
        type: 'SeatIssued',
        seat: {
          playerId: creator.playerId,
          name: creator.name,
          role: 'control',
          team: null,
          tokenHash: sha256(controlToken),
          sealedKey: seal(controlToken, gameId, key),
          at,
        },
      },
    ];
    await this.#store.append(authStreamId(gameId), 0, events);
    this.#remember(gameId, foldAuth(authStreamId(gameId), events, null)!);
    return { controlToken, codes };
  }

  /** The seat a token holds, or null for a token that is unknown, malformed or revoked. */
  async verifyToken(token: Credential): Promise<Seat | null> {
    const s = await this.#freshFor(token.gameId, sha256(token.raw));
    const record = s?.seats.get(sha256(token.raw));
    return record && !s!.revoked.has(record.playerId) ? seatOf(token.gameId, record) : null;
  }

  /**
   * Seats a new player (`playerId`), or a returning one: `returning` names the player already in the seat the code
   * gives, if any, who keeps their id unless their seats were revoked. Null if the code is not (or no longer) valid;
   * throws CODE_FULL (409) when the code has given out all the seats it may.
   */
  async redeem(
    code: CodeCredential,
    name: string,
    playerId: string,
    returning: (seat: Pick<Seat, 'role' | 'team'>) => string | undefined = () => undefined,
  ): Promise<{ seat: Seat; token: string } | null> {
    if (isShort(code) && code.recovery) return this.#recover(code, name, playerId);
    const { gameId } = code;
    const token = `${gameId}.${newSecret()}`;
    // A code a damaged record nowhere holds seats nobody: BAD_CODE (a guess spent), as for any other game.
    if (!(await this.#freshFor(gameId, codeHash(code)))) return null;
    return this.#append<{ seat: Seat; token: string } | null>(gameId, (s) => {
      const roleKey = roleOfCode(s, code);
      if (!roleKey) return { events: [], result: null };
      const { role, team } = seatOfRoleKey(roleKey);
      let taken = 0;
      for (const r of s.seats.values()) if (r.role === role && r.team === team && !s.revoked.has(r.playerId)) taken++;
      if (taken >= this.#seatsPerCode)
        throw new AppError(409, 'CODE_FULL', 'This join code has given out all its seats');
      let sealedKey = null;
      if (roleKey === 'control') {
        const key = isShort(code)
          ? s.sealedForControlShort && unseal(code.short.sealing, gameId, s.sealedForControlShort)
          : unseal(code.raw, gameId, s.sealedForControlCode);
        if (!key) return { events: [], result: null };
        sealedKey = seal(token, gameId, key);
      }
      const seat = seatOfRoleKey(roleKey);
      const record: SeatRecord = {
        playerId: ((back) => (back && !s.revoked.has(back) ? back : playerId))(returning(seat)),
        name,
        ...seat,
        tokenHash: sha256(token),
        sealedKey,
        at: this.#now(),
      };
      return { events: [{ type: 'SeatIssued', seat: record }], result: { seat: seatOf(gameId, record), token } };
    });
  }

  /**
   * Seats a new White Cell member with an operator's recovery code, spending it first: of two joins racing with
   * the same code (in any processes), the store lets one spend it. The seat cannot read the codes (no codes key).
   */
  async #recover(code: ShortCredential, name: string, playerId: string): Promise<{ seat: Seat; token: string } | null> {
    const { gameId, recovery } = code;
    if (!recovery || !(await this.#fresh(gameId))) return null;
    const refusal = recoveryRefusal(recovery, this.#now());
    if (refusal) throw refusal;
    // Another join spent it first (in this process or another).
    if (!(await this.#index.useRecovery(code.short.lookup, playerId, this.#now())))
      throw recoveryRefusal({ ...recovery, used: true }, this.#now());
    const token = await this.issue(gameId, { playerId, name, role: 'control', team: null });
    return { seat: { gameId, playerId, name, role: 'control', team: null }, token };
  }

  /**
   * A seat issued without a code, to a White Cell member who plays a team (or to an instructor opening a cohort
   * cell's console): the same kind of token a player gets by joining, so it then acts through exactly that path.
   * A White Cell seat issued this way cannot read or rotate the join codes (it holds no sealed codes key).
   */
  async issue(
    gameId: string,
    seat: { playerId: string; name: string; role?: 'team' | 'control'; team: string | null },
  ): Promise<string> {
    const token = `${gameId}.${newSecret()}`;
    const role = seat.role ?? 'team';
    const record: SeatRecord = {
      playerId: seat.playerId,
      name: seat.name,
      role,
      team: role === 'team' ? seat.team : null,
      tokenHash: sha256(token),
      sealedKey: null,
      at: this.#now(),
    };
    await this.#append(gameId, (s) => {
      if (role === 'team' && !s.teams.includes(seat.team ?? '')) throw new Error(`no team ${seat.team} in ${gameId}`);
      return { events: [{ type: 'SeatIssued', seat: record }], result: null };
    });
    return token;
  }

  /** Revokes the given players' tokens (a seat handed back by the White Cell). */
  async revoke(gameId: string, playerIds: readonly string[]): Promise<void> {
    await this.#append(gameId, (s) => {
      const live = playerIds.filter((id) => !s.revoked.has(id));
      return { events: live.length ? [{ type: 'SeatsRevoked', playerIds: live, at: this.#now() }] : [], result: null };
    });
  }

  /** Whom a code seats, without seating anyone; null for a code that seats no one. */
  async peek(code: CodeCredential): Promise<Pick<Seat, 'role' | 'team'> | null> {
    const s = await this.#freshFor(code.gameId, codeHash(code));
    if (!s) return null;
    if (isShort(code) && code.recovery) {
      const refusal = recoveryRefusal(code.recovery, this.#now());
      if (refusal) throw refusal;
      return { role: 'control', team: null };
    }
    const roleKey = roleOfCode(s, code);
    return roleKey ? seatOfRoleKey(roleKey) : null;
  }

  /**
   * The current join codes, for a White Cell token; 'keyless' for a White Cell seat that holds no codes key,
   * 'forbidden' for any other valid seat; null for a bad token.
   */
  async codes(token: Credential): Promise<JoinCodes | 'keyless' | 'forbidden' | null> {
    const s = await this.#freshFor(token.gameId, sha256(token.raw));
    if (!s) return null;
    const opened = this.#openKey(s, token);
    if (opened === 'forbidden') return this.#keylessControl(s, token) ? 'keyless' : 'forbidden';
    return opened === null ? null : codesFor(opened, token.gameId, s.generation, s.teams).codes;
  }

  /** New codes (the old ones are refused from now on); optionally revokes every other seat's token. */
  async rotate(
    token: Credential,
    revokeSeats: boolean,
  ): Promise<{ codes: JoinCodes; revoked: Seat[]; rekeyed: boolean } | 'forbidden' | null> {
    const { gameId } = token;
    type Rotated = { codes: JoinCodes; revoked: Seat[]; rekeyed: boolean } | 'forbidden' | null;
    for (let attempt = 0; ; attempt++) {
      const before = await this.#fresh(gameId);
      if (!before) return null;
      const opened = this.#openKey(before, token);
      if (opened === null) return null;
      // A White Cell seat without the codes key (recovered by the operator, or moved here) cannot derive the codes it
      // was never given, but it can start afresh: a new key, new codes, and the key sealed for it alone.
      const rekey = opened === 'forbidden';
      if (rekey && !this.#keylessControl(before, token)) return 'forbidden';
      const key = rekey ? newCodesKey() : opened;
      // The short codes are stretched and bound before the record is written (that takes a while, so not inside
      // the write); should another rotation land meanwhile, these codes are dropped and it is done again.
      const { codes, record } = await this.#generate(key, gameId, before.generation + 1, before.teams);
      const rotated = await this.#append<Rotated | 'again'>(gameId, (s) => {
        const now = this.#openKey(s, token);
        if (now === null) return { events: [], result: null };
        if (s.generation !== before.generation || rekey !== (now === 'forbidden'))
          return { events: [], result: 'again' };
        if (rekey && !this.#keylessControl(s, token)) return { events: [], result: 'forbidden' };
        const me = s.seats.get(sha256(token.raw))!;
        const at = this.#now();
        const events: AuthEvent[] = [
          rekey
            ? { type: 'CodesRekeyed', ...record, tokenHash: me.tokenHash, sealedKey: seal(token.raw, gameId, key), at }
            : { type: 'CodesRotated', ...record, at },
        ];
        const revoked = revokeSeats
          ? [...s.seats.values()].filter((r) => r.playerId !== me.playerId && !s.revoked.has(r.playerId))
          : [];
        if (revoked.length) events.push({ type: 'SeatsRevoked', playerIds: revoked.map((r) => r.playerId), at });
        return { events, result: { codes, revoked: revoked.map((r) => seatOf(gameId, r)), rekeyed: rekey } };
      });
      if (rotated !== 'again') return rotated;
      if (attempt >= CONFLICT_RETRIES) throw new Error(`codes of ${gameId} kept being rotated by others`);
    }
  }

  /** A live White Cell seat that holds no codes key. */
  #keylessControl(s: AuthState, token: Credential): boolean {
    const record = s.seats.get(sha256(token.raw));
    return !!record && !s.revoked.has(record.playerId) && record.role === 'control' && !record.sealedKey;
  }

  /** Signs one player out for good (every token of theirs), for a White Cell token; not the White Cell's own seat. */
  async removePlayer(token: Credential, playerId: string): Promise<Seat[] | 'forbidden' | 'unknown' | null> {
    const { gameId } = token;
    if (!(await this.#fresh(gameId))) return null;
    return this.#append<Seat[] | 'forbidden' | 'unknown' | null>(gameId, (s) => {
      const key = this.#openKey(s, token);
      if (key === null || key === 'forbidden') return { events: [], result: key };
      const me = s.seats.get(sha256(token.raw))!;
      const theirs = [...s.seats.values()].filter((r) => r.playerId === playerId);
      if (!theirs.length || playerId === me.playerId || s.revoked.has(playerId))
        return { events: [], result: 'unknown' };
      return {
        events: [{ type: 'SeatsRevoked', playerIds: [playerId], at: this.#now() }],
        result: [seatOf(gameId, theirs[0])],
      };
    });
  }

  /**
   * Gives every token of one player a new name, for a White Cell token (its own seat included). The new seat, or
   * 'unknown' for a player who holds no live token here.
   */
  async renamePlayer(
    token: Credential,
    playerId: string,
    name: string,
  ): Promise<Seat | 'forbidden' | 'unknown' | null> {
    const { gameId } = token;
    if (!(await this.#fresh(gameId))) return null;
    return this.#append<Seat | 'forbidden' | 'unknown' | null>(gameId, (s) => {
      const key = this.#openKey(s, token);
      if (key === null || key === 'forbidden') return { events: [], result: key };
      const theirs = liveRecords(s, playerId);
      if (!theirs.length) return { events: [], result: 'unknown' };
      const seat = { ...seatOf(gameId, theirs[0]), name };
      if (theirs.every((r) => r.name === name)) return { events: [], result: seat };
      return { events: [{ type: 'SeatRenamed', playerId, name, at: this.#now() }], result: seat };
    });
  }

  /**
   * Moves one player, every token of theirs, to another seat, for a White Cell token. Throws LAST_WHITE_CELL (409)
   * rather than leave no White Cell member who can manage the game, and SEATS_FULL (409) when the target's join code
   * has no seats left (the CODE_FULL limit). `moved` is false when the player already held that seat.
   */
  async movePlayer(
    token: Credential,
    playerId: string,
    to: Pick<Seat, 'role' | 'team'>,
  ): Promise<{ from: Seat; to: Seat; moved: boolean } | 'forbidden' | 'unknown' | null> {
    const { gameId } = token;
    if (!(await this.#fresh(gameId))) return null;
    type Moved = { from: Seat; to: Seat; moved: boolean } | 'forbidden' | 'unknown' | null;
    return this.#append<Moved>(gameId, (s) => {
      const key = this.#openKey(s, token);
      if (key === null || key === 'forbidden') return { events: [], result: key };
      if (to.role === 'team' && !s.teams.includes(to.team ?? ''))
        throw new AppError(400, 'UNKNOWN_TEAM', 'No such team');
      const theirs = liveRecords(s, playerId);
      if (!theirs.length) return { events: [], result: 'unknown' };
      const from = seatOf(gameId, theirs[0]);
      const target: Seat = { ...from, role: to.role, team: to.role === 'team' ? to.team : null };
      if (from.role === target.role && from.team === target.team)
        return { events: [], result: { from, to: target, moved: false } };
      // Someone holding the codes key must stay at the White Cell, or no one could manage seats or codes again.
      const keyHolders = new Set<string>();
      for (const r of s.seats.values())
        if (r.role === 'control' && r.sealedKey && !s.revoked.has(r.playerId)) keyHolders.add(r.playerId);
      keyHolders.delete(playerId);
      if (from.role === 'control' && !keyHolders.size)
        throw new AppError(409, 'LAST_WHITE_CELL', 'The last White Cell member cannot leave the White Cell');
      // Counted in players, not tokens: a player who joined twice holds one seat.
      const there = new Set<string>();
      for (const r of s.seats.values())
        if (r.role === target.role && r.team === target.team && !s.revoked.has(r.playerId)) there.add(r.playerId);
      if (there.size >= this.#seatsPerCode)
        throw new AppError(409, 'SEATS_FULL', "That seat's join code has given out all its seats");
      return {
        events: [{ type: 'SeatMoved', playerId, role: target.role, team: target.team, at: this.#now() }],
        result: { from, to: target, moved: true },
      };
    });
  }

  /** The codes key, opened with a White Cell token. */
  #openKey(s: AuthState, token: Credential): Buffer | 'forbidden' | null {
    const record = s.seats.get(sha256(token.raw));
    if (!record || s.revoked.has(record.playerId)) return null;
    if (record.role !== 'control' || !record.sealedKey) return 'forbidden';
    return unseal(token.raw, token.gameId, record.sealedKey) ?? 'forbidden';
  }

  /**
   * The auth state for a token or code (its hash in the record): a damaged record that nowhere holds it answers null,
   * as for any token or code that seats nobody, rather than telling its holder about this game's damage.
   */
  async #freshFor(gameId: string, hash: string): Promise<AuthState | null> {
    try {
      return await this.#fresh(gameId);
    } catch (err) {
      if (opensNothing(err, hash, authStreamId(gameId))) return null;
      throw err;
    }
  }

  /** The auth state, reloaded if the store holds more than this process has seen (another process wrote). */
  async #fresh(gameId: string): Promise<AuthState | null> {
    const stream = authStreamId(gameId);
    const cached = this.#cache.get(gameId);
    const version = await this.#store.version(stream);
    if (cached && cached.version === version) return cached;
    if (version === 0) return null;
    const events = (await this.#store.load(stream, (cached?.version ?? 0) + 1)) as AuthEvent[];
    const s = foldAuth(stream, events, cached ?? null);
    if (s) this.#remember(gameId, s);
    return this.#cache.get(gameId) ?? null;
  }

  /** Keeps the newest state seen: a slow reload finishing after a write must not roll the cache back. */
  #remember(gameId: string, s: AuthState): void {
    const cached = this.#cache.get(gameId);
    if (!cached || cached.version < s.version) this.#cache.set(gameId, s);
  }

  /** Decides on the latest state and appends, one write at a time per game, deciding again after a conflict. */
  #append<T>(gameId: string, build: (s: AuthState) => { events: AuthEvent[]; result: T }): Promise<T> {
    return this.#writes.run(gameId, async () => {
      for (let attempt = 0; ; attempt++) {
        const s = await this.#fresh(gameId);
        if (!s) throw new Error(`no auth record for game ${gameId}`);
        const { events, result } = build(s);
        if (!events.length) return result;
        try {
          await this.#store.append(authStreamId(gameId), s.version, events);
        } catch (err) {
          if (err instanceof VersionConflict && attempt < CONFLICT_RETRIES) continue;
          throw err;
        }
        this.#remember(gameId, foldAuth(authStreamId(gameId), events, s)!);
        return result;
      }
    });
  }
}
