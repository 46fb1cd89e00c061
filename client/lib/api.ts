// REST calls, and an estimate of the server's clock from the Date header of /api responses: deadlines are server
// timestamps and the players' clocks differ, so the countdown runs on (local time + offset).
import type {
  CreateGameBody,
  CreateGameResult,
  ErrorBody,
  ForkResult,
  JoinCodes,
  JoinPreview,
  JoinResult,
  MovePlayerResult,
  RenamePlayerResult,
  RotateCodesResult,
  ScenarioSummary,
} from '../../shared/protocol.ts';
import type { GameView } from '../../shared/views.ts';

export class ApiError extends Error {
  constructor(
    public code: string,
    message: string,
    public status: number,
  ) {
    super(message);
  }
}

/**
 * What the join page says when a join is refused. A code the server does not know gets one plain sentence; every
 * other refusal (a code with all its seats given out, a recovery code spent or expired, too many tries) in the
 * server's own words, which say what to do.
 */
export function joinRefusal(err: unknown): string {
  // Not the server answering: fetch itself failed (offline, the server down or unreachable).
  if (!(err instanceof ApiError)) return 'Could not reach the server. Check your connection and try again.';
  if (err.status === 404 || err.code === 'BAD_CODE') return 'That code is not known. Check it with the White Cell.';
  return err.message;
}

// The offset is known within an interval: [lo, hi]. Each response narrows it (its Date header has whole seconds).
let lo = -Infinity;
let hi = Infinity;

function learnClock(res: Response, sentAt: number, receivedAt: number) {
  const date = res.headers.get('date');
  if (!date) return;
  const server = Date.parse(date);
  if (Number.isNaN(server)) return;
  // The server stamped the header some time between our send and our receipt, within the second it names.
  const sampleLo = server - receivedAt;
  const sampleHi = server + 1000 - sentAt;
  const nlo = Math.max(lo, sampleLo);
  const nhi = Math.min(hi, sampleHi);
  if (nlo <= nhi) {
    lo = nlo;
    hi = nhi;
  } else {
    lo = sampleLo;
    hi = sampleHi;
  } // the clock jumped: start again
}

/** Milliseconds to add to Date.now() to get the server's time (0 until a response has been seen). */
export function clockOffset(): number {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return 0;
  return Math.round((lo + hi) / 2);
}
export const serverNow = () => Date.now() + clockOffset();

export async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const sentAt = Date.now();
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('NETWORK', 'The server cannot be reached. Check the connection and try again.', 0);
  }
  learnClock(res, sentAt, Date.now());
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const err = (data as { error?: ErrorBody } | null)?.error;
    throw new ApiError(
      err?.code ?? `HTTP_${res.status}`,
      err?.message ?? `The server answered ${res.status}`,
      res.status,
    );
  }
  return data as T;
}

export const listScenarios = () => call<ScenarioSummary[]>('GET', '/api/scenarios');
/** `createKey`: the organizer key, on a server that sets CREATE_KEY. */
export const createGame = (body: CreateGameBody, createKey?: string) =>
  call<CreateGameResult>('POST', '/api/games', body, createKey);
/** The White Cell may read its game's join codes again (with its own token). */
export const fetchCodes = (gameId: string, token: string) =>
  call<JoinCodes>('GET', `/api/games/${encodeURIComponent(gameId)}/codes`, undefined, token);
/** New join codes (the old ones stop working); `revokeSeats` also signs out every other seat. */
export const rotateCodes = (gameId: string, token: string, revokeSeats: boolean) =>
  call<RotateCodesResult>('POST', `/api/games/${encodeURIComponent(gameId)}/codes/rotate`, { revokeSeats }, token);
/** Signs a player out of the game for good (White Cell only). */
export const removePlayer = (gameId: string, token: string, playerId: string) =>
  call<{ removed: string }>(
    'POST',
    `/api/games/${encodeURIComponent(gameId)}/players/${encodeURIComponent(playerId)}/remove`,
    {},
    token,
  );
/** Corrects a player's name (White Cell only). */
export const renamePlayer = (gameId: string, token: string, playerId: string, name: string) =>
  call<RenamePlayerResult>(
    'POST',
    `/api/games/${encodeURIComponent(gameId)}/players/${encodeURIComponent(playerId)}/rename`,
    { name },
    token,
  );
/** Moves a player to a team's seat, the White Cell ("control") or the observers (White Cell only). */
export const movePlayer = (gameId: string, token: string, playerId: string, to: string) =>
  call<MovePlayerResult>(
    'POST',
    `/api/games/${encodeURIComponent(gameId)}/players/${encodeURIComponent(playerId)}/move`,
    { to },
    token,
  );
export const previewJoin = (code: string) => call<JoinPreview>('POST', '/api/join/preview', { code });
export const joinGame = (code: string, name: string, role?: JoinResult['role']) =>
  call<JoinResult>('POST', '/api/join', role ? { code, name, role } : { code, name });

/** A few cheap requests to pin the clock offset down to well under a second. */
export async function syncClock(samples = 3): Promise<void> {
  for (let i = 0; i < samples; i++) {
    try {
      await call('GET', '/api/scenarios');
    } catch {
      return;
    }
    if (hi - lo < 150) return;
    // Land the next sample in another part of the server's second, so that the intervals intersect usefully.
    await new Promise((r) => setTimeout(r, 330));
  }
}

// ---- the record: exports, the printable report, replay and fork ------------------------------------------------

const gamePath = (gameId: string, rest: string) => `/api/games/${encodeURIComponent(gameId)}/${rest}`;

/** A file from the record API (the seat's token goes in a header, so a plain link cannot fetch it). */
export async function fetchFile(gameId: string, rest: string, token: string): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(gamePath(gameId, rest), { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
  } catch {
    throw new ApiError('NETWORK', 'The server cannot be reached. Check the connection and try again.', 0);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
    throw new ApiError(body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? 'Not available', res.status);
  }
  return res.blob();
}

export interface ReplayIndex {
  gameId: string;
  version: number;
  audience: { kind: string; team?: string };
  steps: { version: number; round: number; phase: string; at: number; event?: string }[];
}
export const fetchReplay = (gameId: string, token: string, audience?: string) =>
  call<ReplayIndex>(
    'GET',
    gamePath(gameId, `replay${audience ? `?audience=${encodeURIComponent(audience)}` : ''}`),
    undefined,
    token,
  );
export const fetchReplayView = (gameId: string, token: string, version: number, audience?: string) =>
  call<{ gameId: string; version: number; view: GameView }>(
    'GET',
    gamePath(gameId, `replay/${version}${audience ? `?audience=${encodeURIComponent(audience)}` : ''}`),
    undefined,
    token,
  );
export const forkGame = (gameId: string, token: string, round: number, name: string) =>
  call<ForkResult>('POST', gamePath(gameId, 'fork'), { round, name }, token);
