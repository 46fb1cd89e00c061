import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VersionConflict } from '../../../server/store/event-store.ts';
import { CorruptLog, FileStore } from '../../../server/store/file-store.ts';
import { contract, rejectsWith, within } from './contract.ts';

const dirs: string[] = [];
const children = new Set<ChildProcess>();

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'flywheel-file-store-'));
  dirs.push(dir);
  return dir;
}

const contractSuite = contract('FileStore', async () => {
  const dir = await tempDir();
  return { open: () => new FileStore(dir), dispose: () => rm(dir, { recursive: true, force: true }) };
});
contractSuite.run();

const test = suite('FileStore on disk');
test.after(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const logOf = (dataDir: string, gameId: string) => join(dataDir, 'games', `${gameId}.jsonl`);
const ev = (n: number) => ({ type: 'tick', n });

/** A store with events 1..3 in two appends, closed; returns the log path and its size. */
async function threeEvents(dataDir: string): Promise<{ log: string; size: number }> {
  const store = new FileStore(dataDir);
  await store.append('g1', 0, [ev(1), ev(2)]);
  await store.append('g1', 2, [ev(3)]);
  await store.close();
  const log = logOf(dataDir, 'g1');
  return { log, size: statSync(log).size };
}

test('the data dir is created, and each game is one JSON line per event', async () => {
  const dataDir = join(await tempDir(), 'not', 'yet', 'there');
  const { log } = await threeEvents(dataDir);
  const lines = readFileSync(log, 'utf8').split('\n');
  assert.is(lines.pop(), '', 'the file ends with a newline');
  assert.equal(
    lines.map((l) => JSON.parse(l)),
    [
      { v: 1, batchEnd: 2, event: ev(1) },
      { v: 2, batchEnd: 2, event: ev(2) },
      { v: 3, batchEnd: 3, event: ev(3) },
    ],
  );
  // The logs hold secrets (the dice seed, covert moves, private chat): other users of the machine cannot read them.
  assert.is(statSync(log).mode & 0o777, 0o600);
  assert.is(statSync(join(dataDir, 'games')).mode & 0o777, 0o700);
  assert.is(statSync(dataDir).mode & 0o777, 0o700);
});

test('a torn last line is ignored and truncated away; appends go on after it', async () => {
  const dataDir = await tempDir();
  const { log, size } = await threeEvents(dataDir);
  appendFileSync(log, '{"v":4,"batchEnd":4,"event":{"ty');
  const store = new FileStore(dataDir);
  assert.is(await store.version('g1'), 3);
  assert.equal(await store.load('g1'), [ev(1), ev(2), ev(3)]);
  assert.is(statSync(log).size, size);
  assert.is(await store.append('g1', 3, [ev(4)]), 4);
  await store.close();
  assert.equal(await new FileStore(dataDir).load('g1'), [ev(1), ev(2), ev(3), ev(4)]);
});

test('a final line that ends with its newline and does not read is damage, not a torn write: it is kept', async () => {
  // An append is written whole with its newline in one durable write: only an unterminated last line can be torn.
  const dataDir = await tempDir();
  const { log } = await threeEvents(dataDir);
  appendFileSync(log, '\0\0\0\0\n');
  const before = readFileSync(log);
  const store = new FileStore(dataDir);
  const err = await rejectsWith(store.load('g1'), CorruptLog);
  assert.match(err.message, /^games\/g1\.jsonl:4: unreadable line$/);
  assert.is(err.stream, 'g1');
  assert.equal(readFileSync(log), before, 'nothing is cut');
});

test('an acknowledged last event damaged in place is reported, not cut off as a torn tail', async () => {
  const dataDir = await tempDir();
  const { log } = await threeEvents(dataDir);
  const lines = readFileSync(log, 'utf8').split('\n');
  lines[2] = lines[2].replace('"v":', '"v";'); // a bit flip in the last line, which keeps its newline
  writeFileSync(log, lines.join('\n'));
  const before = readFileSync(log);
  const store = new FileStore(dataDir);
  await rejectsWith(store.version('g1'), CorruptLog);
  await rejectsWith(store.append('g1', 3, [ev(4)]), CorruptLog);
  assert.equal(readFileSync(log), before, 'the acknowledged event 3 is still there for the repair');
});

test('an append torn inside its batch is dropped whole, never half-applied', async () => {
  const dataDir = await tempDir();
  const { log, size } = await threeEvents(dataDir);
  appendFileSync(log, `${JSON.stringify({ v: 4, batchEnd: 5, event: ev(4) })}\n`);
  const store = new FileStore(dataDir);
  assert.is(await store.version('g1'), 3);
  assert.is(statSync(log).size, size);
});

test('a bad line in the middle is an error, and the file is left as it is', async () => {
  const dataDir = await tempDir();
  const { log } = await threeEvents(dataDir);
  const lines = readFileSync(log, 'utf8').split('\n');
  lines[1] = '{"v":2,"batchEnd":2,"event":';
  writeFileSync(log, lines.join('\n'));
  const before = readFileSync(log);
  const store = new FileStore(dataDir);
  const err = await rejectsWith(store.load('g1'), CorruptLog);
  assert.match(err.message, ':2:');
  await rejectsWith(store.version('g1'), CorruptLog);
  await rejectsWith(store.append('g1', 3, [ev(4)]), CorruptLog);
  assert.equal(readFileSync(log), before);
});

test('a gap in the versions is an error', async () => {
  const dataDir = await tempDir();
  const { log } = await threeEvents(dataDir);
  const lines = readFileSync(log, 'utf8').split('\n');
  writeFileSync(log, [lines[0], lines[2], lines[2], ''].join('\n'));
  await rejectsWith(new FileStore(dataDir).load('g1'), CorruptLog);
});

test('snapshots are replaced atomically and leave no temporary files', async () => {
  const dataDir = await tempDir();
  const store = new FileStore(dataDir);
  await Promise.all(Array.from({ length: 10 }, (_, i) => store.saveSnapshot('g1', i, { i })));
  const snap = await store.loadSnapshot('g1');
  assert.ok(snap && snap.version === (snap.state as { i: number }).i);
  assert.equal(readdirSync(join(dataDir, 'games')), ['g1.snap.json']);
  await store.close();
});

test("a snapshot half-written when a process was killed is cleared by the next owner's first write", async () => {
  const dataDir = await tempDir();
  const first = new FileStore(dataDir);
  await first.saveSnapshot('g1', 1, { i: 1 });
  await first.close();
  // What a kill -9 between the write aside and the rename leaves behind.
  const aside = join(dataDir, 'games', 'g1.snap.0f6c9c2e-4a0e-4b4e-9d6a-0d6f3c1e2b7a.tmp');
  writeFileSync(aside, '{"version":2,"sta');
  const visitor = new FileStore(dataDir, { visitor: true });
  assert.equal((await visitor.loadSnapshot('g1'))?.version, 1, 'the snapshot in place is read, the aside ignored');
  // A visitor that writes (the White Cell recovery script beside a live server) leaves it: it may be the server's.
  await visitor.append('g2', 0, [ev(1)]);
  assert.ok(existsSync(aside), 'a visitor touches no file aside');
  await visitor.close();
  const next = new FileStore(dataDir);
  await next.append('g1', 0, [ev(1)]);
  assert.equal(readdirSync(join(dataDir, 'games')).sort(), ['g1.jsonl', 'g1.snap.json', 'g2.jsonl']);
  assert.equal((await next.loadSnapshot('g1'))?.version, 1);
  await next.close();
});

const APPENDER = fileURLToPath(new URL('../../helpers/file-store-appender.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs the appender child until it has acknowledged `acks` appends, then kill -9s it; returns every ack it printed. */
async function appendUntilKilled(dataDir: string, gameId: string, acks: number): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', APPENDER, dataDir, gameId], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const closed = once(child, 'close'); // after 'close', stdout is drained: acks printed just before the kill are in
  const acked: number[] = [];
  let pending = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    const before = acked.length;
    acked.push(...lines.map(Number));
    // A little jitter lets the kill land before, during or after the next write; any of them must pass.
    if (before < acks && acked.length >= acks) setTimeout(() => child.kill('SIGKILL'), Math.random() * 10);
  });
  try {
    const [, signal] = await within(90_000, 'the appender child', closed);
    assert.is(signal, 'SIGKILL', `the appender ended by itself:\n${stderr}`);
  } finally {
    child.kill('SIGKILL');
    children.delete(child);
  }
  assert.ok(acked.length >= acks, `only ${acked.length} acks:\n${stderr}`);
  return acked;
}

test('kill -9 mid-append: every acknowledged version survives and the log parses', async () => {
  const dataDir = await tempDir();
  // Twice: the second run appends to a log recovered from the first crash.
  for (const target of [40, 25]) {
    const acked = await appendUntilKilled(dataDir, 'crash', target);
    const store = new FileStore(dataDir);
    const version = await store.version('crash');
    assert.ok(version >= acked[acked.length - 1], `version ${version} lost acknowledged ${acked[acked.length - 1]}`);
    const events = (await store.load('crash')) as Array<{ n: number; batchEnd: number }>;
    assert.is(events.length, version);
    events.forEach((e, i) => {
      assert.is(e.n, i + 1);
    });
    // Whole batches only: the log ends where an append ended.
    assert.is(events[events.length - 1].batchEnd, version);
    await store.close();
  }
  assert.ok(existsSync(logOf(dataDir, 'crash')));
});

/** This process's descriptors open on a file under dir (Linux: /proc/self/fd). */
function openUnder(dir: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(join('/proc/self/fd', fd));
      if (target.startsWith(dir)) open.push(target);
    } catch {
      /* the descriptor readdir itself used, already closed */
    }
  }
  return open;
}

test('more games than FILE_STORE_OPEN_LOGS: the least recently used logs are closed, and every game reads back whole', async () => {
  const dataDir = await tempDir();
  const limit = 3;
  const ids = Array.from({ length: 10 }, (_, i) => `lru${i}`);
  const store = new FileStore(dataDir, { openLogs: limit });
  const expected = new Map(ids.map((id) => [id, [] as unknown[]]));
  // Five rounds. In each, every game gets an append; the odd rounds send them all at once, so more appends are
  // asked for together than logs may be open: they take turns, and never hold more than the limit at once.
  for (let round = 0; round < 5; round++) {
    const append = async (id: string, g: number) => {
      const events = [ev(round * 100 + g), ev(round * 100 + g + 50)];
      const version = expected.get(id)!.length;
      assert.is(await store.append(id, version, events), version + 2);
      expected.get(id)!.push(...events);
    };
    if (round % 2 === 1) await Promise.all(ids.map(append));
    else for (const [g, id] of ids.entries()) await append(id, g);
    // Closing the extra logs after a burst is not awaited by the appends: a moment later they are within the limit.
    // A log is forgotten at once when it is evicted, but its descriptor closes a moment later.
    for (let i = 0; i < 200 && (store.openLogCount > limit || openUnder(dataDir).length > limit); i++)
      await new Promise((r) => setTimeout(r, 5));
    assert.ok(store.openLogCount <= limit, `${store.openLogCount} logs open after round ${round}`);
    assert.ok(store.openLogPeak <= limit, `${store.openLogPeak} logs were open at once in round ${round}`);
    assert.ok(openUnder(dataDir).length <= limit, `descriptors open: ${openUnder(dataDir).join(', ')}`);
    for (const id of ids) assert.equal(await store.load(id), expected.get(id), `${id} after round ${round}`);
  }
  // The most recently appended games are the ones kept open.
  for (const [g, id] of ids.entries()) await store.append(id, expected.get(id)!.length, [ev(1000 + g)]);
  assert.equal(
    openUnder(dataDir).sort(),
    ids.slice(-limit).map((id) => logOf(dataDir, id)),
  );
  await store.close();
  assert.equal(openUnder(dataDir), [], 'close() closes every log');
  const reopened = new FileStore(dataDir, { openLogs: limit });
  for (const [g, id] of ids.entries()) {
    assert.is(await reopened.version(id), 11);
    assert.equal(await reopened.load(id), [...expected.get(id)!, ev(1000 + g)]);
  }
  await reopened.close();
});

test('with one log open, games take turns; a refused append leaves the open log as it was', async () => {
  const dataDir = await tempDir();
  const store = new FileStore(dataDir, { openLogs: 1 });
  await store.append('g1', 0, [ev(1)]);
  await store.append('g2', 0, [ev(2)]); // closes g1's log to make room
  // A conflict writes nothing and leaves the open log as it was.
  await rejectsWith(store.append('g2', 0, [ev(9)]), VersionConflict);
  assert.is(await store.append('g1', 1, [ev(3)]), 2);
  assert.is(await store.append('g2', 1, [ev(4)]), 2);
  assert.equal(await store.load('g1'), [ev(1), ev(3)]);
  assert.equal(await store.load('g2'), [ev(2), ev(4)]);
  assert.is(store.openLogCount, 1);
  await store.close();
});

test.run();
