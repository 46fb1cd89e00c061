// The scenario CLIs as an author and CI use them: exit codes, the `file: path: message` lines, and a schema.json on
// disk that matches the zod schema. Also the server-side loader the CLIs share.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenarioFile, loadScenarioLibrary, loadScenarios } from '../../server/scenario-library.ts';

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
    s.id = 'tutorial-idle'; // its own id: the shipped tutorial's would be refused as a duplicate
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

test('no two scenarios share an id: among the files checked, against the library beside them, and at the start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-scenarios-'));
  try {
    const tutorial = JSON.parse(readFileSync(join(root, 'scenarios/tutorial.json'), 'utf8'));
    writeFileSync(join(dir, 'clash.json'), JSON.stringify(tutorial));
    tutorial.id = 'mine';
    writeFileSync(join(dir, 'mine.json'), JSON.stringify(tutorial));
    writeFileSync(join(dir, 'mine-again.json'), JSON.stringify(tutorial));
    const clash = join(dir, 'clash.json');
    const shipped = run('scripts/scenario-check.ts', clash);
    assert.is(shipped.code, 1, shipped.out);
    assert.match(shipped.out, `${clash}: id: duplicate scenario id "tutorial" (also used by scenarios/tutorial.json)`);
    const twice = run('scripts/scenario-check.ts', join(dir, 'mine.json'), join(dir, 'mine-again.json'));
    assert.is(twice.code, 1, twice.out);
    assert.match(twice.out, `ok ${join(dir, 'mine.json')}`);
    assert.match(twice.out, `${join(dir, 'mine-again.json')}: id: duplicate scenario id "mine"`);
    // Without files it checks what the server would load: SCENARIO_DIR too.
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/scenario-check.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, SCENARIO_DIR: dir },
    });
    assert.is(r.status, 1);
    assert.match(r.stdout, `${clash}: id: duplicate scenario id "tutorial"`);
    // The server names both files, not a directory.
    assert.throws(
      () => loadScenarios([join(root, 'scenarios'), dir]),
      (e: Error) =>
        e.message.includes(
          `${clash}: id: duplicate scenario id "tutorial" (also used by ${join(root, 'scenarios/tutorial.json')})`,
        ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
