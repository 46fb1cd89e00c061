// Renaming and moving a player in the engine: seat.rename and seat.move come from the server only, are recorded as
// PlayerRenamed / PlayerReseated, show through each audience's view, and a log holding them replays byte for byte.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { audiences, Dice, fold, viewFor, type Actor, type GameEvent } from '../../../server/engine/index.ts';
import { forkEvents } from '../../../server/record/fork.ts';
import { replaySteps, stateAt, viewAt } from '../../../server/record/replay.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { control, Game, given, system, teamActor } from '../../helpers/engine.ts';
import { randomStep } from '../../helpers/random-play.ts';

const teammates = (g: Game, team: string) =>
  viewFor(g.state, { kind: 'team', team }).me?.teammates.map((p) => `${p.id}:${p.name}`) ?? [];

test('rename and move show in the views of those who see the player, and leave the others alone', () => {
  const g = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  g.do(system, { type: 'seat.take', playerId: 'p-us2', name: 'Second', role: 'us' });
  g.do(system, { type: 'seat.rename', playerId: 'p-us2', name: 'Deuxième' });
  assert.equal(teammates(g, 'us'), ['p-us:us-player', 'p-us2:Deuxième']);
  assert.is(viewFor(g.state, { kind: 'control' }).control?.players.find((p) => p.id === 'p-us2')?.name, 'Deuxième');
  g.do(system, { type: 'seat.move', playerId: 'p-us2', role: 'prc' });
  assert.equal(teammates(g, 'us'), ['p-us:us-player']);
  assert.equal(teammates(g, 'prc'), ['p-prc:prc-player', 'p-us2:Deuxième']);
  const teams = viewFor(g.state, { kind: 'observer' }).teams;
  assert.is(teams.find((t) => t.id === 'us')?.players, 1);
  assert.is(teams.find((t) => t.id === 'prc')?.players, 2);
  assert.equal(
    g.log.slice(-2).map((e) => ({ ...e, at: 0 })),
    [
      { type: 'PlayerRenamed', playerId: 'p-us2', from: 'Second', name: 'Deuxième', at: 0 },
      { type: 'PlayerReseated', playerId: 'p-us2', from: 'us', to: 'prc', at: 0 },
    ],
  );
});

test('refusals: only the server, known players and teams, no name twice on a seat, no bots; repeats are nothing', () => {
  const g = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  g.do(system, { type: 'seat.take', playerId: 'bot-us', name: 'Bot', role: 'us', bot: 'cautious' });
  g.do(system, { type: 'seat.take', playerId: 'p-us2', name: 'Ann', role: 'us' });
  const at = given(g.log);
  const code = (actor: Parameters<typeof at.when>[0], command: Parameters<typeof at.when>[1]) =>
    at.when(actor, command).error?.code;
  assert.is(code(control, { type: 'seat.rename', playerId: 'p-us', name: 'X' }), 'NOT_ALLOWED');
  assert.is(code(teamActor('us'), { type: 'seat.move', playerId: 'p-us', role: 'prc' }), 'NOT_ALLOWED');
  assert.is(code(system, { type: 'seat.rename', playerId: 'nobody', name: 'X' }), 'UNKNOWN_PLAYER');
  assert.is(code(system, { type: 'seat.move', playerId: 'nobody', role: 'prc' }), 'UNKNOWN_PLAYER');
  assert.is(code(system, { type: 'seat.move', playerId: 'p-us', role: 'mars' }), 'UNKNOWN_TEAM');
  assert.is(code(system, { type: 'seat.move', playerId: 'bot-us', role: 'prc' }), 'NOT_ALLOWED');
  assert.is(code(system, { type: 'seat.rename', playerId: 'p-us', name: ' ANN ' }), 'NAME_TAKEN');
  assert.is(code(system, { type: 'seat.rename', playerId: 'p-us', name: ' ' }), 'BAD_NAME');
  assert.is(code(system, { type: 'seat.rename', playerId: 'p-us', name: 'x'.repeat(41) }), 'BAD_NAME');
  assert.is(code(system, { type: 'seat.move', playerId: 'p-us2', role: 'dprk' }), undefined);
  assert.equal(at.when(system, { type: 'seat.move', playerId: 'p-us', role: 'us' }), { error: null, events: [] });
  assert.equal(at.when(system, { type: 'seat.rename', playerId: 'p-us', name: 'us-player' }), {
    error: null,
    events: [],
  });
  // The same name on another seat is another person.
  assert.is(code(system, { type: 'seat.rename', playerId: 'p-dprk', name: 'ann' }), undefined);
});

test('a White Cell member playing a team is one no longer once moved to the observers', () => {
  const g = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  g.do(system, { type: 'seat.take', playerId: 'wc-us', name: 'Control (White Cell)', role: 'us', whiteCell: true });
  g.do(system, { type: 'seat.move', playerId: 'wc-us', role: 'dprk' });
  assert.is(g.state.players['wc-us'].whiteCell, true);
  g.do(system, { type: 'seat.move', playerId: 'wc-us', role: 'observer' });
  assert.is(g.state.players['wc-us'].whiteCell, undefined);
  assert.is(g.state.players['wc-us'].role, 'observer');
});

test('a log with renames and moves among random play replays byte for byte, at every version and for every audience', () => {
  for (let seed = 1; seed <= 3; seed++) {
    const g = new Game(mini, { seed: `seats-${seed}` }).seatAll(['us', 'dprk', 'prc']);
    g.marking = true;
    g.do(system, { type: 'seat.take', playerId: 'mover', name: 'Mover', role: 'us' });
    const d = new Dice(seed * 7919);
    const roles = ['us', 'dprk', 'prc', 'observer', 'control'];
    let moves = 0;
    for (let i = 0; i < 150; i++) {
      if (i % 15 === 7) {
        const to = roles[(++moves + seed) % roles.length];
        g.try(system, { type: 'seat.move', playerId: 'mover', role: to });
        g.try(system, { type: 'seat.rename', playerId: 'mover', name: `Mover ${i}` });
        continue;
      }
      const step = randomStep(g.state, d);
      g.advance(step.advanceMs);
      g.try(step.actor, step.command);
    }
    const kinds = new Set(g.log.map((e) => e.type));
    assert.ok(kinds.has('PlayerRenamed') && kinds.has('PlayerReseated'), `seed ${seed}: both events were played`);
    // As stored: plain JSON, read back.
    const stored = JSON.parse(JSON.stringify(g.log)) as GameEvent[];
    assert.is(JSON.stringify(fold(stored)), JSON.stringify(g.state), `seed ${seed}: the fold is the live state`);
    assert.is(JSON.stringify(fold(stored)), JSON.stringify(fold(stored)), 'folding twice gives the same bytes');
    // Every version, every audience: the view from the replayed prefix is the view folded step by step.
    let state = fold(stored.slice(0, 1));
    for (let v = 2; v <= stored.length; v++) {
      state = fold(stored.slice(v - 1, v), state);
      if (v % 5 && v !== stored.length) continue;
      assert.is(JSON.stringify(stateAt(stored, v)), JSON.stringify(state), `seed ${seed}, state at ${v}`);
      for (const a of audiences(state))
        assert.is(JSON.stringify(viewAt(stored, v, a)), JSON.stringify(viewFor(state, a)), `seed ${seed}, v${v}`);
    }
    // The White Cell's scrubber names the seat changes where they happened.
    const named = replaySteps(stored, { kind: 'control' }).map((s) => s.event);
    assert.ok(named.some((e) => e === 'PlayerReseated') && named.some((e) => e === 'PlayerRenamed'));
  }
});

test('a player the game holds elsewhere, or no longer holds, is refused in the seat they left', () => {
  const g = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' });
  const chat = (actor: Actor) => g.try(actor, { type: 'chat.post', channel: 'plenary', text: 'hello' });
  assert.is(chat(teamActor('us')), null, 'seated: heard');
  g.do(system, { type: 'seat.move', playerId: 'p-us', role: 'prc' });
  assert.is(chat(teamActor('us'))?.code, 'SEAT_CHANGED', 'moved: not as the US any more');
  assert.is(chat({ kind: 'team', team: 'prc', playerId: 'p-us', name: 'us-player' }), null, 'but as China');
  g.do(system, { type: 'seat.leave', playerId: 'p-dprk' });
  assert.is(chat(teamActor('dprk'))?.code, 'SEAT_CHANGED', 'signed out');
  // The White Cell and observers alike.
  g.do(system, { type: 'seat.take', playerId: 'p-wc', name: 'Wanda', role: 'control' });
  g.do(system, { type: 'seat.leave', playerId: 'p-wc' });
  assert.is(g.try({ kind: 'control', playerId: 'p-wc', name: 'Wanda' }, { type: 'game.pause' })?.code, 'SEAT_CHANGED');
  // A player whose seat the game has yet to record (their socket came first) is heard.
  assert.is(chat({ kind: 'team', team: 'us', playerId: 'p-new', name: 'New' }), null);
});

test('a fork copies no renames or moves: its seats are its own', () => {
  const g = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  g.do(system, { type: 'seat.rename', playerId: 'p-us', name: 'Renamed' });
  g.do(system, { type: 'seat.move', playerId: 'p-us', role: 'observer' });
  g.do(control, { type: 'game.start' });
  const events = forkEvents(g.log, 0, 'forkgame0001', 'seed', g.now + 1);
  assert.ok(Array.isArray(events));
  assert.not.ok(
    (events as GameEvent[]).some((e) => e.type === 'PlayerRenamed' || e.type === 'PlayerReseated'),
    'no seat change is copied',
  );
  assert.equal(fold(events as GameEvent[]).players, {});
});

test.run();
