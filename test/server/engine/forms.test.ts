// Feedback forms: open after each revealed round and after the game (or when sent), answered by players, counted
// live for the White Cell, aggregated for everyone after the game, raw only in the White Cell's export.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { audienceKey, audiences, catalogueFor, viewFor, wireView } from '../../../server/engine/index.ts';
import { withCatalogue } from '../../../shared/protocol.ts';
import { buildExport, reportMarkdown } from '../../../server/record/export.ts';
import { parseCsv } from '../../../server/record/csv.ts';
import { Scenario } from '../../../shared/scenario.ts';
import { crossCheck } from '../../../shared/scenario-validate.ts';
import { mini, miniInput } from '../../fixtures/mini-scenario.ts';
import { Game, control, system, teamActor } from '../../helpers/engine.ts';

const withForms = Scenario.parse({
  ...miniInput,
  forms: [
    {
      id: 'after-round',
      title: 'After the round',
      when: 'round',
      questions: [
        { id: 'first', text: 'Who moved first?', kind: 'choice', options: ['US', 'DPRK', 'Nobody'] },
        { id: 'trust', text: 'How much did you trust them?', kind: 'likert', options: ['Not at all', 'Completely'] },
        { id: 'why', text: 'What surprised you?', kind: 'text' },
      ],
    },
    { id: 'pulse', title: 'Pulse', when: 'manual', questions: [{ id: 'ok', text: 'All right?', kind: 'likert' }] },
  ],
});
const us = teamActor('us', 'Zelda Quixote');
const dprk = teamActor('dprk', 'Yorick Nightingale');

function played() {
  const g = new Game(withForms, { autoApprove: true });
  g.do(system, { type: 'seat.take', playerId: 'p-us', name: 'Zelda Quixote', role: 'us' });
  g.do(system, { type: 'seat.take', playerId: 'p-dprk', name: 'Yorick Nightingale', role: 'dprk' });
  g.do(control, { type: 'game.start' });
  for (let i = 0; i < 4; i++) g.do(control, { type: 'phase.advance' });
  return g;
}

test('a round form opens at the reveal and takes answers that fit it', () => {
  const g = new Game(withForms).seatAll(['us', 'dprk', 'prc']);
  assert.equal(viewFor(g.state, { kind: 'team', team: 'us' }).record.forms, [], 'nothing open before a reveal');
  const r = played();
  assert.is(r.state.phase, 'reveal');
  const answer = (answers: Record<string, number | string>, round = 1) =>
    r.try(us, { type: 'form.answer', formId: 'after-round', round, answers });
  assert.is(answer({ first: 'Mars' })?.code, 'BAD_ANSWER');
  assert.is(answer({ trust: 'lots' })?.code, 'BAD_ANSWER');
  assert.is(answer({ nope: 1 })?.code, 'BAD_ANSWER');
  assert.is(answer({ trust: 3 }, 2)?.code, 'UNKNOWN_FORM', 'round 2 has not been revealed');
  assert.is(answer({ first: 'US', trust: 2, why: 'SECRET_us_answer they blinked' }), null);
  assert.is(answer({ first: 'DPRK', trust: 4, why: 'SECRET_us_answer changed my mind' }), null, 'answers again');
  r.do(dprk, { type: 'form.answer', formId: 'after-round', round: 1, answers: { first: 'DPRK', trust: 1 } });
  assert.is(
    r.try(control, { type: 'form.answer', formId: 'after-round', round: 1, answers: { trust: 1 } })?.code,
    'NOT_ALLOWED',
  );

  const wc = viewFor(r.state, { kind: 'control' }).record.forms[0];
  assert.is(wc.responses, 2, 'the White Cell counts live; a second answer replaced the first');
  assert.equal(wc.results?.find((x) => x.question === 'trust')?.scale, [1, 0, 0, 1, 0]);
  const usView = viewFor(r.state, { kind: 'team', team: 'us' }).record.forms[0];
  assert.equal(usView.answeredBy, ['p-us'], 'a team knows its own players answered');
  assert.is(usView.results, null, 'and sees no results before the end');
  assert.is(usView.answers, null);
  assert.not.ok(JSON.stringify(viewFor(r.state, { kind: 'team', team: 'dprk' })).includes('SECRET_us_answer'));

  // The White Cell may send the pulse at any time, once a round.
  r.do(control, { type: 'form.send', formId: 'pulse' });
  assert.is(r.try(control, { type: 'form.send', formId: 'pulse' })?.code, 'FORM_OPEN');
  assert.is(r.try(control, { type: 'form.send', formId: 'nope' })?.code, 'UNKNOWN_FORM');
  r.do(us, { type: 'form.answer', formId: 'pulse', round: 1, answers: { ok: 5 } });

  r.do(control, { type: 'game.end' });
  const after = viewFor(r.state, { kind: 'team', team: 'dprk' }).record.forms[0];
  const why = after.results?.find((x) => x.question === 'why');
  assert.is(why?.n, 1);
  assert.is(why?.texts, undefined, 'free texts stay with the White Cell');
  // Two answers: a team that knows its own could tell the other's from the split, so only the count shows; the
  // White Cell sees the split.
  const first = after.results?.find((x) => x.question === 'first');
  assert.equal([first?.n, first?.withheld, first?.counts], [2, true, undefined]);
  const wcAfter = viewFor(r.state, { kind: 'control' }).record.forms[0];
  assert.equal(wcAfter.results?.find((x) => x.question === 'first')?.counts, { US: 0, DPRK: 2, Nobody: 0 });

  const report = reportMarkdown(buildExport(r.log, { kind: 'team', team: 'dprk' }));
  assert.ok(report.includes('## Feedback'));
  assert.ok(report.includes('How much did you trust them? (2 answers): too few to show how they split.'));
  assert.ok(
    reportMarkdown(buildExport(r.log, { kind: 'control' })).includes(
      'How much did you trust them? (2 answers): mean 2.5',
    ),
  );
  assert.not.ok(report.includes('SECRET_us_answer'));

  const wcExport = buildExport(r.log, { kind: 'control' }, { pseudonymise: true });
  const rows = parseCsv(wcExport.tables['responses.csv']).slice(1);
  assert.is(rows.length, 3 + 2 + 1, 'one row per answered question');
  assert.not.ok(wcExport.tables['responses.csv'].includes('Zelda'), 'pseudonymised');
  assert.ok(reportMarkdown(buildExport(r.log, { kind: 'control' })).includes('changed my mind'));
  assert.is(parseCsv(buildExport(r.log, { kind: 'team', team: 'us' }).tables['responses.csv']).length, 1);
});

test("a split is shown only when no team could read the others' answers off it: six of one and two of another is not", () => {
  const r = played();
  const answer = (team: string, i: number, trust: number) => {
    const playerId = `p-${team}-${i}`;
    r.do(system, { type: 'seat.take', playerId, name: `${team} ${i}`, role: team });
    r.do(
      { kind: 'team', team, playerId, name: `${team} ${i}` },
      { type: 'form.answer', formId: 'after-round', round: 1, answers: { trust } },
    );
  };
  for (const [i, trust] of [1, 2, 3, 4, 5, 1].entries()) answer('us', i, trust);
  for (const [i, trust] of [2, 3].entries()) answer('dprk', i, trust);
  r.do(control, { type: 'game.end' });
  const trust = (team: string | null) =>
    viewFor(r.state, team ? { kind: 'team', team } : { kind: 'observer' }).record.forms[0].results?.find(
      (x) => x.question === 'trust',
    );
  // The US knows its six: the split would give away the DPRK's two, to the US and to anyone it tells, so every
  // audience sees only the count.
  for (const team of ['us', 'dprk', null])
    assert.equal([trust(team)?.n, trust(team)?.withheld, trust(team)?.scale], [8, true, undefined], String(team));
  assert.equal(
    viewFor(r.state, { kind: 'control' }).record.forms[0].results?.find((x) => x.question === 'trust')?.scale,
    [2, 2, 2, 1, 1],
    'the White Cell sees it',
  );
  // Three more DPRK answers: five beside the US's six, six beside the DPRK's five; the split is shown.
  for (const [i, t] of [4, 4, 5].entries()) answer('dprk', i + 2, t);
  for (const team of ['us', 'dprk', null]) assert.equal(trust(team)?.scale, [2, 2, 2, 3, 2], String(team));
});

test("a view on the wire carries each form's state, and each form's title and questions once", () => {
  const r = played();
  const usTeam = { kind: 'team', team: 'us' } as const;
  const observer = { kind: 'observer' } as const;
  const templateIds = (a: typeof usTeam | typeof observer) => wireView(r.state, a).record.templates.map((f) => f.id);
  // Forms are named only once they are open to the audience: the White Cell's pulse before it is sent is not.
  assert.equal(templateIds(usTeam), ['after-round']);
  r.do(us, { type: 'form.answer', formId: 'after-round', round: 1, answers: { first: 'US', trust: 2, why: 'hm' } });
  r.do(control, { type: 'form.send', formId: 'pulse' });
  const check = (when: string) => {
    for (const a of audiences(r.state)) {
      const wire = wireView(r.state, a);
      const full = viewFor(r.state, a);
      for (const f of wire.record.forms)
        assert.not.ok('questions' in f || 'title' in f || 'when' in f, `${when}: ${audienceKey(a)} form ${f.id}`);
      assert.is(
        JSON.stringify(withCatalogue(wire, catalogueFor(r.state, a)).record),
        JSON.stringify(full.record),
        `${when}: ${audienceKey(a)}'s record joined is its projection's`,
      );
    }
  };
  check('mid-game');
  assert.ok(viewFor(r.state, usTeam).record.forms.length >= 2, 'forms were open');
  assert.equal(templateIds(observer), [], 'observers read forms only at the end');
  assert.equal(
    wireView(r.state, usTeam).record.templates.map((f) => [f.id, f.questions.length]),
    [
      ['after-round', 3],
      ['pulse', 1],
    ],
  );
  r.do(control, { type: 'game.end' });
  check('at the end');
  assert.is(templateIds(observer).length, 2, 'then they have the questions too');
});

test('the scenario checker reads forms', () => {
  const bad = {
    ...miniInput,
    forms: [
      { id: 'f', title: 'F', when: 'round', questions: [{ id: 'q', text: 'Q?', kind: 'choice', options: ['only'] }] },
      {
        id: 'f',
        title: 'G',
        when: 'game',
        questions: [{ id: 'q', text: 'Q?', kind: 'likert', options: ['a', 'b', 'c'] }],
      },
    ],
  };
  const problems = crossCheck(Scenario.parse(bad)).map((p) => `${p.path}: ${p.message}`);
  assert.ok(
    problems.some((p) => p.startsWith('forms[0].questions[0].options: a choice needs')),
    problems.join('\n'),
  );
  assert.ok(problems.some((p) => p.startsWith('forms[1].questions[0].options: a Likert')));
  assert.ok(problems.some((p) => p.includes('duplicate form id "f"')));
});

test('old scenarios without forms still play', () => {
  const { forms: _, ...old } = mini;
  const g = new Game(old as typeof mini).seatAll(['us']);
  g.do(control, { type: 'game.start' });
  assert.equal(viewFor(g.state, { kind: 'control' }).record.forms, []);
});

test.run();
