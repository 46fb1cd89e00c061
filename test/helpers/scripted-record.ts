// A short scripted game of the mini scenario with everything the record holds: seats with real-looking names,
// chat in open and private channels, an open and a secret deal, covert and free-form moves with estimates, amended
// lines, rapporteur notes (private and shared) and a hot wash. Used by the record tests (export, replay, report).
import type { Actor } from '../../server/engine/index.ts';
import { mini } from '../fixtures/mini-scenario.ts';
import { Game, control, system } from './engine.ts';

export const NAMES = { us: 'Zelda Quixote', dprk: 'Yorick Nightingale', prc: 'Xanthe Wolfram', wc: 'Walter Vexley' };
export const OBSERVER_NAME = 'Ulrich Tamberlane';

const player = (team: 'us' | 'dprk' | 'prc'): Actor => ({
  kind: 'team',
  team,
  playerId: `p-${team}`,
  name: NAMES[team],
});
export const wc: Actor = { kind: 'control', playerId: 'wc1', name: NAMES.wc };
export const obs: Actor = { kind: 'observer', playerId: 'obs1', name: OBSERVER_NAME };

/** Plays two rounds (and into the third when `rounds` > 2), recording the game's log as it goes. */
export function scriptedGame(opts: { rounds?: number; end?: boolean } = {}): Game {
  const g = new Game(mini);
  const us = player('us'),
    dprk = player('dprk'),
    prc = player('prc');
  for (const t of ['us', 'dprk', 'prc'] as const)
    g.do(system, { type: 'seat.take', playerId: `p-${t}`, name: NAMES[t], role: t });
  g.do(system, { type: 'seat.take', playerId: 'wc1', name: NAMES.wc, role: 'control' });
  g.do(system, { type: 'seat.take', playerId: 'obs1', name: OBSERVER_NAME, role: 'observer' });
  g.advance(1000).do(wc, { type: 'game.start' });
  const rounds = opts.rounds ?? 2;
  for (let r = 1; r <= rounds; r++) {
    g.advance(60_000).do(wc, { type: 'phase.advance' }); // injects
    g.advance(30_000).do(wc, { type: 'phase.advance' }); // negotiation
    g.advance(5000).do(us, { type: 'chat.post', channel: 'plenary', text: `Round ${r}: talks, anyone?` });
    g.do(dprk, { type: 'chat.post', channel: 'bi:us:dprk', text: `CHAT_bi:us:dprk_ round ${r} back channel` });
    g.do(prc, { type: 'chat.post', channel: 'team:prc', text: `CHAT_team:prc_ round ${r} huddle` });
    g.do(us, {
      type: 'deal.propose',
      to: ['dprk'],
      obligations: [
        { team: 'us', action: 'us-talks', byRound: r },
        { team: 'dprk', action: 'dprk-channel', byRound: r },
      ],
      secret: r === 1,
      snapback: false,
      note: r === 1 ? 'SECRETDEAL_dprk_us quiet channel' : 'talks for a channel',
    });
    g.advance(2000).do(dprk, { type: 'deal.accept', dealId: g.lastDealId() });
    g.do(obs, {
      type: 'note.add',
      text: `Observer's own note, round ${r}`,
      tags: ['friction'],
      target: { kind: 'round', id: String(r) },
      shared: false,
    });
    g.advance(40_000).do(wc, { type: 'phase.advance' }); // submission
    g.advance(3000).do(us, { type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null });
    g.do(dprk, { type: 'draft.set', overt: ['dprk-channel'], covert: r === 1 ? ['dprk-enrich'] : [], freeform: null });
    g.do(prc, {
      type: 'draft.set',
      overt: ['prc-trade'],
      covert: [],
      freeform: { text: `OPENFF_prc_R${r} host talks`, intent: 'Broker', rationale: 'A venue helps', open: true },
    });
    g.advance(7000).do(us, { type: 'draft.lock' });
    g.advance(9000).do(dprk, { type: 'draft.lock' });
    g.advance(11000).do(prc, { type: 'draft.lock' });
    const lines = g.state.adjudication!.lines;
    const ff = lines.find((l) => l.kind === 'freeform')!;
    g.do(prc, { type: 'freeform.estimate', lineId: ff.id, probability: 0.7 });
    g.do(us, { type: 'freeform.estimate', lineId: ff.id, probability: 0.35 });
    g.advance(20_000).do(wc, {
      type: 'freeform.rule',
      lineId: ff.id,
      chance: 0.6,
      effects: [{ meter: 'tension', delta: -2 }],
      public: true,
      rationale: 'Plausible and cheap.',
    });
    const exposure = lines.find((l) => l.kind === 'exposure');
    if (exposure)
      g.do(wc, { type: 'adjudication.amend', lineId: exposure.id, success: false, rationale: 'Too early to notice' });
    g.do(wc, {
      type: 'note.add',
      text: `White Cell note on round ${r}'s free-form`,
      tags: ['insight'],
      target: { kind: 'line', id: ff.id },
      shared: false,
    });
    g.advance(30_000).do(wc, { type: 'adjudication.approve' });
  }
  const shared = g.state.record!.notes.find((n) => n.role === 'control')!;
  g.do(wc, { type: 'note.share', noteId: shared.id });
  if (opts.end !== false) {
    g.advance(10_000).do(wc, { type: 'game.end' });
    g.do(wc, { type: 'hotwash.record', kind: 'strength', text: 'Teams used the back channel early' });
    g.do(wc, { type: 'hotwash.record', kind: 'improvement', text: 'Free-form rulings took too long' });
    g.do(wc, {
      type: 'hotwash.record',
      kind: 'action',
      text: 'Write a ruling guide for free-form moves',
      owner: 'Lead facilitator',
      due: '2027-01-15',
    });
  }
  return g;
}
export { control };
