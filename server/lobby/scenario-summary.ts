// What the lobby shows of a scenario before a game exists: public facts only (no briefings, objectives or actions).
import type { Scenario } from '../../shared/scenario.ts';
import type { ScenarioSummary } from '../../shared/protocol.ts';
import { roundSpan } from '../../shared/rounds.ts';

export function summarize(s: Scenario): ScenarioSummary {
  return {
    id: s.id,
    title: s.title,
    summary: s.summary,
    rounds: s.rounds,
    roundSpan: roundSpan(s),
    phases: { ...s.phases },
    presets: (s.presets ?? []).map((p) => ({
      id: p.id,
      name: p.name,
      rounds: p.rounds,
      phases: { ...p.phases },
      minutes: p.minutes ?? null,
    })),
    teams: s.teams.map((t) => ({
      id: t.id,
      name: t.name,
      short: t.short,
      color: t.color,
      variants: (t.variants ?? []).map((v) => ({ id: v.id, name: v.name })),
    })),
  };
}
