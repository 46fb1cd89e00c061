// Shared steps of the scale-out tests: seat players on chosen processes, wait until every client holds a version,
// compare what clients of one audience see, and read the event log as the servers stored it.
import * as assert from 'uvu/assert';
import type { GameEvent } from '../../server/engine/index.ts';
import type { EventStore } from '../../server/store/event-store.ts';
import { FileStore } from '../../server/store/file-store.ts';
import { compactChat } from '../../shared/protocol.ts';
import { TestClient } from './client.ts';
import { join } from './http.ts';

export interface Seated {
  client: TestClient;
  audience: string;
}

/** Joins through `joinUrl` (any process will do) and connects the socket to `socketUrl`. */
export async function seat(
  joinUrl: string,
  socketUrl: string,
  code: string,
  name: string,
  audience: string,
): Promise<Seated> {
  const { token } = await join(joinUrl, code, name);
  return { client: await TestClient.connect(socketUrl, token, name), audience };
}

/** Resolves once every client holds at least `version`. */
export async function allAt(clients: readonly TestClient[], version: number): Promise<void> {
  await Promise.all(clients.map((c) => c.until(() => c.version >= version, `${c.label} at version ${version}`)));
}

/**
 * Resolves once every client's view shows `what`. Versions are each audience's own, so clients of different
 * audiences are compared by what they see, not by number.
 */
export async function allSee(
  clients: readonly TestClient[],
  what: string,
  pred: (view: NonNullable<TestClient['view']>) => boolean,
): Promise<void> {
  await Promise.all(clients.map((c) => c.until(() => !!c.view && pred(c.view), `${c.label} sees ${what}`)));
}

/** Clients of one audience hold the same version and the same view, and it is the view their process sends afresh. */
export async function sameBoards(seated: readonly Seated[]): Promise<void> {
  const byAudience = new Map<string, Seated[]>();
  for (const s of seated) byAudience.set(s.audience, [...(byAudience.get(s.audience) ?? []), s]);
  for (const [audience, group] of byAudience) {
    const [first, ...rest] = group.map((s) => s.client);
    for (const c of rest) {
      assert.is(c.version, first.version, `${audience}: ${c.label} and ${first.label} at one version`);
      assert.equal(
        compactChat(c.view!),
        compactChat(first.view!),
        `${audience}: ${c.label} sees what ${first.label} sees`,
      );
    }
  }
  for (const { client } of seated) {
    const patched = JSON.parse(JSON.stringify(compactChat(client.view!)));
    const ack = await client.resync();
    assert.ok(ack.ok, `${client.label}: resync`);
    if (ack.ok) {
      assert.is(ack.version, client.version, `${client.label}: its process is caught up`);
      assert.equal(patched, ack.view, `${client.label}: the patched view is the whole view its process sends`);
    }
  }
}

/** The game's events, as stored. */
export const eventsOf = async (store: EventStore, gameId: string) => (await store.load(gameId)) as GameEvent[];

/** How many times each chat text was stored. */
export function chatCounts(events: readonly GameEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events)
    if (e.type === 'MessagePosted') counts.set(e.message.text, (counts.get(e.message.text) ?? 0) + 1);
  return counts;
}

/** How many times each chat text was stored in a file-store game, read from its data dir (a server may be running). */
export async function storedChat(dataDir: string, gameId: string): Promise<Map<string, number>> {
  const store = new FileStore(dataDir);
  try {
    return chatCounts(await eventsOf(store, gameId));
  } finally {
    await store.close();
  }
}

/** A value of a Prometheus counter scraped from a server's /metrics (0 when it has no sample yet). */
export async function counter(baseUrl: string, sample: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}
