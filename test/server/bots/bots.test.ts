// Bots in one process: five bots play the tutorial to the end with legal moves, each true to its strategy, each
// seeing only its own team's view; the same seed plays the same game again; the log replays byte for byte.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { STRATEGIES } from '../../../server/bots/library.ts';
import {
  BOT_SECTIONS,
  botWeights,
  canKeep,
  cooperation,
  owed as owedSteps,
  trustedChance,
  type BotStrategy,
  type BotTurn,
  type BotView,
} from '../../../server/bots/strategy.ts';
import { allMessages, Dice, fold, viewFor, type GameEvent, type GameState } from '../../../server/engine/index.ts';
import { control, Game, teamActor } from '../../helpers/engine.ts';
import { MAX_OPEN_PROPOSALS } from '../../../server/engine/decide.ts';
import { botWorld, NO_CLOCKS, tutorial } from '../../helpers/bot-world.ts';
import type { LineView } from '../../../shared/views.ts';
import { leaks, scenarioSecrets, secretsFor } from '../../helpers/scenario-secrets.ts';
import { contextOf } from '../../helpers/scenario-secrets.ts';
import { validateScenario } from '../../../shared/scenario-validate.ts';
import { Scenario } from '../../../shared/scenario.ts';
import { readFileSync } from 'node:fs';

const flywheelScenario = Scenario.parse(
  JSON.parse(readFileSync(new URL('../../../scenarios/flywheel-2022.json', import.meta.url), 'utf8')),
);

const LINEUP: Record<string, string> = {
  us: 'cooperative',
  dprk: 'pocketing',
  prc: 'china-heavy',
  rok: 'hawkish',
  jpn: 'no-deals',
};

/** Wraps every strategy so that each view a bot is handed is kept, with the team it was handed to. */
function recording(seen: { team: string; view: BotView }[]): ReadonlyMap<string, BotStrategy> {
  const wrap = (s: BotStrategy): BotStrategy => {
    const keep = <T>(t: BotTurn, answer: T): T => {
      seen.push({ team: t.team, view: structuredClone(t.view) });
      return answer;
    };
    return {
      ...s,
      offer: (t) => keep(t, s.offer(t)),
      accepts: (t, d) => keep(t, s.accepts(t, d)),
      moves: (t) => keep(t, s.moves(t)),
      estimate: (t, l) => keep(t, s.estimate(t, l)),
    };
  };
  return new Map([...STRATEGIES].map(([id, s]) => [id, wrap(s)]));
}

async function botGame(seed: string, seen: { team: string; view: BotView }[] = [], scenario = tutorial) {
  const world = botWorld({ strategies: recording(seen), scenario });
  const game = await world.create({ seed });
  for (const [team, strategy] of Object.entries(LINEUP))
    await world.hands.assign(game.gameId, team, game.controlToken, { by: 'bot', strategy });
  await game.playToEnd();
  return { world, game, state: game.state() };
}

/** What a game came to, without the ids and times that differ between two runs of it. */
const outcome = (s: GameState) => ({
  history: s.history,
  taken: s.taken,
  ending: s.ending,
  deals: s.dealOrder.map((id) => {
    const d = s.deals[id];
    return [d.from, d.to, d.status, d.breakers, d.obligations.map((o) => [o.action, o.fulfilledRound])];
  }),
  said: allMessages(s).map((m) => [m.from, m.channel, m.round, m.text]),
});

test('a bot accepts only deals it can keep besides those it owes: the same step promised twice this round is not', () => {
  const g = new Game(tutorial, { phases: NO_CLOCKS }).seatAll(['us', 'dprk', 'prc', 'rok', 'jpn']);
  g.do(control, { type: 'game.start' });
  while (g.state.phase !== 'negotiation') g.do(control, { type: 'phase.advance' });
  const propose = (from: string, action: string, theirs: string, byRound = 1) => {
    g.do(teamActor(from), {
      type: 'deal.propose',
      to: ['us'],
      obligations: [
        { team: 'us', action, byRound },
        { team: from, action: theirs, byRound },
      ],
      secret: false,
      snapback: false,
      note: '',
    });
    return g.lastDealId();
  };
  const first = propose('dprk', 'us-talks', 'dprk-ny-channel');
  g.do(teamActor('us'), { type: 'deal.accept', dealId: first });
  const again = propose('prc', 'us-talks', 'prc-border-trade');
  const other = propose('rok', 'us-humanitarian-exemptions', 'rok-curb-leaflets');
  const later = propose('jpn', 'us-talks', 'jpn-summit-offer', 2);
  const view = viewFor(g.state, { kind: 'team', team: 'us' }, [...BOT_SECTIONS]) as BotView;
  const turn: BotTurn = { team: 'us', view, dice: new Dice(1), weights: botWeights(tutorial) };
  const deal = (id: string) => view.deals.find((d) => d.id === id)!;
  assert.is(canKeep(turn, deal(again)), false, 'talks are owed to the DPRK this round already');
  assert.is(canKeep(turn, deal(other)), true, 'another step fits the second slot');
  assert.is(canKeep(turn, deal(later)), true, 'talks again next round can be kept');
  assert.is(STRATEGIES.get('cooperative')!.accepts(turn, deal(again)), false);
});

test("a bot's estimate of another team's free-form move follows that team's record in the deals it can see", () => {
  const deal = (status: string, breakers: string[] = []) => ({ parties: ['us', 'dprk'], status, breakers });
  const turn = (deals: unknown[]): BotTurn => ({
    team: 'rok',
    view: { deals } as unknown as BotView,
    dice: new Dice(7),
    weights: botWeights(tutorial),
  });
  const line = (team: string) => ({ team }) as LineView;
  const fresh = trustedChance(turn([]), line('dprk'), 0.65);
  assert.ok(fresh >= 0.45 && fresh <= 0.55, `no record: about even (${fresh})`);
  const keeper = trustedChance(turn([deal('fulfilled'), deal('fulfilled'), deal('fulfilled')]), line('dprk'), 0.65);
  assert.ok(keeper >= 0.75, `three deals kept (${keeper})`);
  const breaker = trustedChance(turn([deal('broken', ['dprk']), deal('broken', ['dprk'])]), line('dprk'), 0.65);
  assert.ok(breaker <= 0.3, `two broken (${breaker})`);
  assert.is(trustedChance(turn([]), line('rok'), 0.65), 0.65, 'its own move');
});

test('five bots play the tutorial to the debrief, legally and each by its strategy', async () => {
  const seen: { team: string; view: BotView }[] = [];
  const { world, state: s } = await botGame('bots-1', seen);
  assert.is(s.phase, 'debrief');
  assert.is(s.round, tutorial.rounds);
  assert.equal(world.warnings, [], 'no bot move was refused');

  // Every bot locked a submission each round (the phase moved on by itself when the last one locked).
  for (let round = 1; round <= tutorial.rounds; round++)
    for (const team of Object.keys(LINEUP)) assert.ok(s.submissions[round]?.[team]?.locked, `${team} locked r${round}`);

  const deals = s.dealOrder.map((id) => s.deals[id]);
  // Cooperative US opens with a pair, keeps every deal it is in, and deals no more with the DPRK once cheated.
  assert.ok(deals.some((d) => d.from === 'us' && d.proposedRound === 1));
  assert.ok(
    deals.every((d) => !d.breakers.includes('us')),
    'the US never breaks a deal',
  );
  const firstBreak = Math.min(...deals.filter((d) => d.breakers.includes('dprk')).map((d) => d.settledRound ?? 99));
  assert.ok(
    deals.every((d) => !(d.from === 'us' && d.parties.includes('dprk')) || d.proposedRound <= firstBreak),
    'no US offer to the DPRK after the first break',
  );
  assert.ok(deals.every((d) => !(d.from === 'dprk' && d.proposedRound > firstBreak && d.acceptedBy.includes('us'))));
  // Pocketing DPRK accepts deals and breaks them; it also cheats in secret.
  assert.ok(
    deals.some((d) => d.acceptedBy.includes('dprk') && d.from !== 'dprk'),
    'the DPRK accepts a deal',
  );
  assert.ok(
    deals.some((d) => d.breakers.includes('dprk')),
    'the DPRK breaks a deal',
  );
  assert.ok(s.taken.some((t) => t.team === 'dprk' && t.covert));
  // Hawkish ROK and no-deals Japan accept nothing.
  for (const team of ['rok', 'jpn']) assert.ok(deals.every((d) => d.from === team || !d.acceptedBy.includes(team)));
  // China-heavy takes its most dependence-building step every round.
  const border = s.taken.filter((t) => t.team === 'prc' && t.actionId === 'prc-border-trade');
  assert.is(border.length, tutorial.rounds);
  // One in-character statement per bot per round, from the scenario's lines.
  for (const team of Object.keys(LINEUP)) {
    const lines = Object.values(tutorial.botLines![team]).flat();
    const said = allMessages(s).filter((m) => m.from === team && m.channel === 'plenary');
    assert.is(said.length, tutorial.rounds, `${team} speaks once a round`);
    assert.ok(said.every((m) => lines.includes(m.text) && m.name === 'Bot'));
  }

  // Each bot was handed its own team's view and nothing else: no other team's secret is in any of them.
  assert.ok(seen.length > 50);
  const secrets = scenarioSecrets(tutorial);
  const found: string[] = [];
  for (const team of Object.keys(LINEUP)) {
    const views = seen.filter((x) => x.team === team);
    assert.ok(views.every((x) => x.view.audience.team === team && x.view.me?.team === team));
    // Only the sections a bot decides on: no White Cell section, and nothing built that it does not read.
    assert.ok(views.every((x) => JSON.stringify(Object.keys(x.view)) === JSON.stringify(BOT_SECTIONS)));
    found.push(
      ...leaks(
        views.map((x) => ({
          event: 'bot-view',
          payload: x.view,
          after: contextOf({ ...x.view, reveals: [] } as never),
        })),
        secretsFor(tutorial, secrets, team),
        `${team} bot`,
      ),
    );
  }
  assert.equal(found, []);
});

test('the same seed plays the same bot game; another seed may not; the log replays byte for byte', async () => {
  const a = await botGame('bots-2');
  const b = await botGame('bots-2');
  assert.equal(outcome(a.state), outcome(b.state));
  const events = (await a.world.store.load(a.game.gameId, 1)) as GameEvent[];
  assert.is(JSON.stringify(fold(events)), JSON.stringify(a.state));
  // The dice matter: over a few seeds the no-deals bot's random picks differ somewhere.
  const others = await Promise.all(['bots-3', 'bots-4', 'bots-5'].map((seed) => botGame(seed)));
  const jpn = (s: GameState) => JSON.stringify(s.taken.filter((t) => t.team === 'jpn'));
  assert.ok(others.some((o) => jpn(o.state) !== jpn(a.state)));
});

test('the same seed and the same play give the bots the same answers and estimates, whatever ids were drawn', async () => {
  // Deal and line ids are drawn at random; a bot's dice keyed by them gave two runs of the same play different
  // estimates (and, for a strategy that weighs a proposal by chance, different answers).
  // A strategy that answers each proposal by its dice, as a strategy weighing a proposal by chance would.
  const coin: BotStrategy = { ...STRATEGIES.get('no-deals')!, id: 'coin', accepts: (t) => t.dice.next() < 0.5 };
  const strategies = new Map([...STRATEGIES, ['coin', coin]]);
  const play = async () => {
    const { world, game, offer } = await withHumanUs(
      'same-play',
      { dprk: 'coin', prc: 'no-deals', rok: 'no-deals', jpn: 'no-deals' },
      strategies,
    );
    // Eight proposals that say different things: the DPRK's two open steps, public and secret, due now or next round.
    for (const action of ['dprk-ny-channel', 'dprk-aid-monitors'])
      for (const secret of [false, true])
        for (const byRound of [1, 2]) {
          const ack = await offer('dprk', action, secret, byRound);
          assert.ok(ack.ok, JSON.stringify(ack));
        }
    await world.runner.idle();
    while (game.state().phase !== 'submission') await game.act({ type: 'phase.advance' });
    await world.runner.idle();
    const { actorOf } = await import('../../../server/games/seat.ts');
    const al = await world.lobby.join({ code: game.codes.teams.us, name: 'Al' });
    const us = actorOf((await world.lobby.authenticate(al.token))!);
    const freeform = { text: 'A quiet envoy to Pyongyang', intent: 'Talks', rationale: 'It worked before', open: true };
    for (const command of [{ type: 'draft.set', overt: [], covert: [], freeform }, { type: 'draft.lock' }])
      assert.ok((await world.games.submit(game.gameId, us, command as never)).ok, command.type);
    while (game.state().phase !== 'adjudication') await game.act({ type: 'phase.advance' });
    await world.runner.idle();
    const s = game.state();
    const line = s.adjudication!.lines.find((l) => l.freeform)!;
    return {
      lineId: line.id,
      dealId: s.dealOrder[0],
      estimates: line.freeform!.estimates,
      answers: s.dealOrder.map((id) => [s.deals[id].status, s.deals[id].acceptedBy]),
    };
  };
  const a = await play();
  const b = await play();
  assert.is.not(a.lineId, b.lineId, 'the ids differ between the runs');
  assert.is.not(a.dealId, b.dealId);
  assert.equal(Object.keys(a.estimates).sort(), ['dprk', 'jpn', 'prc', 'rok'], 'every bot estimated');
  assert.equal(b.estimates, a.estimates);
  assert.equal(b.answers, a.answers);
  const accepted = a.answers.filter(([status]) => status === 'accepted').length;
  assert.ok(accepted > 0 && accepted < 8, `the coin fell both ways (${accepted} of 8 accepted)`);
});

test('a cooperative bot plays nothing that harms the negotiation beyond the steps it owes, every team, every round', async () => {
  const chosen: { t: BotTurn; overt: string[] }[] = [];
  const base = STRATEGIES.get('cooperative')!;
  const watched: BotStrategy = {
    ...base,
    moves: (t) => {
      const m = base.moves(t);
      chosen.push({ t: structuredClone({ ...t, dice: undefined }) as unknown as BotTurn, overt: m.overt });
      return m;
    },
  };
  const world = botWorld({
    strategies: new Map([...STRATEGIES, ['cooperative', watched]]),
    scenario: flywheelScenario,
  });
  const game = await world.create({ seed: 'coop-harm' });
  for (const team of flywheelScenario.teams.map((x) => x.id))
    await world.hands.assign(game.gameId, team, game.controlToken, { by: 'bot', strategy: 'cooperative' });
  await game.playToEnd();
  assert.ok(chosen.length > 20);
  for (const { t, overt } of chosen) {
    const owed = new Set(owedSteps(t).map((o) => o.action));
    for (const id of overt) {
      const a = t.view.actions.find((x) => x.id === id)!;
      assert.ok(owed.has(id) || cooperation(t, a) >= 0, `${t.team} round ${t.view.game.round}: ${id} harms the talks`);
    }
  }
});

test('a seat goes bot → White Cell → its people → bot → back to its player; labels follow', async () => {
  const world = botWorld();
  const game = await world.create({ seed: 'hand' });
  const { gameId, controlToken } = game;
  const human = await world.lobby.join({ code: game.codes.teams.dprk, name: 'Kim' });
  await world.hands.assign(gameId, 'us', controlToken, { by: 'bot', strategy: 'cooperative' });
  const label = (team: string, audience = { kind: 'observer' as const }) => {
    const g = world.games.peek(gameId)!;
    const t = world.games.fullView(g, audience).view.teams.find((x) => x.id === team)!;
    return { bot: t.bot, whiteCell: t.whiteCell, players: t.players };
  };
  assert.equal(label('us'), { bot: true, whiteCell: false, players: 1 });
  // The strategy is for the White Cell's eyes: another team learns only that a bot plays.
  const dprkView = JSON.stringify(world.games.fullView(world.games.peek(gameId)!, { kind: 'team', team: 'dprk' }));
  assert.not.ok(dprkView.includes('cooperative'));
  const controlPlayers = world.games.fullView(world.games.peek(gameId)!, { kind: 'control' }).view.control!.players;
  assert.is(controlPlayers.find((p) => p.id === 'bot-us')?.bot, 'cooperative');

  // The White Cell takes the seat: the bot leaves, and the White Cell gets a team token of its own.
  const taken = await world.hands.assign(gameId, 'us', controlToken, { by: 'whiteCell' });
  assert.ok(taken.seat?.token);
  assert.equal(label('us'), { bot: false, whiteCell: true, players: 1 });
  const wcSeat = await world.lobby.authenticate(taken.seat!.token);
  assert.equal(wcSeat && { role: wcSeat.role, team: wcSeat.team }, { role: 'team', team: 'us' });
  assert.is(world.games.peek(gameId)!.state.players[taken.seat!.playerId].name, 'Facilitator (White Cell)');

  // Played by the White Cell through the players' path: its moves are on the record under its name.
  await game.act({ type: 'game.start' });
  await game.act({ type: 'phase.advance' });
  await game.act({ type: 'phase.advance' });
  const { actorOf } = await import('../../../server/games/seat.ts');
  const ack = await world.games.submit(gameId, actorOf(wcSeat!), {
    type: 'chat.post',
    channel: 'plenary',
    text: 'Washington speaks through its facilitator',
  });
  assert.ok(ack.ok);
  const said = allMessages(game.state()).at(-1)!;
  assert.equal([said.from, said.name], ['us', 'Facilitator (White Cell)']);

  // Back to the team's people: the White Cell's token stops working.
  await world.hands.assign(gameId, 'us', controlToken, { by: 'players' });
  assert.is(await world.lobby.authenticate(taken.seat!.token), null);
  assert.equal(label('us'), { bot: false, whiteCell: false, players: 0 });

  // The DPRK's person hands over to a bot mid-round, and the bot acts at once; then the person takes it back.
  await world.hands.assign(gameId, 'dprk', controlToken, { by: 'bot', strategy: 'cooperative' });
  await world.runner.idle();
  const s = game.state();
  assert.ok(
    s.dealOrder.some((id) => s.deals[id].from === 'dprk'),
    'the bot proposed a deal on taking the seat',
  );
  assert.equal(label('dprk'), { bot: true, whiteCell: false, players: 2 });
  // The DPRK's own player takes the seat back, without the White Cell; nobody else can.
  const code = async (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (err: { code?: string }) => err.code,
    );
  const other = await world.lobby.join({ code: game.codes.teams.prc, name: 'Li' });
  assert.is(await code(world.hands.reclaim(gameId, 'dprk', other.token)), 'NOT_ALLOWED');
  assert.is(await code(world.hands.reclaim(gameId, 'dprk', controlToken)), 'NOT_ALLOWED');
  assert.is(await code(world.hands.reclaim(gameId, 'dprk', 'nonsense')), 'UNAUTHORIZED');
  assert.equal(label('dprk'), { bot: true, whiteCell: false, players: 2 });
  await world.hands.reclaim(gameId, 'dprk', human.token);
  assert.equal(label('dprk'), { bot: false, whiteCell: false, players: 1 });
  assert.ok(await world.lobby.authenticate(human.token), "the team's own player keeps the seat");
  // And back to a bot again: the handover works both ways, as often as needed.
  await world.hands.assign(gameId, 'dprk', controlToken, { by: 'bot', strategy: 'hawkish' });
  assert.equal(label('dprk'), { bot: true, whiteCell: false, players: 2 });
  await world.hands.assign(gameId, 'dprk', controlToken, { by: 'players' });
  // With no bot seated, nothing more is played for the DPRK.
  const version = world.games.peek(gameId)!.version;
  world.runner.kick(gameId);
  await world.runner.idle();
  assert.is(world.games.peek(gameId)!.version, version);
});

test('after a restart the bots pick up where their game is', async () => {
  const before = botWorld();
  const game = await before.create({ seed: 'restart' });
  await before.hands.assign(game.gameId, 'us', game.controlToken, { by: 'bot', strategy: 'cooperative' });
  // The process "dies" before its bots get to negotiate.
  before.runner.close();
  await game.act({ type: 'game.start' });
  await game.act({ type: 'phase.advance' });
  await game.act({ type: 'phase.advance' });
  assert.is(game.state().phase, 'negotiation');
  assert.is(game.state().dealOrder.length, 0);

  const after = botWorld({ store: before.store });
  await after.games.start();
  after.runner.start();
  await after.runner.idle();
  const s = after.games.peek(game.gameId)!.state;
  assert.is(s.dealOrder.length, 1, 'the bot made its offer once the game was loaded again');
  assert.is(s.deals[s.dealOrder[0]].from, 'us');
});

test('bad seat requests change nothing', async () => {
  const world = botWorld();
  const game = await world.create({ seed: 'bad' });
  const version = world.games.peek(game.gameId)!.version;
  const refused = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'ok';
    } catch (err) {
      return (err as { code?: string }).code;
    }
  };
  assert.is(
    await refused(world.hands.assign(game.gameId, 'us', game.controlToken, { by: 'bot', strategy: 'nope' })),
    'UNKNOWN_STRATEGY',
  );
  assert.is(
    await refused(world.hands.assign(game.gameId, 'xx', game.controlToken, { by: 'whiteCell' })),
    'UNKNOWN_TEAM',
  );
  const player = await world.lobby.join({ code: game.codes.teams.us, name: 'Al' });
  assert.is(await refused(world.hands.assign(game.gameId, 'us', player.token, { by: 'whiteCell' })), 'NOT_ALLOWED');
  assert.is(await refused(world.hands.assign(game.gameId, 'us', undefined, { by: 'whiteCell' })), 'UNAUTHORIZED');
  assert.is(world.games.peek(game.gameId)!.version, version + 1, 'only the join was recorded');
});

test("bots judge by the scenario's weights, not its meters' ids: renamed meters play the same game", async () => {
  const renames: Record<string, string> = {
    trust: 'confidence',
    tension: 'strain',
    denuclearization: 'disarmament',
    dependence: 'reliance',
    economy: 'prosperity',
  };
  let text = JSON.stringify(tutorial);
  for (const [from, to] of Object.entries(renames)) text = text.replaceAll(`"${from}"`, `"${to}"`);
  const checked = validateScenario(JSON.parse(text));
  assert.ok(checked.ok, 'the renamed copy is a valid scenario');
  if (!checked.ok) return;
  assert.ok(checked.scenario.botWeights?.cooperation.confidence, 'the weights were renamed with the meters');

  const a = await botGame('bots-weights');
  const b = await botGame('bots-weights', [], checked.scenario);
  const { history: ha, ...rest } = outcome(a.state);
  const { history: hb, ...restRenamed } = outcome(b.state);
  assert.equal(restRenamed, rest, 'the same moves, deals and words');
  assert.equal(
    Object.fromEntries(
      Object.entries(hb).map(([meter, values]) => [
        Object.keys(renames).find((k) => renames[k] === meter) ?? meter,
        values,
      ]),
    ),
    ha,
  );
  assert.equal(b.world.warnings, []);

  // Without weights a bot values the momentum meter alone: it still plays every round legally to the debrief.
  const { botWeights: _weights, ...unweighted } = tutorial;
  const c = await botGame('bots-weights', [], unweighted);
  assert.is(c.state.phase, 'debrief');
  assert.equal(c.world.warnings, [], 'no bot move was refused');
  assert.not.equal(outcome(c.state).taken, rest.taken, 'the weights made a difference');
});

/** A tutorial game in negotiation, its bots seated as `bots` says, and a human US who can offer them a deal. */
async function withHumanUs(seed: string, bots: Record<string, string>, strategies?: ReadonlyMap<string, BotStrategy>) {
  const world = botWorld({ strategies });
  const game = await world.create({ seed });
  for (const [team, strategy] of Object.entries(bots))
    await world.hands.assign(game.gameId, team, game.controlToken, { by: 'bot', strategy });
  const al = await world.lobby.join({ code: game.codes.teams.us, name: 'Al' });
  const { actorOf } = await import('../../../server/games/seat.ts');
  const us = actorOf((await world.lobby.authenticate(al.token))!);
  await game.act({ type: 'game.start' });
  while (game.state().phase !== 'negotiation') await game.act({ type: 'phase.advance' });
  /** The US's talks for `action` of `team`, both this round: a proposal on its way. */
  const offer = (team: string, action: string, secret: boolean, byRound = 1) =>
    world.games.submit(game.gameId, us, {
      type: 'deal.propose',
      to: [team],
      obligations: [
        { team: 'us', action: 'us-talks', byRound },
        { team, action, byRound },
      ],
      secret,
      snapback: false,
      note: '',
    } as never);
  return { world, game, offer };
}

/**
 * China's bot statement in round 1 after the US has dealt with it as `dealing` says (China played by `strategy`), as
 * the observer reads it.
 */
async function chinaSays(strategy: string, dealing: 'none' | 'secret' | 'public') {
  const { world, game, offer } = await withHumanUs('words', { prc: strategy });
  if (dealing !== 'none') {
    assert.ok((await offer('prc', 'prc-host-talks', dealing === 'secret')).ok);
    await world.runner.idle();
  }
  while (game.state().phase !== 'submission') await game.act({ type: 'phase.advance' });
  await world.runner.idle();
  const v = world.games.fullView(world.games.peek(game.gameId)!, { kind: 'observer' }).view;
  const said = v.messages.filter((m) => m.from === 'prc' && m.channel === 'plenary').map((m) => m.text);
  assert.is(said.length, 1);
  return { said: said[0], deals: v.deals.length };
}

test("a bot's public statement follows only what every seat sees: not a secret deal, not a refusal", async () => {
  const lines = tutorial.botLines!.prc;
  // Accepting a secret deal, or turning down a proposal, leaves China's bot saying what it says with no dealings.
  const quiet = await chinaSays('cooperative', 'none');
  assert.ok(lines.opening.includes(quiet.said));
  const secret = await chinaSays('cooperative', 'secret');
  assert.is(secret.deals, 0, 'the observer sees no deal');
  assert.is(secret.said, quiet.said, 'nor does the statement tell of one');
  const refused = await chinaSays('hawkish', 'public');
  assert.is(refused.deals, 0, 'a refusal is never public');
  assert.is(refused.said, (await chinaSays('hawkish', 'none')).said);
  // A public deal is everyone's news, and the bot speaks to it.
  const agreed = await chinaSays('cooperative', 'public');
  assert.is(agreed.deals, 1);
  assert.ok(lines.agreed.includes(agreed.said), agreed.said);
});

/**
 * The public moves of the DPRK's and China's bots in round 1, in the order they were made (statements and locks),
 * after the US sent the DPRK a secret proposal just as negotiation closed, or sent nothing.
 */
async function publicOrder(secretProposal: boolean) {
  const { world, game, offer } = await withHumanUs('order', { dprk: 'cooperative', prc: 'cooperative' });
  // Both are queued before the bots get a turn: the proposal waits for the DPRK's answer in submission.
  const sent = secretProposal ? offer('dprk', 'dprk-ny-channel', true) : null;
  await game.act({ type: 'phase.advance' });
  if (sent) assert.ok((await sent).ok);
  assert.is(game.state().round, 1);
  const events = (await world.store.load(game.gameId, 1)) as GameEvent[];
  if (secretProposal) assert.ok(events.some((e) => e.type === 'DealAccepted' || e.type === 'DealRejected'));
  // From the opening of submission: the bots' moves, hidden ones as such.
  const opened = events.findIndex((e) => e.type === 'PhaseChanged' && e.phase === 'submission');
  return events
    .slice(opened + 1)
    .flatMap((e) =>
      e.type === 'MessagePosted' && e.message.channel === 'plenary'
        ? [`${e.message.from} speaks`]
        : e.type === 'DraftLocked'
          ? [`${e.team} locks`]
          : ['(hidden)'],
    );
}

test('bots make their public moves in the same order whatever hidden moves they had to make first', async () => {
  const seen = (moves: string[]) => moves.filter((m) => m !== '(hidden)');
  const plain = await publicOrder(false);
  const answering = await publicOrder(true);
  assert.equal(seen(plain), ['dprk speaks', 'prc speaks', 'dprk locks', 'prc locks']);
  assert.equal(seen(answering), seen(plain), 'a secret proposal to answer does not move the DPRK behind China');
  // The bots speak before anything private, so not even when they speak tells of the answer; they lock after it.
  assert.equal(answering.slice(0, 2), ['dprk speaks', 'prc speaks']);
  assert.ok(answering.indexOf('dprk locks') > answering.lastIndexOf('(hidden)'));
});

test("other teams' hidden proposals cannot use up a bot's moves and keep it from locking", async () => {
  // A bot makes at most 40 moves of its own a phase (a guard against a strategy that never settles). Its answers to
  // proposals counted among them, so a burst of secret proposals kept it from drafting and locking: a hidden act
  // that every seat saw, as a team that never locked, and a way to take a bot out of a round. Four teams each
  // send as many as may wait at once.
  const { world, game, offer } = await withHumanUs('flood', { dprk: 'cooperative' });
  const { actorOf } = await import('../../../server/games/seat.ts');
  const own: Record<string, string> = { prc: 'prc-host-talks', rok: 'rok-curb-leaflets', jpn: 'jpn-summit-offer' };
  const sent = Array.from({ length: MAX_OPEN_PROPOSALS }, () => offer('dprk', 'dprk-ny-channel', true));
  for (const [team, action] of Object.entries(own)) {
    const joined = await world.lobby.join({ code: game.codes.teams[team], name: `${team} lead` });
    const actor = actorOf((await world.lobby.authenticate(joined.token))!);
    for (let n = 0; n < MAX_OPEN_PROPOSALS; n++)
      sent.push(
        world.games.submit(game.gameId, actor, {
          type: 'deal.propose',
          to: ['dprk'],
          obligations: [
            { team, action, byRound: 1 },
            { team: 'dprk', action: 'dprk-ny-channel', byRound: 1 },
          ],
          secret: true,
          snapback: false,
          note: '',
        } as never),
      );
  }
  await game.act({ type: 'phase.advance' });
  for (const ack of await Promise.all(sent)) assert.ok(ack.ok);
  await world.runner.idle();
  const s = game.state();
  assert.is(s.phase, 'submission');
  const answered = s.dealOrder.filter((id) => s.deals[id].to.includes('dprk') && s.deals[id].status !== 'proposed');
  assert.is(answered.length, 4 * MAX_OPEN_PROPOSALS, 'the bot answered every proposal');
  assert.ok(s.drafts.dprk?.locked, 'and still drafted and locked its move');
  assert.equal(world.warnings, []);
});

test('on the Flywheel exercise, bots never draft a one-off step they have already taken', async () => {
  // The no-deals bot picks at random from its open menu, so over six rounds it meets its spent one-offs; it stalled
  // on one (its draft refused again after every update, never locking) while the view still called it open.
  const flywheel = Scenario.parse(
    JSON.parse(readFileSync(new URL('../../../scenarios/flywheel-2022.json', import.meta.url), 'utf8')),
  );
  for (const seed of ['once-1', 'once-2', 'once-3']) {
    const world = botWorld({ scenario: flywheel });
    const game = await world.create({ seed });
    for (const team of ['us', 'dprk', 'prc', 'rok', 'jpn'])
      await world.hands.assign(game.gameId, team, game.controlToken, { by: 'bot', strategy: 'no-deals' });
    await game.playToEnd();
    const s = game.state();
    assert.is(s.phase, 'debrief', seed);
    assert.equal(world.warnings, [], `${seed}: no bot move was refused`);
    for (let round = 1; round <= s.round; round++)
      for (const team of ['us', 'dprk', 'prc', 'rok', 'jpn'])
        assert.ok(s.submissions[round]?.[team]?.locked, `${seed}: ${team} locked r${round}`);
  }
});

test.run();
