// What one command costs on the engine path — decide, evolve, and the patches for every audience (built, diffed and
// serialized) — in a given game state. Used by `npm run bench:engine` to compare a fresh game with a long one.
import { audiences, decide, evolve, isDomainError, type GameState } from '../server/engine/index.ts';
import { markCommand } from '../server/games/audience-versions.ts';
import { ViewCache } from '../server/games/view-cache.ts';
import { control, teamActor } from '../test/helpers/engine.ts';

/**
 * Mean microseconds per plenary chat command, over `rounds` runs of `perRound` commands each played on from `start`
 * (short runs, so that a fresh game stays fresh; the caches are rebuilt between runs, untimed).
 */
export function chatCommandCost(start: GameState, rounds: number, perRound = 50): number {
  let views = new ViewCache(start.id);
  let state = start;
  let version = 1;
  const reset = () => {
    views = new ViewCache(start.id);
    state = start;
    version = 1;
    for (const a of audiences(state)) views.full(state, version, a);
  };
  const teams = start.scenario.teams.map((t) => t.id);
  let now = start.endedAt ?? 1_800_000_000_000;
  let sink = 0;
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      const team = teams[i % teams.length];
      now += 1000;
      const out = decide(state, {
        command: { type: 'chat.post', channel: 'plenary', text: `Line ${i}: what would you give for a freeze?` },
        actor: teamActor(team),
        now,
        ids: [`bench-${version}`],
      });
      if (isDomainError(out)) throw new Error(out.message);
      let next = state;
      for (const e of out) next = evolve(next, e);
      const patches = views.update(state, next, version, version + 1, () => true);
      for (const p of patches) sink += JSON.stringify(p.patch).length;
      state = next;
      version++;
    }
  };
  reset();
  run(perRound); // warm up
  let ms = 0;
  for (let r = 0; r < rounds; r++) {
    reset();
    const t = performance.now();
    run(perRound);
    ms += performance.now() - t;
  }
  const us = (ms * 1000) / (rounds * perRound);
  if (sink === 0) throw new Error('no patches were sent');
  return us;
}

/** Mean microseconds per phase change, by stage, and the bytes of the patches it sends to all audiences. */
export interface PhaseChangeCost {
  changes: number;
  decide: number;
  /** Which audiences' views the change moves (recorded in the log as `seen`): markCommand, the view cache's diff. */
  marking: number;
  evolve: number;
  /** The view cache's patches for every audience, serialized as Socket.IO would. */
  patches: number;
  bytes: number;
}

/**
 * What the White Cell's `phase.advance` costs on the server's engine path, as `Games` runs it (decide, markCommand, evolve,
 * the view cache), from `start` (a game in its briefing) on through the phases a control command can move, `runs`
 * times over; the dearest update a game makes, since most sections of every audience's view change with the phase.
 */
export function phaseChangeCost(start: GameState, runs: number): PhaseChangeCost {
  const sum = { changes: 0, decide: 0, marking: 0, evolve: 0, patches: 0, bytes: 0 };
  for (let run = 0; run < runs; run++) {
    const views = new ViewCache(start.id);
    let state = start;
    let version = 1;
    let now = 1_800_000_000_000;
    for (const a of audiences(state)) views.full(state, version, a);
    for (let k = 0; k < 12; k++) {
      now += 1000;
      const t0 = performance.now();
      const events = decide(state, { command: { type: 'phase.advance' }, actor: control, now, ids: [`p${k}`] });
      if (isDomainError(events)) break;
      const t1 = performance.now();
      // As Games runs it: the view cache's diff of the command says which audiences it changes, and its sections
      // are those of the patches.
      const { events: marked, diff } = markCommand(views, state, events, version);
      const t2 = performance.now();
      let next = state;
      for (const e of marked) next = evolve(next, e);
      const t3 = performance.now();
      let bytes = 0;
      for (const p of views.update(state, next, version, version + 1, () => true, diff))
        bytes += JSON.stringify(p.patch).length;
      const t4 = performance.now();
      sum.changes++;
      sum.decide += t1 - t0;
      sum.marking += t2 - t1;
      sum.evolve += t3 - t2;
      sum.patches += t4 - t3;
      sum.bytes += bytes;
      state = next;
      version++;
    }
  }
  const mean = (ms: number) => (ms * 1000) / Math.max(1, sum.changes);
  return {
    changes: sum.changes,
    decide: mean(sum.decide),
    marking: mean(sum.marking),
    evolve: mean(sum.evolve),
    patches: mean(sum.patches),
    bytes: sum.bytes / Math.max(1, sum.changes),
  };
}
