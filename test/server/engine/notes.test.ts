// Rapporteur notes and the hot wash: who may write them, what they may be attached to, and who reads them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { viewFor, type Command } from '../../../server/engine/index.ts';
import { parseCommand } from '../../../server/realtime/parse-command.ts';
import type { Seat } from '../../../server/games/seat.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game, control, teamActor } from '../../helpers/engine.ts';
import { obs, scriptedGame } from '../../helpers/scripted-record.ts';

const note = (text: string, extra: Partial<Extract<Command, { type: 'note.add' }>> = {}): Command => ({
  type: 'note.add',
  text,
  tags: [],
  target: null,
  shared: false,
  ...extra,
});

test('observers and the White Cell keep notes; teams do not', () => {
  const g = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  assert.is(g.try(teamActor('us'), note('a team note'))?.code, 'NOT_ALLOWED');
  assert.is(g.try(obs, note('seen from the wall')), null);
  assert.is(g.try(control, note('seen from the White Cell')), null);
  assert.is(g.state.record?.notes.length, 2);
  // Someone else's private note answers like one that does not exist.
  const wcNote = g.state.record!.notes[1].id;
  assert.is(g.try(obs, { type: 'note.share', noteId: wcNote })?.code, 'UNKNOWN_NOTE');
  assert.is(g.try(control, { type: 'note.share', noteId: wcNote }), null);
  assert.is(g.try(control, { type: 'note.share', noteId: wcNote })?.code, 'ALREADY_SHARED');
});

test('a note is attached only to what its author can see', () => {
  const g = scriptedGame({ end: false });
  const secret = g.state.dealOrder[0]; // round 1's deal was secret
  const covert = g.state.reveals[0].lines.find((l) => l.kind === 'covert')!;
  assert.is(g.try(obs, note('x', { target: { kind: 'deal', id: secret } }))?.code, 'UNKNOWN_TARGET');
  assert.is(g.try(obs, note('x', { target: { kind: 'line', id: covert.id } }))?.code, 'UNKNOWN_TARGET');
  assert.is(g.try(obs, note('x', { target: { kind: 'round', id: '9' } }))?.code, 'UNKNOWN_TARGET');
  assert.is(g.try(control, note('x', { target: { kind: 'deal', id: secret } })), null);
  assert.is(g.try(control, note('x', { target: { kind: 'move', id: covert.id } })), null);
  assert.is(g.try(obs, note('x', { target: { kind: 'deal', id: g.state.dealOrder[1] } })), null, 'an open deal');
});

test('a shared note reaches a reader without a target the reader cannot see', () => {
  const g = scriptedGame({ end: false });
  const secret = g.state.deals[g.state.dealOrder[0]]; // round 1's deal was secret
  const covert = g.state.reveals[0].lines.find((l) => l.kind === 'covert')!;
  const open = g.state.dealOrder[1];
  g.do(control, note('ON_SECRET_DEAL', { target: { kind: 'deal', id: secret.id }, shared: true }));
  g.do(control, note('ON_COVERT_MOVE', { target: { kind: 'move', id: covert.id }, shared: true }));
  g.do(control, note('ON_OPEN_DEAL', { target: { kind: 'deal', id: open }, shared: true }));
  const targets = (a: Parameters<typeof viewFor>[1]) =>
    Object.fromEntries(viewFor(g.state, a).record.notes.map((n) => [n.text, n.target?.id ?? null]));
  const outsider = ['us', 'dprk', 'prc'].find((t) => !secret.parties.includes(t));
  for (const a of [{ kind: 'observer' as const }, ...(outsider ? [{ kind: 'team' as const, team: outsider }] : [])]) {
    const seen = targets(a);
    assert.is(seen.ON_SECRET_DEAL, null, `${JSON.stringify(a)}: no secret deal's id`);
    assert.is(seen.ON_OPEN_DEAL, open, `${JSON.stringify(a)}: an open deal's id stays`);
    assert.not.ok(JSON.stringify(viewFor(g.state, a)).includes(secret.id), `${JSON.stringify(a)}: the id nowhere`);
  }
  assert.is(targets({ kind: 'observer' }).ON_COVERT_MOVE, null, 'no covert move the observers never saw');
  // A party to the secret deal keeps the target; the White Cell keeps them all.
  assert.is(targets({ kind: 'team', team: secret.parties[0] }).ON_SECRET_DEAL, secret.id);
  assert.is(targets({ kind: 'control' }).ON_COVERT_MOVE, covert.id);
});

test('who reads which note, and the hot wash', () => {
  const g = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  g.do(obs, note('OBS_PRIVATE'))
    .do(control, note('WC_PRIVATE'))
    .do(obs, note('OBS_SHARED', { shared: true }));
  const read = (a: Parameters<typeof viewFor>[1]) => viewFor(g.state, a).record.notes.map((n) => n.text);
  assert.equal(read({ kind: 'control' }), ['OBS_PRIVATE', 'WC_PRIVATE', 'OBS_SHARED']);
  assert.equal(read({ kind: 'observer' }), ['OBS_PRIVATE', 'OBS_SHARED']);
  assert.equal(read({ kind: 'team', team: 'us' }), ['OBS_SHARED']);

  assert.is(g.try(control, { type: 'hotwash.record', kind: 'action', text: 'Fix it' })?.code, 'BAD_HOTWASH');
  g.do(control, { type: 'hotwash.record', kind: 'strength', text: 'Good talk' });
  assert.is(viewFor(g.state, { kind: 'team', team: 'us' }).record.hotwash, null, 'not before the end');
  assert.is(viewFor(g.state, { kind: 'control' }).record.hotwash?.length, 1);
  assert.is(g.try(obs, { type: 'hotwash.record', kind: 'strength', text: 'x' })?.code, 'NOT_ALLOWED');
  const id = g.state.record!.hotwash[0].id;
  g.do(control, { type: 'hotwash.remove', itemId: id });
  assert.is(g.try(control, { type: 'hotwash.remove', itemId: id })?.code, 'UNKNOWN_ITEM');
});

test('at the edge, observers may send notes and nothing else', () => {
  const seat: Seat = { gameId: 'g', playerId: 'o', name: 'O', role: 'observer', team: null };
  assert.ok(parseCommand(seat, { type: 'note.add', text: 'hello' }).ok);
  assert.ok(parseCommand(seat, { type: 'note.share', noteId: 'abc' }).ok);
  for (const type of ['chat.post', 'game.start', 'draft.lock', 'hotwash.record', 'form.answer'])
    assert.equal(parseCommand(seat, { type, channel: 'plenary', text: 'x' }), {
      ok: false,
      error: { code: 'NOT_ALLOWED', message: 'Observers cannot act' },
    });
  const team: Seat = { ...seat, role: 'team', team: 'us' };
  assert.is((parseCommand(team, { type: 'note.add', text: 'x' }) as { ok: boolean }).ok, false);
});

test.run();
