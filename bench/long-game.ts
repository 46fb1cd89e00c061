// A long, talkative game for the replay benchmark: every round has the chatter, drafting and dealing of a
// three-hour session with five teams of three.
import type { Scenario } from '../shared/scenario.ts';
import { Game, control, teamActor } from '../test/helpers/engine.ts';
import { Dice } from '../server/engine/index.ts';

export function longGame(
  scenario: Scenario,
  perRound = { chats: 300, drafts: 60, deals: 6 },
): { game: Game; midState: Game['state'] } {
  const g = new Game(scenario, { seed: 7, autoApprove: false });
  const teams = scenario.teams.map((t) => t.id);
  g.seatAll(teams);
  const d = new Dice(99);
  const pick = <T>(xs: T[]) => xs[Math.floor(d.next() * xs.length)];
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' });
  let midState = g.state;
  while (g.state.phase === 'injects') {
    g.advance(60_000).do(control, { type: 'phase.advance' });
    for (let i = 0; i < perRound.chats; i++) {
      const team = pick(teams);
      const channels = i % 3 === 0 ? ['plenary'] : [`team:${team}`];
      g.advance(1000).try(teamActor(team), {
        type: 'chat.post',
        channel: pick(channels),
        text: `Message ${i} from ${team}: what would you give for a freeze?`,
      });
    }
    // Washington and Pyongyang trade one small step a round (relief for restraint), and Beijing signals rather than
    // engages, as in a session that runs its course: random moves alone collapse the game by round 3.
    const usStep = scenario.actions.find((x) => x.team === 'us' && x.tier === 0 && x.category === 'inducement');
    const dprkStep = scenario.actions.find((x) => x.team === 'dprk' && x.tier === 0 && x.category === 'restraint');
    if (
      usStep &&
      dprkStep &&
      !g.try(teamActor('us'), {
        type: 'deal.propose',
        to: ['dprk'],
        obligations: [
          { team: 'us', action: usStep.id, byRound: g.state.round },
          { team: 'dprk', action: dprkStep.id, byRound: g.state.round },
        ],
        secret: false,
        snapback: false,
        note: 'small wins for small wins',
      })
    )
      g.try(teamActor('dprk'), { type: 'deal.accept', dealId: g.lastDealId() });
    for (let i = 0; i < perRound.deals; i++) {
      const [a, b] = [pick(teams), pick(teams)];
      if (a === b) continue;
      const mine = scenario.actions.filter((x) => x.team === a && !x.covert && x.tier === 0);
      const theirs = scenario.actions.filter((x) => x.team === b && !x.covert && x.tier === 0);
      if (!mine.length || !theirs.length) continue;
      const err = g.try(teamActor(a), {
        type: 'deal.propose',
        to: [b],
        obligations: [
          { team: a, action: pick(mine).id, byRound: g.state.round },
          { team: b, action: pick(theirs).id, byRound: g.state.round },
        ],
        secret: d.next() < 0.3,
        snapback: false,
        note: 'small wins for small wins',
      });
      if (!err) g.try(teamActor(b), { type: 'deal.accept', dealId: g.lastDealId() });
    }
    g.do(control, { type: 'phase.advance' });
    for (let i = 0; i < perRound.drafts; i++) {
      const team = pick(teams);
      const traded = team === 'us' ? usStep : team === 'dprk' ? dprkStep : undefined;
      const menu = traded
        ? [traded]
        : scenario.actions.filter(
            (x) => x.team === team && !x.covert && x.tier === 0 && (team !== 'prc' || x.category === 'signal'),
          );
      g.try(teamActor(team), { type: 'draft.set', overt: [pick(menu).id], covert: [], freeform: null });
    }
    for (const deal of Object.values(g.state.deals).filter((x) => x.status === 'accepted'))
      for (const o of deal.obligations) {
        const draft = g.state.drafts[o.team];
        if (!draft.overt.includes(o.action) && draft.overt.length < scenario.rules.slots.overt && !draft.locked)
          g.try(teamActor(o.team), {
            type: 'draft.set',
            overt: [...draft.overt, o.action],
            covert: draft.covert,
            freeform: draft.freeform,
          });
      }
    for (const t of teams) g.try(teamActor(t), { type: 'draft.lock' });
    if ((g.state.phase as string) === 'adjudication') g.do(control, { type: 'adjudication.approve' });
    if (g.state.round === Math.ceil(scenario.rounds / 2)) midState = g.state;
    g.advance(60_000).do(control, { type: 'phase.advance' });
  }
  return { game: g, midState };
}
