// The scenario CLIs as an author and CI use them: exit codes, the `file: path: message` lines, and a schema.json on
// disk that matches the zod schema. Also the server-side loader the CLIs share.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenarioFile, loadScenarioLibrary } from '../../server/scenario-library.ts';

const root = new URL('../../', import.meta.url).pathname;

function run(script: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A temp dir holding the tutorial with one effect's meter misspelt, plus a file that is not JSON at all. */
function brokenDir() {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-scenarios-'));
  const s = JSON.parse(readFileSync(join(root, 'scenarios/tutorial.json'), 'utf8'));
  s.actions[0].effects[0].meter = 'tention';
  writeFileSync(join(dir, 'broken.json'), JSON.stringify(s));
  writeFileSync(join(dir, 'garbled.json'), '{ "id": ');
  writeFileSync(join(dir, 'schema.json'), '{}'); // skipped: not a scenario
  return dir;
}

test('scenario:check passes the shipped scenarios', () => {
  const { code, out } = run('scripts/scenario-check.ts');
  assert.is(code, 0, out);
  assert.match(out, 'ok scenarios/flywheel-2022.json');
  assert.match(out, 'ok scenarios/tutorial.json');
});

test('scenario:check fails a broken file with file, path and message', () => {
  const dir = brokenDir();
  try {
    const file = join(dir, 'broken.json');
    const { code, out } = run('scripts/scenario-check.ts', file, join(root, 'scenarios/tutorial.json'));
    assert.is(code, 1, out);
    assert.match(out, `${file}: actions[0].effects[0].meter: unknown meter "tention"`);
    assert.match(out, 'ok ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('scenario:check fails a scenario whose team scores full marks when nobody acts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-scenarios-'));
  try {
    // Japan's only objective: alliance cohesion (which starts well above it) stays at 20 or more. Nothing to do.
    const s = JSON.parse(readFileSync(join(root, 'scenarios/tutorial.json'), 'utf8'));
    const jpn = s.teams.find((t: { id: string }) => t.id === 'jpn');
    jpn.objectives = [
      {
        id: 'jpn-idle',
        text: 'Cohesion stays at 20 or above.',
        condition: { meter: 'cohesion', gte: 20 },
        points: 100,
      },
    ];
    const file = join(dir, 'idle.json');
    writeFileSync(file, JSON.stringify(s));
    const { code, out } = run('scripts/scenario-check.ts', file);
    assert.is(code, 1, out);
    assert.match(out, `${file}: teams.jpn.objectives: a game where nobody acts`);
    assert.match(out, 'scores 100, full marks');
    assert.not.match(out, 'teams.us.objectives');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('scenario:check reports a file that is not JSON', () => {
  const dir = brokenDir();
  try {
    const { code, out } = run('scripts/scenario-check.ts', join(dir, 'garbled.json'));
    assert.is(code, 1);
    assert.match(out, 'garbled.json: (file): not valid JSON');
    assert.match(out, /\(line \d+, column \d+: /, 'where, as an editor counts');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('schema.json on disk is current', () => {
  const { code, out } = run('scripts/scenario-schema.ts', '--check');
  assert.is(code, 0, out);
});

test('loadScenarioLibrary maps ids to the shipped scenarios', () => {
  const lib = loadScenarioLibrary(join(root, 'scenarios'));
  assert.equal([...lib.keys()].sort(), ['flywheel-2022', 'tutorial']);
  assert.is(lib.get('tutorial')!.rounds, 3);
});

test('loadScenarioLibrary refuses a directory with any invalid file, listing every problem', () => {
  const dir = brokenDir();
  try {
    const err = (() => {
      try {
        loadScenarioLibrary(dir);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    assert.ok(err, 'expected a throw');
    assert.match(err!.message, `${join(dir, 'broken.json')}: actions[0].effects[0].meter: unknown meter "tention"`);
    assert.match(err!.message, `${join(dir, 'garbled.json')}: (file): not valid JSON`);
    assert.not.match(err!.message, 'schema.json');
    assert.throws(() => loadScenarioFile(join(dir, 'broken.json')), /unknown meter "tention"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
