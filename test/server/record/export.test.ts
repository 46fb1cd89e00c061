// The research export: the White Cell's log folds back to the game byte for byte, every CSV has one row per thing
// in the log, a team's export holds nothing of another team's secrets, and a pseudonymised export holds no name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { strFromU8, unzipSync } from 'fflate';
import { fold, type Audience, type GameEvent } from '../../../server/engine/index.ts';
import { buildExport, exportJsonText, exportZip } from '../../../server/record/export.ts';
import { parseCsv } from '../../../server/record/csv.ts';
import { TABLES } from '../../../server/record/tables.ts';
import { Dice } from '../../../server/engine/index.ts';
import { Game, control as wc, teamActor } from '../../helpers/engine.ts';
import { leakedMarkers } from '../../helpers/leaks.ts';
import { contextOf, leaks, scenarioSecrets, secretsFor } from '../../helpers/scenario-secrets.ts';
import { randomStep } from '../../helpers/random-play.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { NAMES, OBSERVER_NAME, scriptedGame } from '../../helpers/scripted-record.ts';

const control: Audience = { kind: 'control' };
const rows = (csv: string) => parseCsv(csv).length - 1;
const count = (log: GameEvent[], type: GameEvent['type']) => log.filter((e) => e.type === type).length;

function unzipText(zip: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(zip)).map(([k, v]) => [k, strFromU8(v)]));
}

test('the exported log folds to the same final state, byte for byte', () => {
  const g = scriptedGame();
  const x = buildExport(g.log, control);
  const files = unzipText(exportZip(x));
  const back = JSON.parse(files['record.json']).events as GameEvent[];
  assert.is(JSON.stringify(fold(back)), JSON.stringify(g.state));
  assert.is(JSON.parse(exportJsonText(x)).version, g.log.length);
  assert.is(x.json.scenario.id, 'mini');
  assert.match(x.json.scenario.sha256, /^[0-9a-f]{64}$/);
  assert.is(x.json.dice.seed, 'test-seed', "the White Cell's export holds the seed");
  assert.equal(x.json.metersByRound.tension, g.state.history.tension);
});

test("a chosen seed's salt stays out of every export until the debrief, then comes out for the dice check", () => {
  const salt = 'a-server-salt-0123456789abcdef';
  const g = new Game(mini, { seed: 'chosen-by-hand', rounds: 1 }, salt).seatAll(['us', 'dprk', 'prc']);
  g.do(wc, { type: 'game.start' }).do(wc, { type: 'phase.advance' });
  for (const a of [control, { kind: 'team', team: 'us' } as const, { kind: 'observer' } as const]) {
    const x = buildExport(g.log, a);
    assert.not.ok(JSON.stringify(x.json).includes(salt), `${a.kind}: the salt is withheld`);
  }
  assert.is(
    buildExport(g.log, control).json.dice.seed,
    'chosen-by-hand',
    'a chosen seed is no secret to the White Cell',
  );
  while (g.state.phase !== 'debrief') g.do(wc, { type: 'phase.advance' });
  const created = buildExport(g.log, control).json.events?.[0];
  assert.is(created?.type === 'GameCreated' && created.options.salt, salt);
});

test('CSV row counts match the log', () => {
  const g = scriptedGame();
  const files = unzipText(exportZip(buildExport(g.log, control)));
  const revealed = g.state.reveals.flatMap((r) => r.lines);
  assert.is(rows(files['messages.csv']), count(g.log, 'MessagePosted'));
  assert.is(rows(files['deals.csv']), count(g.log, 'DealProposed'));
  assert.is(
    rows(files['obligations.csv']),
    g.log.flatMap((e) => (e.type === 'DealProposed' ? e.deal.obligations : [])).length,
  );
  assert.is(rows(files['lines.csv']), revealed.length);
  assert.is(rows(files['rolls.csv']), revealed.filter((l) => l.roll).length);
  assert.is(rows(files['amendments.csv']), revealed.flatMap((l) => l.amendments).length);
  assert.is(rows(files['freeform.csv']), count(g.log, 'FreeformRuled'));
  assert.is(rows(files['estimates.csv']), count(g.log, 'EstimateGiven'));
  assert.is(rows(files['moves.csv']), g.state.taken.length);
  assert.is(rows(files['injects.csv']), g.state.injectOrder.length);
  assert.is(rows(files['roster.csv']), count(g.log, 'SeatTaken'));
  assert.is(rows(files['locks.csv']), count(g.log, 'DraftLocked'));
  assert.is(rows(files['notes.csv']), count(g.log, 'NoteAdded'));
  assert.is(rows(files['hotwash.csv']), count(g.log, 'HotwashRecorded') - count(g.log, 'HotwashRemoved'));
  assert.is(
    rows(files['meters.csv']),
    Object.values(g.state.history).reduce((n, h) => n + h.length, 0),
  );
  const phases = parseCsv(files['timings.csv']).slice(1);
  assert.is(phases.filter((p) => p[1] === 'submission').length, 2, 'one submission phase a round');
  assert.ok(
    phases.every((p, i) => i === phases.length - 1 || p[4] !== ''),
    'every phase but the last has ended',
  );
  const locks = parseCsv(files['locks.csv']).slice(1);
  assert.equal(
    locks.map((l) => l[3]),
    ['10', '19', '30', '10', '19', '30'],
    'seconds from the opening of submission to each lock',
  );
  // Every table's header is its codebook's columns.
  for (const t of TABLES)
    assert.equal(
      parseCsv(files[t.file])[0],
      t.columns.map((c) => c[0]),
      t.file,
    );
});

test('scores.csv holds every objective of every team as the debrief scored it, for every audience, and nothing before', () => {
  const g = scriptedGame();
  const scored = g.state.phase === 'debrief' || g.state.phase === 'ended';
  assert.ok(scored, 'the scripted game reaches its debrief');
  for (const a of [control, { kind: 'team', team: 'dprk' } as const, { kind: 'observer' } as const]) {
    const x = buildExport(g.log, a);
    const [head, ...body] = parseCsv(unzipText(exportZip(x))['scores.csv']);
    const scores = x.json.view.debrief!.scores;
    assert.ok(scores.length >= 3, 'every team is scored');
    assert.is(body.length, scores.flatMap((t) => t.objectives).length, a.kind);
    const at = (name: string) => head.indexOf(name);
    for (const t of scores) {
      const own = body.filter((r) => r[at('team')] === t.team);
      assert.equal(
        own.map((r) => [r[at('objective_id')], r[at('achieved')], Number(r[at('points')])]),
        t.objectives.map((o) => [o.id, String(o.achieved), o.points]),
      );
      assert.ok(own.every((r) => Number(r[at('team_total')]) === t.total && Number(r[at('team_max')]) === t.max));
      const sum = t.objectives.filter((o) => o.achieved).reduce((n, o) => n + o.points, 0);
      assert.is(t.total, sum, 'the total is the points of what was achieved');
    }
    assert.ok(body.every((r) => r[at('ending')] === x.json.view.debrief!.ending.id));
  }
  // Mid-game there is nothing to score: the header alone.
  const mid = g.log.slice(0, Math.floor(g.log.length / 2));
  assert.is(rows(unzipText(exportZip(buildExport(mid, control)))['scores.csv']), 0);
});

test("a team's export holds its own view and nothing of another team's", () => {
  const g = scriptedGame();
  for (const team of ['us', 'dprk', 'prc']) {
    const x = buildExport(g.log, { kind: 'team', team });
    assert.is(x.json.events, undefined, 'only the White Cell gets the raw log');
    const text = exportJsonText(x) + Object.values(unzipText(exportZip(x))).join('\n');
    assert.equal(leakedMarkers(g.state, team, text), [], team);
    assert.not.ok(text.includes("Observer's own note"), 'private notes stay with their audience');
    assert.ok(text.includes("White Cell note on round 1's free-form"), 'a shared note reaches everyone');
  }
  const obs = exportJsonText(buildExport(g.log, { kind: 'observer' }));
  assert.ok(obs.includes("Observer's own note"));
  assert.not.ok(obs.includes("White Cell note on round 2's"), "the White Cell's private note");
});

test('the record holds the whole conversation, not the latest lines a live screen starts from', () => {
  const g = new Game(mini);
  g.seatAll(['us', 'dprk', 'prc']);
  g.do(wc, { type: 'game.start' });
  for (let i = 1; i <= 30; i++)
    g.advance(1000).do(teamActor('us'), { type: 'chat.post', channel: 'plenary', text: `plenary line ${i}` });
  for (let i = 1; i <= 20; i++)
    g.advance(1000).do(teamActor('dprk'), { type: 'chat.post', channel: 'bi:us:dprk', text: `us-dprk line ${i}` });
  for (let i = 1; i <= 15; i++)
    g.advance(1000).do(teamActor('prc'), { type: 'chat.post', channel: 'team:prc', text: `prc line ${i}` });
  const expect = { control: 65, 'team:us': 50, 'team:dprk': 50, 'team:prc': 45, observer: 30 };
  const audiences: Audience[] = [
    control,
    { kind: 'observer' },
    ...['us', 'dprk', 'prc'].map((team) => ({ kind: 'team' as const, team })),
  ];
  for (const a of audiences) {
    const x = buildExport(g.log, a);
    const key = x.json.audience as keyof typeof expect;
    const files = unzipText(exportZip(x));
    assert.is(rows(files['messages.csv']), expect[key], `${key}: every line it could read`);
    assert.is(x.json.view.messages.length, expect[key]);
    assert.ok(
      Object.values(x.json.view.earlierMessages).every((n) => n === 0),
      `${key}: nothing left out`,
    );
    assert.ok(files['report.md'].includes('plenary line 1'), `${key}: the report has the first line`);
  }
});

test("a team's export counts and times only the changes it saw", () => {
  const g = new Game(mini);
  g.marking = true;
  g.seatAll(['us', 'dprk', 'prc']);
  g.do(wc, { type: 'game.start' }).do(wc, { type: 'phase.advance' }).do(wc, { type: 'phase.advance' });
  const us: Audience = { kind: 'team', team: 'us' };
  const before = buildExport(g.log, us).json;
  // DPRK and China act where the US cannot see: chat, a secret deal, drafts.
  g.advance(60_000).do(teamActor('prc'), { type: 'chat.post', channel: 'team:prc', text: 'between us' });
  g.advance(1000).do(teamActor('dprk'), { type: 'chat.post', channel: 'bi:dprk:prc', text: 'a quiet word' });
  g.advance(1000).do(teamActor('dprk'), {
    type: 'deal.propose',
    to: ['prc'],
    obligations: [{ team: 'dprk', action: g.state.scenario.actions.find((x) => x.team === 'dprk')!.id, byRound: 1 }],
    secret: true,
    snapback: false,
    note: '',
  });
  g.advance(1000).do(teamActor('prc'), { type: 'deal.accept', dealId: g.lastDealId() });
  const after = buildExport(g.log, us).json;
  assert.ok(g.log.length > before.version + 3, 'the log grew');
  assert.is(after.version, before.version, "the US export's version did not move");
  assert.equal(after.steps, before.steps, 'nor did its steps, their numbers or their times');
  assert.equal(
    after.steps.map((s) => s.version),
    after.steps.map((_, i) => i + 1),
    'a team numbers its steps by its own changes, with no gaps',
  );
  // A change the US sees is one more step, timed by that change.
  g.advance(5000).do(teamActor('prc'), { type: 'chat.post', channel: 'plenary', text: 'hello all' });
  const seen = buildExport(g.log, us).json;
  assert.is(seen.version, before.version + 1);
  assert.is(seen.steps.at(-1)?.at, g.now);
  // The White Cell's export numbers by the log, as its events are.
  assert.is(buildExport(g.log, control).json.version, g.log.length);
});

test('team exports of random games leak nothing (markers and scenario secrets)', () => {
  const secrets = scenarioSecrets(mini);
  for (let seed = 1; seed <= 12; seed++) {
    const g = new Game(mini, { seed: `random-${seed}` });
    g.seatAll(['us', 'dprk', 'prc']);
    const d = new Dice(seed * 7919);
    for (let i = 0; i < 300; i++) {
      const step = randomStep(g.state, d);
      g.advance(step.advanceMs).try(step.actor, step.command);
    }
    for (const team of ['us', 'dprk', 'prc', 'observer']) {
      const a: Audience = team === 'observer' ? { kind: 'observer' } : { kind: 'team', team };
      const x = buildExport(g.log, a);
      const text = exportJsonText(x) + Object.values(x.tables).join('\n');
      assert.equal(leakedMarkers(g.state, team, text), [], `seed ${seed}, ${team}`);
      const found = leaks(
        [{ event: 'export', payload: text, after: contextOf(x.json.view) }],
        secretsFor(mini, secrets, team),
        team,
      );
      assert.equal(found, [], `seed ${seed}, ${team}`);
    }
  }
});

test('a pseudonymised export names nobody', () => {
  const g = scriptedGame();
  const names = [...Object.values(NAMES), OBSERVER_NAME];
  for (const a of [control, { kind: 'team', team: 'us' }, { kind: 'observer' }] as Audience[]) {
    const plain = buildExport(g.log, a);
    const x = buildExport(g.log, a, { pseudonymise: true });
    const text = exportJsonText(x) + Object.values(unzipText(exportZip(x))).join('\n');
    for (const n of names) assert.not.ok(text.includes(n), `${a.kind} export names ${n}`);
    assert.ok(x.json.pseudonymised);
    assert.is(rows(x.tables['messages.csv']), rows(plain.tables['messages.csv']), 'nothing dropped');
  }
  const roster = parseCsv(buildExport(g.log, control, { pseudonymise: true }).tables['roster.csv']);
  assert.equal(
    roster.slice(1).map((r) => r[1]),
    ['us-1', 'dprk-1', 'prc-1', 'control-1', 'observer-1'],
  );
});

test('the same log exports the same bytes', () => {
  const g = scriptedGame();
  assert.equal(exportZip(buildExport(g.log, control)), exportZip(buildExport(g.log, control)));
});

test("every audience's export gives the dice's seed from the debrief on, when it is revealed to everyone", () => {
  const over = scriptedGame();
  assert.ok(over.state.phase === 'debrief' || over.state.phase === 'ended');
  const playing = scriptedGame({ end: false });
  for (const a of [{ kind: 'team', team: 'us' }, { kind: 'observer' }] as Audience[]) {
    const x = buildExport(over.log, a);
    assert.is(x.json.dice.seed, 'test-seed', `${a.kind}: at the debrief`);
    assert.is(x.json.dice.seed, x.json.view.debrief?.dice.seed);
    assert.is(buildExport(playing.log, a).json.dice.seed, null, `${a.kind}: during play`);
  }
  // A seed nobody chose, as the server's games have: secret to all until the debrief, then everyone's.
  const g = new Game(mini, {}, 'a-secret-nobody-chose');
  g.seatAll(['us', 'dprk', 'prc']);
  g.do(wc, { type: 'game.start' });
  for (const a of [control, { kind: 'team', team: 'us' }, { kind: 'observer' }] as Audience[])
    assert.is(buildExport(g.log, a).json.dice.seed, null, `${a.kind}: a secret during play`);
  g.do(wc, { type: 'game.end' });
  for (const a of [control, { kind: 'team', team: 'us' }, { kind: 'observer' }] as Audience[])
    assert.is(buildExport(g.log, a).json.dice.seed, 'a-secret-nobody-chose', `${a.kind}: revealed at the debrief`);
});

test.run();
