// Seats (tokens) kept in localStorage, so that a refresh or a dropped connection keeps a player's place.
// A browser may hold several seats (a facilitator testing in tabs): each has a key in the URL, /game/<gameId>/<key>.
import type { JoinCodes, Role } from '../../shared/protocol.ts';

export interface Seat {
  token: string;
  gameId: string;
  playerId: string | null;
  role: Role;
  team: string | null;
  name: string;
}

const SEATS = 'flywheel.seats.v1';
const CODES = 'flywheel.codes.v1';
const READ = 'flywheel.read.v1';

function load<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}
function save(key: string, value: unknown) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* private mode: the seat lasts for this page only */
  }
}

/** The key a seat is stored under within its game: the team id, 'control', 'observer', or 'board:<code>'. */
export const seatKey = (s: Pick<Seat, 'role' | 'team'>) => (s.role === 'team' && s.team ? s.team : s.role);

export function getSeat(gameId: string, key: string): Seat | null {
  return load<Record<string, Seat>>(SEATS, {})[`${gameId}/${key}`] ?? null;
}
export function putSeat(key: string, seat: Seat) {
  const all = load<Record<string, Seat>>(SEATS, {});
  all[`${seat.gameId}/${key}`] = seat;
  save(SEATS, all);
}
const SEMINARS = 'flywheel.seminars.v1';
/** The seminar page a seat came from (a student's way back to "Find my seat" if the seat is closed by a move). */
export function putSeminarLink(gameId: string, path: string) {
  save(SEMINARS, { ...load<Record<string, string>>(SEMINARS, {}), [gameId]: path });
}
export const seminarLink = (gameId: string): string | null =>
  load<Record<string, string>>(SEMINARS, {})[gameId] ?? null;

export function dropSeat(gameId: string, key: string) {
  const all = load<Record<string, Seat>>(SEATS, {});
  delete all[`${gameId}/${key}`];
  save(SEATS, all);
}
/** Every seat this browser holds, newest games first (for the start page's "your games"). */
export function allSeats(): { key: string; seat: Seat }[] {
  return Object.entries(load<Record<string, Seat>>(SEATS, {}))
    .map(([k, seat]) => ({ key: k.slice(k.indexOf('/') + 1), seat }))
    .reverse();
}

/** Join codes are returned once, to the game's creator; keep them so the White Cell can show them again. */
export interface KeptCodes {
  codes: JoinCodes;
  title: string;
  teams: { id: string; name: string; color: string }[];
}
export function putCodes(gameId: string, kept: KeptCodes) {
  const all = load<Record<string, KeptCodes>>(CODES, {});
  all[gameId] = kept;
  save(CODES, all);
}
export function getCodes(gameId: string): KeptCodes | null {
  return load<Record<string, KeptCodes>>(CODES, {})[gameId] ?? null;
}

/** How many messages of each channel this seat has read (for unread counts that survive a refresh). */
export function getRead(gameId: string, key: string): Record<string, number> {
  return load<Record<string, Record<string, number>>>(READ, {})[`${gameId}/${key}`] ?? {};
}
export function putRead(gameId: string, key: string, read: Record<string, number>) {
  const all = load<Record<string, Record<string, number>>>(READ, {});
  all[`${gameId}/${key}`] = read;
  save(READ, all);
}

const BOARDS = 'flywheel.boards.v1';
/** A projector's seat, found by the observer code in its URL (/board/<code>). */
export function getBoardSeat(code: string): Seat | null {
  return load<Record<string, Seat>>(BOARDS, {})[code] ?? null;
}
export function putBoardSeat(code: string, seat: Seat) {
  const all = load<Record<string, Seat>>(BOARDS, {});
  all[code] = seat;
  save(BOARDS, all);
}
export function dropBoardSeat(code: string) {
  const all = load<Record<string, Seat>>(BOARDS, {});
  delete all[code];
  save(BOARDS, all);
}
