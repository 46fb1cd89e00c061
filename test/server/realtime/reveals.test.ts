// Paged reveals and the catalogue over the wire: a whole view carries the latest round's reveal and sums up the
// older ones, `reveals` pages them in through the seat's own projection (never another team's covert move), the
// catalogue names a seat's actions and meters once, a patched view agrees with a resync, and bad requests are refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Scenario } from '../../../shared/scenario.ts';
import { compactChat, compactReveals } from '../../../shared/protocol.ts';
import { createGame, join } from '../../helpers/http.ts';
import { leaks, scenarioSecrets, secretsFor } from '../../helpers/scenario-secrets.ts';
import { socketSuite } from '../../helpers/socket-suite.ts';

const tutorial = Scenario.parse(
  JSON.parse(readFileSync(new URL('../../../scenarios/tutorial.json', import.meta.url), 'utf8')),
);
const covert = tutorial.actions.find((a) => a.covert && a.team === 'dprk')!;

const suite = socketSuite(test, { STORE: 'memory', COMMAND_RATE: '1000', COMMAND_BURST: '1000' });
const { connect } = suite;

test('older reveals come on request, through each seat projection, and a resync agrees', async () => {
  const game = await createGame(suite.server.url, 'tutorial', {
    seed: 'paged-reveals',
    phases: { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 },
  });
  const control = await connect(game.controlToken, 'control');
  const usToken = (await join(suite.server.url, game.codes.teams.us, 'Alice')).token;
  const us = await connect(usToken, 'us');
  const dprk = await connect((await join(suite.server.url, game.codes.teams.dprk, 'Kim')).token, 'dprk');
  const observer = await connect((await join(suite.server.url, game.codes.observer, 'Wall')).token, 'observer');
  await control.do({ type: 'game.start' });

  // Three rounds, North Korea drafting its covert move each round; the White Cell keeps every exposure quiet.
  for (let round = 1; round <= 3; round++) {
    while (control.view!.game.phase !== 'submission') await control.do({ type: 'phase.advance' });
    await dprk.do({ type: 'draft.set', overt: [], covert: [covert.id], freeform: null });
    await control.do({ type: 'phase.advance' });
    await control.until(() => control.view!.game.phase === 'adjudication', 'adjudication');
    for (const line of control.view!.control!.adjudication!.lines.filter((l) => l.kind === 'exposure'))
      await control.do({ type: 'adjudication.amend', lineId: line.id, success: false, rationale: 'Nothing seen' });
    await control.do({ type: 'adjudication.approve' });
    await Promise.all(
      [us, observer, dprk].map((c) =>
        c.waitFor((v) => v.reveals.some((r) => r.round === round), `${c.label}: round ${round} revealed`),
      ),
    );
    if (round < 3) await control.do({ type: 'phase.advance' });
  }

  // A whole view: the latest reveal in full, the older ones summed up.
  const late = await connect(usToken, 'us, second tab');
  assert.equal(
    late.view!.reveals.map((r) => r.round),
    [3],
  );
  assert.equal(
    late.view!.earlierReveals.map((r) => [r.round, r.final]),
    [
      [1, false],
      [2, false],
    ],
  );
  const page = await late.reveals({ before: 3, limit: 1 });
  assert.ok(page.ok && page.reveals.length === 1 && page.reveals[0].round === 2, 'the latest page first');
  await late.loadAllReveals();
  assert.equal(
    late.view!.reveals.map((r) => r.round),
    [1, 2, 3],
  );
  assert.equal(late.view!.earlierReveals, []);
  // The summaries counted what the pages hold.
  const counted = (await connect(usToken, 'us, third tab')).view!.earlierReveals;
  assert.equal(
    counted.map((r) => r.lines),
    late.view!.reveals.slice(0, 2).map((r) => r.lines.length),
  );

  // North Korea reads its own covert move in every round; nobody else ever does, however far back they ask.
  await dprk.loadAllReveals();
  for (const r of dprk.view!.reveals)
    assert.ok(
      r.lines.some((l) => l.actionId === covert.id),
      `round ${r.round}: dprk reads its move`,
    );
  await us.loadAllReveals();
  await observer.loadAllReveals();
  for (const c of [us, late, observer]) {
    assert.not.ok(JSON.stringify(c.received).includes(`"${covert.id}"`), `${c.label} never received the covert id`);
    assert.not.ok(JSON.stringify(c.received).includes(covert.name), `${c.label} never received the covert name`);
  }
  const secrets = scenarioSecrets(tutorial);
  assert.equal(leaks(us.received, secretsFor(tutorial, secrets, 'us'), 'us'), []);
  assert.equal(leaks(observer.received, secretsFor(tutorial, secrets, 'observer'), 'observer'), []);

  // A seat that paged every reveal in and followed the game by patches holds what a resync gives, once compacted.
  await control.do({ type: 'phase.advance' });
  await Promise.all(
    [us, late, observer, dprk].map((c) => c.waitFor((v) => v.game.phase !== 'reveal', `${c.label}: next phase`)),
  );
  for (const c of [us, late, observer, dprk]) {
    const patched = JSON.parse(JSON.stringify(compactReveals(compactChat(c.view!))));
    const ack = await c.resync();
    assert.ok(ack.ok);
    if (ack.ok) assert.equal(patched, ack.view, `${c.label}: the patched view is the whole view`);
  }

  // The catalogue: a team's holds its own covert moves and no other team's; the observer's holds none.
  const mine = await us.catalogue();
  const own = await dprk.catalogue();
  const theirs = await observer.catalogue();
  assert.ok(mine.ok && own.ok && theirs.ok);
  if (mine.ok && own.ok && theirs.ok) {
    assert.is(mine.hash, us.view!.catalogue!.hash, 'the view names the catalogue it goes with');
    assert.is(mine.scenarioId, 'tutorial');
    assert.ok(own.actions.some((a) => a.id === covert.id));
    assert.not.ok(mine.actions.some((a) => a.covert));
    assert.not.ok(theirs.actions.some((a) => a.covert));
    assert.is.not(mine.hash, own.hash);
    assert.equal(
      us.actions().map((a) => a.id),
      us.view!.actions.map((a) => a.id),
      'every action of the view is in the catalogue',
    );
  }

  // Bad requests are refused and change nothing.
  for (const bad of [
    null,
    'all',
    {},
    { before: -1 },
    { before: 1.5 },
    { before: 2, limit: 0 },
    { before: 2, limit: 999 },
    { before: 2, round: 1 },
  ]) {
    const ack = await us.reveals(bad);
    assert.ok(!ack.ok && ack.error.code === 'BAD_REQUEST', `reveals ${JSON.stringify(bad)}`);
  }
  for (const bad of ['x', 7, { hash: 5 }, { scenarioId: '' }, { other: 1 }]) {
    const ack = await us.catalogue(bad);
    assert.ok(!ack.ok && ack.error.code === 'BAD_REQUEST', `catalogue ${JSON.stringify(bad)}`);
  }
  const nothingBefore = await us.reveals({ before: 1 });
  assert.ok(nothingBefore.ok && nothingBefore.reveals.length === 0, 'no reveal before round 1');
});

test.run();
