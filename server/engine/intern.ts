// Games of the same scenario share one copy of it. Every game's log starts with the whole scenario (so that the log
// alone replays the game), and each load from disk or Redis would otherwise hold its own parsed copy: for the full
// Flywheel exercise that is hundreds of kilobytes a game. The copy is read-only everywhere, so sharing is safe.
import type { Scenario } from '../../shared/scenario.ts';
import type { GameState } from './types.ts';

const byContent = new Map<string, Scenario>();
const LIMIT = 64;

export function internScenario(s: Scenario): Scenario {
  const key = JSON.stringify(s);
  const known = byContent.get(key);
  if (known) return known;
  if (byContent.size >= LIMIT) byContent.delete(byContent.keys().next().value!);
  byContent.set(key, s);
  return s;
}

/** A state whose scenario is the shared copy (for states read back from a snapshot). */
export function internState(state: GameState): GameState {
  const scenario = internScenario(state.scenario);
  return scenario === state.scenario ? state : { ...state, scenario };
}
