// `npm run simulate` as a facilitator uses it: the table, the same table and report for the same seeds, an HTML report with
// the charting library inlined, and a clear refusal of an unknown strategy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('../../', import.meta.url).pathname;
function run(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/simulate.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('prints endings, rounds, meters and scores, the same for the same seeds, and writes a report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-sim-'));
  try {
    const out = join(dir, 'report.html');
    const args = ['--scenario', 'flywheel-2022', '--strategy', 'cooperative,jpn:japan-brake', '--seeds', '6'];
    const a = run(...args, '--out', out);
    assert.is(a.code, 0, a.err);
    assert.match(a.out, /endings:/);
    assert.match(a.out, /mean rounds played: \d/);
    assert.match(a.out, /us=cooperative dprk=cooperative prc=random rok=random jpn=japan-brake/);
    assert.match(a.out, /mean scores:\n {2}us \d/);
    const again = join(dir, 'again.html');
    const b = run(...args, '--out', again);
    assert.is(b.out.replace(again, out), a.out, 'the same table for the same seeds');
    assert.match(b.err, /simulate: 6 seeds in [\d.]+ s/, 'the time taken, on stderr');
    const html = readFileSync(out, 'utf8');
    assert.is(readFileSync(again, 'utf8'), html, 'the same report, byte for byte');
    assert.match(html, /<script>[\s\S]*uPlot[\s\S]*<\/script>/);
    assert.not.match(html, /<script src=/, 'the library is inlined, not linked');
    assert.match(html, /"meters":\["momentum"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--help prints the options; counts that are not whole numbers are refused; --from picks the first seed', () => {
  const help = run('--help');
  assert.is(help.code, 0);
  for (const option of ['--scenario', '--strategy', '--seeds', '--from', '--rounds', '--out', '--list'])
    assert.ok(help.out.includes(option), `${option} in the help`);
  assert.not.match(help.out, /endings:/, 'no games played');
  for (const [name, value] of [
    ['--seeds', 'abc'],
    ['--seeds', '0'],
    ['--rounds', '2.5'],
    ['--from', '-3'],
  ]) {
    const r = run(name, value);
    assert.is(r.code, 2, `${name} ${value}`);
    assert.match(r.err, new RegExp(`${name} takes a whole number of at least \\d, not "${value}"`));
    assert.is(r.out, '', 'no table');
  }
  const bare = run('--strategy', 'cooperative', '--seeds');
  assert.is(bare.code, 2, 'a count forgotten is not the default');
  assert.match(bare.err, /--seeds needs a value/);
  // Games 3 and 4 are the second half of games 1-4: the same as asking for them by --from.
  const later = run('--strategy', 'cooperative', '--seeds', '2', '--from', '3');
  assert.is(later.code, 0, later.err);
  assert.match(later.out, /; 2 seeds from 3, 6 rounds/);
  const again = run('--strategy', 'cooperative', '--seeds', '2', '--from', '3');
  assert.is(again.out, later.out);
  assert.is.not(
    run('--strategy', 'cooperative', '--seeds', '2').out.split('\n').slice(1).join('\n'),
    later.out.split('\n').slice(1).join('\n'),
  );
});

test('an unknown strategy is refused with a pointer to the list', () => {
  const r = run('--strategy', 'us:appeasement', '--seeds', '1');
  assert.is.not(r.code, 0);
  assert.match(r.err, /unknown strategy "us:appeasement"; try --list/);
  const list = run('--list');
  assert.is(list.code, 0);
  for (const name of ['cheat-while-trading', 'china-heavy', 'japan-brake', 'rok-deterrence', 'random'])
    assert.match(list.out, new RegExp(name));
});

test('a scenario by id, by file path, or unknown: another exercise runs, and an unknown one is named', () => {
  const unknown = run('--scenario', 'arctic-cod', '--seeds', '1');
  assert.is(unknown.code, 2);
  assert.match(unknown.err, /no scenario "arctic-cod"; known: .*tutorial/);
  assert.not.match(unknown.err, /at .*\.ts:\d+/, 'no stack trace');
  // The worked example of docs/scenario-format.md: another exercise, with teams of its own.
  const doc = readFileSync(join(root, 'docs/scenario-format.md'), 'utf8');
  const example = /<!-- example:start -->\s*```json\n([\s\S]*?)```/.exec(doc)![1]!;
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-sim-'));
  try {
    const file = join(dir, 'river.json');
    writeFileSync(file, example);
    const byPath = run('--scenario', file, '--strategy', 'cooperative', '--seeds', '2');
    assert.is(byPath.code, 0, byPath.err);
    assert.match(byPath.err, /cooperative plays no team of/);
    assert.match(byPath.out, /endings:/);
    assert.not.match(byPath.out, /DPRK/);
    assert.not.match(byPath.out, /cheating exposed|relief eroded/, 'no measure of rules the exercise does not have');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const tutorial = run('--scenario', 'scenarios/tutorial.json', '--seeds', '2');
  assert.is(tutorial.code, 0, tutorial.err);
  assert.match(tutorial.out, /^tutorial: /);
});

test.run();
