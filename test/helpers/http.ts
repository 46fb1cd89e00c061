// REST calls against a spawned server, returning status and parsed body.
import type { CreateGameResult, JoinResult } from '../../shared/protocol.ts';

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
}

export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult<T>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed as T };
}

export async function createGame(
  base: string,
  scenario: string,
  options: Record<string, unknown> = {},
  name?: string,
): Promise<CreateGameResult> {
  const r = await call<CreateGameResult>(base, 'POST', '/api/games', { scenario, options, ...(name ? { name } : {}) });
  if (r.status !== 201) throw new Error(`create game: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function join(base: string, code: string, name: string): Promise<JoinResult> {
  const r = await call<JoinResult>(base, 'POST', '/api/join', { code, name });
  if (r.status !== 200) throw new Error(`join: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
