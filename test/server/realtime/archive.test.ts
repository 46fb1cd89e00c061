// Deals and injects of earlier rounds over the wire: a whole view names them (id and hash) instead of carrying them,
// `archive` brings them through the seat's own projection (a secret deal never to a third team, however it asks),
// a view followed by patches agrees with a resync, and bad requests are refused.
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

const suite = socketSuite(test, { STORE: 'memory', COMMAND_RATE: '1000', COMMAND_BURST: '1000' });
const { connect } = suite;

test('deals and injects of earlier rounds come on request, each seat only its own', async () => {
  const game = await createGame(suite.server.url, 'tutorial', {
    seed: 'archive',
    phases: { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 },
  });
  const control = await connect(game.controlToken, 'control');
  const usToken = (await join(suite.server.url, game.codes.teams.us, 'Alice')).token;
  const us = await connect(usToken, 'us');
  const dprk = await connect((await join(suite.server.url, game.codes.teams.dprk, 'Kim')).token, 'dprk');
  const prcToken = (await join(suite.server.url, game.codes.teams.prc, 'Li')).token;
  const prc = await connect(prcToken, 'prc');
  const observerToken = (await join(suite.server.url, game.codes.observer, 'Wall')).token;
  const observer = await connect(observerToken, 'observer');
  await control.do({ type: 'game.start' });
  while (control.view!.game.phase !== 'negotiation') await control.do({ type: 'phase.advance' });

  // Round 1: an open deal that both sides keep, and a secret one that North Korea turns down.
  const kept = await us.command({
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-talks', byRound: 1 },
      { team: 'dprk', action: 'dprk-ny-channel', byRound: 1 },
    ],
    note: 'talks for a channel',
  });
  assert.ok(kept.ok, JSON.stringify(kept));
  const keptId = (await us.waitFor((v) => v.deals.length === 1, 'us: the open deal')).deals[0].id;
  await dprk.waitFor((v) => v.deals.some((d) => d.id === keptId), 'dprk: the open deal');
  await dprk.do({ type: 'deal.accept', dealId: keptId });
  assert.ok(
    (
      await us.command({
        type: 'deal.propose',
        to: ['dprk'],
        obligations: [
          { team: 'us', action: 'us-humanitarian-exemptions', byRound: 1 },
          { team: 'dprk', action: 'dprk-aid-monitors', byRound: 1 },
        ],
        secret: true,
        note: 'SECRET-ARCHIVE-NOTE',
      })
    ).ok,
  );
  const secretId = (await dprk.waitFor((v) => v.deals.length === 2, 'dprk: the secret offer')).deals.find(
    (d) => d.secret,
  )!.id;
  await dprk.do({ type: 'deal.reject', dealId: secretId });
  await control.do({ type: 'phase.advance' });
  await control.until(() => control.view!.game.phase === 'submission', 'submission');
  await us.do({ type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null });
  await dprk.do({ type: 'draft.set', overt: ['dprk-ny-channel'], covert: [], freeform: null });
  await control.do({ type: 'phase.advance' });
  await control.until(() => control.view!.game.phase === 'adjudication', 'adjudication');
  await control.do({ type: 'adjudication.approve' });
  await control.until(() => control.view!.game.phase === 'reveal', 'reveal');
  assert.is(control.view!.deals.find((d) => d.id === keptId)?.status, 'fulfilled', 'settled, still this round');
  await control.do({ type: 'phase.advance' });
  await control.until(() => control.view!.game.round === 2, 'round 2');
  for (const c of [us, dprk, prc, observer]) await c.waitFor((v) => v.game.round === 2, `${c.label}: round 2`);

  // Round 2: the settled deals and round 1's injects are named, not carried.
  const late = await connect(usToken, 'us, second tab');
  const watcher = await connect(observerToken, 'observer, second tab');
  const third = await connect(prcToken, 'prc, second tab');
  assert.equal(late.view!.deals, []);
  assert.equal(late.view!.earlierDeals.map((r) => r.id).sort(), [keptId, secretId].sort());
  assert.equal(
    watcher.view!.earlierDeals.map((r) => r.id),
    [keptId],
  );
  assert.equal(
    third.view!.earlierDeals.map((r) => r.id),
    [keptId],
  );
  assert.ok(
    late.view!.earlierInjects.some((r) => r.id === 'rok-new-government'),
    'round 1 inject named',
  );
  assert.not.ok(
    late.view!.injects.some((i) => i.id === 'rok-new-government'),
    'and not carried',
  );
  // The same deal reads the same to everyone who may read it, so its hash is the same in every view.
  assert.is(watcher.view!.earlierDeals[0].hash, late.view!.earlierDeals.find((r) => r.id === keptId)!.hash);

  const joined = await late.loadArchive();
  assert.equal(joined.deals.map((d) => d.id).sort(), [keptId, secretId].sort());
  assert.equal(joined.earlierDeals, []);
  assert.ok(joined.injects.some((i) => i.id === 'rok-new-government' && i.text.length > 0));
  // What the page shows is what the control view of the same deal says.
  const controlJoined = await control.loadArchive();
  assert.ok(controlJoined.deals.some((d) => d.id === keptId));
  assert.equal(
    joined.deals.find((d) => d.id === keptId),
    controlJoined.deals.find((d) => d.id === keptId),
  );

  // China asks for the secret deal by id, alone and among others: it never comes, and the answer for it is the
  // answer for an id that names nothing.
  const probe = await third.archive({ kind: 'deals', ids: [secretId] });
  const nothing = await third.archive({ kind: 'deals', ids: ['id99999999'] });
  assert.ok(probe.ok && nothing.ok);
  if (probe.ok && nothing.ok) {
    assert.equal(probe.items, []);
    assert.equal({ ...probe, items: [] }, { ...nothing, items: [] });
  }
  const mixed = await third.archive({ kind: 'deals', ids: [secretId, keptId] });
  assert.ok(mixed.ok && mixed.items.map((x) => x.item.id).join() === keptId);
  const watched = await watcher.loadArchive();
  assert.equal(
    watched.deals.map((d) => d.id),
    [keptId],
  );
  // A deal of this round is in the view itself: asked for by id, it does not come again.
  while (control.view!.game.phase !== 'negotiation') await control.do({ type: 'phase.advance' });
  await us.do({
    type: 'deal.propose',
    to: ['prc'],
    obligations: [{ team: 'prc', action: 'prc-host-talks', byRound: 2 }],
  });
  const open = (await third.waitFor((v) => v.deals.length === 1, 'prc: the new offer')).deals[0].id;
  const current = await third.archive({ kind: 'deals', ids: [open] });
  assert.ok(current.ok && current.items.length === 0);
  assert.not.ok(JSON.stringify(third.received).includes('SECRET-ARCHIVE-NOTE'));
  assert.not.ok(JSON.stringify(watcher.received).includes('SECRET-ARCHIVE-NOTE'));
  assert.not.ok(JSON.stringify(prc.received).includes('SECRET-ARCHIVE-NOTE'));
  const secrets = scenarioSecrets(tutorial);
  for (const c of [third, prc])
    assert.equal(leaks(c.received, secretsFor(tutorial, secrets, 'prc'), 'prc'), [], `${c.label} leaks`);
  for (const c of [watcher, observer])
    assert.equal(leaks(c.received, secretsFor(tutorial, secrets, 'observer'), 'observer'), [], `${c.label} leaks`);

  // A seat that followed the game by patches holds what a resync gives (the earlier refs included).
  for (const c of [us, dprk, prc, observer]) {
    const patched = JSON.parse(JSON.stringify(compactReveals(compactChat(c.view!))));
    const ack = await c.resync();
    assert.ok(ack.ok);
    if (ack.ok) assert.equal(patched, ack.view, `${c.label}: the patched view is the whole view`);
  }

  // Bad requests are refused and change nothing.
  for (const bad of [
    null,
    'deals',
    {},
    { kind: 'deals' },
    { kind: 'deals', ids: [] },
    { kind: 'reveals', ids: [keptId] },
    { kind: 'deals', ids: [7] },
    { kind: 'deals', ids: [''] },
    { kind: 'deals', ids: Array.from({ length: 101 }, (_, i) => `id${i}`) },
    { kind: 'deals', ids: [keptId], extra: 1 },
  ]) {
    const ack = await us.archive(bad);
    assert.ok(!ack.ok && ack.error.code === 'BAD_REQUEST', `archive ${JSON.stringify(bad)}`);
  }
});

test.run();
