// Random commands for property tests: mostly plausible moves by every kind of seat, with a share of nonsense
// (unknown ids, wrong seats, wrong phases) that the engine must refuse without changing anything.
import type { Dice } from '../../server/engine/index.ts';
import type { Actor, Command, GameState } from '../../server/engine/index.ts';

const pick = <T>(d: Dice, xs: readonly T[]): T => xs[Math.floor(d.next() * xs.length)];
const chance = (d: Dice, p: number) => d.next() < p;

export interface Step {
  actor: Actor;
  command: Command;
  advanceMs: number;
}

export function randomStep(s: GameState, d: Dice): Step {
  const teams = s.scenario.teams.map((t) => t.id);
  const control: Actor = { kind: 'control', playerId: 'wc', name: 'Control' };
  const team = pick(d, teams);
  const player: Actor = { kind: 'team', team, playerId: `p-${team}`, name: `${team} player` };
  const roll = d.next();

  if (roll < 0.08)
    return { actor: { kind: 'system' }, command: { type: 'tick' }, advanceMs: chance(d, 0.5) ? 3_600_000 : 1000 };
  if (roll < 0.1)
    return {
      actor: { kind: 'system' },
      command: { type: 'seat.take', playerId: `p-${team}`, name: `${team} player`, role: team },
      advanceMs: 0,
    };
  if (roll < 0.32) return { actor: control, command: controlCommand(s, d), advanceMs: 1000 };
  if (roll < 0.34)
    return {
      actor: { kind: 'observer', playerId: 'obs', name: 'Obs' },
      command: { type: 'chat.post', channel: 'plenary', text: 'observer speaks' },
      advanceMs: 0,
    };
  return { actor: player, command: playerCommand(s, d, team), advanceMs: 1000 };
}

function controlCommand(s: GameState, d: Dice): Command {
  const lines = s.adjudication?.lines ?? [];
  const injects = s.injectOrder;
  const r = d.next();
  if (r < 0.45) return s.phase === 'lobby' ? { type: 'game.start' } : { type: 'phase.advance' };
  if (r < 0.5) return { type: 'game.pause' };
  if (r < 0.56) return { type: 'game.resume' };
  if (r < 0.6) return { type: 'phase.extend', seconds: pick(d, [-60, 30, 300]) };
  if (r < 0.65) return { type: 'inject.publish', injectId: pick(d, [...injects, 'no-such-inject']) };
  if (r < 0.68) return { type: 'inject.skip', injectId: pick(d, injects) };
  if (r < 0.7) return { type: 'inject.edit', injectId: pick(d, injects), text: 'edited text' };
  if (r < 0.72)
    return {
      type: 'inject.add',
      title: 'Surprise',
      text: 'Something happens',
      audience: chance(d, 0.5) ? 'all' : [pick(d, s.scenario.teams).id],
      effects: [{ meter: 'tension', delta: pick(d, [-10, 5, 20]) }],
      publish: chance(d, 0.7),
    };
  if (r < 0.8 && lines.length) {
    const l = pick(d, lines);
    return l.freeform
      ? {
          type: 'freeform.rule',
          lineId: l.id,
          chance: d.next(),
          effects: [{ meter: 'trust', delta: 4 }],
          public: chance(d, 0.5),
          rationale: 'ruled',
        }
      : {
          type: 'adjudication.amend',
          lineId: l.id,
          ...(l.roll ? { success: chance(d, 0.5) } : { cancel: chance(d, 0.3) }),
          rationale: 'amended',
        };
  }
  if (r < 0.9) return { type: 'adjudication.approve' };
  if (r < 0.95)
    return {
      type: 'chat.post',
      channel: pick(d, ['announcements', 'plenary', 'team:us', 'bi:us:dprk']),
      text: 'control says',
    };
  return chance(d, 0.2) ? { type: 'game.end' } : { type: 'phase.advance' };
}

function playerCommand(s: GameState, d: Dice, team: string): Command {
  const mine = s.scenario.actions.filter((a) => a.team === team);
  const overt = mine.filter((a) => !a.covert).map((a) => a.id);
  const covert = mine.filter((a) => a.covert).map((a) => a.id);
  const others = s.scenario.teams.map((t) => t.id).filter((t) => t !== team);
  const r = d.next();
  if (r < 0.3) {
    const n = Math.floor(d.next() * 3);
    const chosen = [
      ...new Set(Array.from({ length: n }, () => (chance(d, 0.1) ? pick(d, s.scenario.actions).id : pick(d, overt)))),
    ];
    return {
      type: 'draft.set',
      overt: chosen,
      covert: chance(d, 0.4) && covert.length ? [pick(d, covert)] : [],
      freeform: chance(d, 0.3)
        ? chance(d, 0.5)
          ? { text: `FREEFORM_${team}_R${s.round}`, intent: 'win', rationale: 'because', open: false }
          : { text: `OPENFF_${team}_R${s.round}`, intent: 'win', rationale: 'because', open: true }
        : null,
    };
  }
  if (r < 0.42) return { type: 'draft.lock' };
  if (r < 0.46) return { type: 'draft.unlock' };
  if (r < 0.62) {
    const to = chance(d, 0.8) ? [pick(d, others)] : others.slice(0, 2);
    const partner = to[0];
    const theirs = s.scenario.actions.filter((a) => a.team === partner && !a.covert).map((a) => a.id);
    const secret = chance(d, 0.5);
    return {
      type: 'deal.propose',
      to,
      secret,
      snapback: chance(d, 0.4),
      note: secret ? `SECRETDEAL_${[team, ...to].sort().join('_')}` : 'open deal',
      obligations: [
        { team, action: pick(d, overt), byRound: Math.max(1, s.round + Math.floor(d.next() * 2)) },
        {
          team: partner,
          action: theirs.length ? pick(d, theirs) : 'nothing',
          byRound: Math.max(1, s.round + Math.floor(d.next() * 2)),
        },
      ],
    };
  }
  if (r < 0.78 && s.dealOrder.length) {
    const dealId = pick(d, s.dealOrder);
    return { type: pick(d, ['deal.accept', 'deal.accept', 'deal.reject', 'deal.withdraw'] as const), dealId };
  }
  if (r < 0.82 && s.adjudication) {
    const l = pick(d, s.adjudication.lines);
    return { type: 'freeform.estimate', lineId: l.id, probability: d.next() };
  }
  const channels = [
    'plenary',
    'announcements',
    `team:${team}`,
    ...s.scenario.teams.flatMap((a, i) => s.scenario.teams.slice(i + 1).map((b) => `bi:${a.id}:${b.id}`)),
  ];
  const channel = pick(d, channels);
  return { type: 'chat.post', channel, text: `CHAT_${channel}_${team}` };
}
