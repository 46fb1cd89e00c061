// The after-action report is built from one audience's view, so it tells each audience what it may know, and
// everything it may know about the record.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { afterActionReport } from '../../shared/report.ts';
import { afterActionReportHtml } from '../../shared/report-html.ts';
import { viewFor } from '../../server/engine/index.ts';
import { mini } from '../fixtures/mini-scenario.ts';
import { Game, control, teamActor } from '../helpers/engine.ts';
import { leakedMarkers } from '../helpers/leaks.ts';

function playedGame() {
  const g = new Game(mini, { autoApprove: true }).seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  g.do(teamActor('us'), {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-talks', byRound: 1 },
      { team: 'dprk', action: 'dprk-channel', byRound: 1 },
    ],
    secret: true,
    snapback: false,
    note: 'SECRETDEAL_dprk_us',
  });
  g.do(teamActor('dprk'), { type: 'deal.accept', dealId: g.lastDealId() });
  g.do(teamActor('prc'), { type: 'chat.post', channel: 'bi:dprk:prc', text: 'CHAT_bi:dprk:prc_ lips and teeth' });
  g.do(control, { type: 'phase.advance' });
  g.do(teamActor('us'), { type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null });
  g.do(teamActor('dprk'), { type: 'draft.set', overt: ['dprk-channel'], covert: ['dprk-enrich'], freeform: null });
  g.do(control, { type: 'phase.advance' });
  return g;
}

test("mid-game, a team's report carries none of another team's secrets", () => {
  const g = playedGame();
  for (const team of ['us', 'dprk', 'prc']) {
    const report = afterActionReport(viewFor(g.state, { kind: 'team', team }));
    assert.equal(leakedMarkers(g.state, team, report), [], team);
    assert.ok(report.includes('## Round 1'));
  }
  const obs = afterActionReport(viewFor(g.state, { kind: 'observer' }));
  assert.equal(leakedMarkers(g.state, 'observer', obs), []);
  assert.not.ok(obs.includes('SECRETDEAL'), 'observers do not see secret deals');
  assert.ok(
    afterActionReport(viewFor(g.state, { kind: 'team', team: 'us' })).includes('SECRETDEAL_dprk_us'),
    'parties do',
  );
});

test('after the game, the report tells the ending, scores, the board and the covert log', () => {
  const g = playedGame();
  g.do(control, { type: 'game.end' });
  const report = afterActionReport(viewFor(g.state, { kind: 'observer' }));
  assert.ok(report.includes('## Ending: Stopped by the White Cell'));
  assert.ok(report.includes('| Momentum | 5 |'));
  assert.ok(report.includes('## Covert moves'));
  assert.ok(report.includes('HIDDEN_dprk_covert enrichment'), 'the covert log is revealed at the debrief');
  assert.ok(report.includes('HIDDEN_us_objective'), 'objectives are scored for all');
  assert.not.ok(report.includes('SECRET_'), 'private briefings, fact cards and intel stay private for good');
  const controlReport = afterActionReport(viewFor(g.state, { kind: 'control' }));
  assert.ok(controlReport.includes('lips and teeth'), 'the White Cell reads every channel');
});

test('the report names the steps still under way that the scores count, in Markdown and in HTML', () => {
  const g = playedGame();
  g.do(control, { type: 'game.end' });
  const meter = g.state.scenario.meters[0];
  const s = {
    ...g.state,
    delayed: [
      { dueRound: 9, team: 'dprk', actionId: 'dprk-channel', meter: meter.id, delta: 4, visibleTo: 'all' as const },
    ],
  };
  const v = viewFor(s, { kind: 'observer' });
  assert.equal(v.debrief!.underWay, [{ meter: meter.id, delta: 4 }]);
  const said = `Scored with the steps still under way at the close, as if carried out: ${meter.name} +4.`;
  assert.ok(afterActionReport(v).includes(said));
  assert.ok(afterActionReportHtml(v).includes(said));
  assert.not.ok(afterActionReport(viewFor(g.state, { kind: 'observer' })).includes('still under way'));
});

test("each line ends with one full stop, and a ruling's reasoning is printed once", () => {
  const g = playedGame();
  const view = viewFor(g.state, { kind: 'control' });
  // A line whose text and reason already end in a full stop, and a free-form ruling whose reasoning is its "why".
  const line = view.reveals[0].lines[0];
  const ruled = { ...line, id: 'ruled', text: 'Talks held.', why: 'Conditions attached.', counts: true };
  ruled.amendments = [{ by: 'Fran', rationale: 'Conditions attached.', at: 0 }];
  const report = afterActionReport({ ...view, reveals: [{ ...view.reveals[0], lines: [line, ruled] }] });
  assert.not.ok(/[^.]\.\.(?!\.)/.test(report), 'no doubled full stop');
  assert.ok(report.includes('- Talks held. Conditions attached.'));
  assert.is(report.split('Conditions attached').length - 1, 1, 'the reasoning appears once');
});

test('report.md shows raw HTML people typed as text: no tag a Markdown viewer would render', () => {
  const g = playedGame();
  const hostile = ['<script>alert(1)</script>', '<img src=x onerror=alert(2)>', '<svg onload=alert(3)>'];
  for (const text of hostile) g.do(teamActor('us'), { type: 'chat.post', channel: 'plenary', text });
  g.do(control, { type: 'note.add', text: '<iframe src=javascript:alert(4)>', tags: [], target: null, shared: false });
  const report = afterActionReport(viewFor(g.state, { kind: 'control' }));
  assert.not.match(report, /<[a-z!/?]/i, 'no tag, comment or closing tag');
  for (const text of hostile) assert.ok(report.includes(text.replace(/</g, '&lt;')), text);
});

test.run();
