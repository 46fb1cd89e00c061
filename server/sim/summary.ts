// Sums up many games of one plan: the ending distribution, mean rounds, meters and scores.
import type { GameResult } from './play.ts';

export interface Summary {
  games: number;
  endings: Record<string, number>;
  meanRounds: number;
  meanMeters: Record<string, number>;
  meanScores: Record<string, { total: number; max: number }>;
  exposedShare: number;
  cheatedShare: number;
  meanMainPairs: number;
  meanErodedRounds: number;
  /** Mean of each meter at each round end, over games (a game that ended early keeps its last value). */
  meanHistory: Record<string, number[]>;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export function summarize(rs: GameResult[], rounds: number): Summary {
  const endings: Record<string, number> = {};
  for (const r of rs) endings[r.ending] = (endings[r.ending] ?? 0) + 1;
  const meters = Object.keys(rs[0]?.meters ?? {});
  const teams = Object.keys(rs[0]?.scores ?? {});
  const meanHistory: Record<string, number[]> = {};
  for (const m of meters)
    meanHistory[m] = Array.from({ length: rounds + 1 }, (_, i) =>
      mean(rs.map((r) => r.history[m][Math.min(i, r.history[m].length - 1)])),
    );
  return {
    games: rs.length,
    endings,
    meanRounds: mean(rs.map((r) => r.endingRound)),
    meanMeters: Object.fromEntries(meters.map((m) => [m, mean(rs.map((r) => r.meters[m]))])),
    meanScores: Object.fromEntries(
      teams.map((t) => [t, { total: mean(rs.map((r) => r.scores[t].total)), max: rs[0].scores[t].max }]),
    ),
    exposedShare: mean(rs.map((r) => (r.exposed ? 1 : 0))),
    cheatedShare: mean(rs.map((r) => (r.cheated ? 1 : 0))),
    meanMainPairs: mean(rs.map((r) => r.mainPairs)),
    meanErodedRounds: mean(rs.map((r) => r.erodedRounds)),
    meanHistory,
  };
}

export const share = (s: Summary, ending: string) => (s.endings[ending] ?? 0) / s.games;
