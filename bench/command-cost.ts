// What one command costs on the engine path — decide, evolve, and the patches for every audience (built, diffed and
// serialized) — in a given game state. Used by `npm run bench:engine` to compare a fresh game with a long one.
import { audiences, decide, evolve, isDomainError, type GameState } from '../server/engine/index.ts';
import { ViewCache } from '../server/games/view-cache.ts';
import { teamActor } from '../test/helpers/engine.ts';

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
