// npm run bench:engine — how fast the pure engine folds a long log and projects a mid-game state for every audience,
// and how large each audience's whole view is at the end of the long game.
// Figures go in notes and docs, never in test asserts.
import { existsSync, readFileSync } from 'node:fs';
import { Scenario } from '../shared/scenario.ts';
import { mini } from '../test/fixtures/mini-scenario.ts';
import { longGame } from './long-game.ts';
import { chatCommandCost, phaseChangeCost } from './command-cost.ts';
import { Game, control } from '../test/helpers/engine.ts';
import { audiences, catalogueFor, fold, viewFor, wireView, type GameEvent } from '../server/engine/index.ts';

const file = 'scenarios/flywheel-2022.json';
const scenario = existsSync(file) ? Scenario.parse(JSON.parse(readFileSync(file, 'utf8'))) : mini;

const { game, midState } = longGame(scenario);
const log: GameEvent[] = game.log;
const mid = { state: midState };
const reps = 20;
fold(log); // warm up
let t = performance.now();
for (let i = 0; i < reps; i++) fold(log);
const foldMs = (performance.now() - t) / reps;

const who = audiences(mid.state);
for (let i = 0; i < 50; i++) for (const a of who) viewFor(mid.state, a);
const viewReps = 500;
t = performance.now();
for (let i = 0; i < viewReps; i++) for (const a of who) JSON.stringify(wireView(mid.state, a));
const viewsMs = (performance.now() - t) / viewReps;
const bytes = who.map((a) => JSON.stringify(wireView(mid.state, a)).length);
const stateBytes = JSON.stringify(fold(log)).length;

console.log(`scenario: ${scenario.id}`);
console.log(
  `replay: ${log.length} events folded in ${foldMs.toFixed(1)} ms ` +
    `-> ${Math.round(log.length / (foldMs / 1000)).toLocaleString('en')} events/s`,
);
console.log(
  `views: all ${who.length} views of a mid-game state (round ${mid.state.round}) built and serialized ` +
    `in ${viewsMs.toFixed(2)} ms`,
);
console.log(`view sizes (bytes): ${who.map((a, i) => `${a.kind === 'team' ? a.team : a.kind}=${bytes[i]}`).join(' ')}`);
console.log(`final state: ${stateBytes} bytes of JSON`);

// What a (re)connecting seat is sent at the end of the long game: its whole view as it travels (latest reveal only,
// the actions' changing part), beside the whole projection the record and the export keep.
const end = game.state;
const label = (a: (typeof who)[number]) => (a.kind === 'team' ? a.team : a.kind);
const endWho = audiences(end);
const sizes = (f: (a: (typeof who)[number]) => unknown) =>
  endWho.map((a) => `${label(a)}=${JSON.stringify(f(a)).length}`).join(' ');
console.log(`end of the long game: phase ${end.phase}, round ${end.round}, ${end.reveals.length} reveals`);
console.log(`whole views at the end of the long game (bytes): ${sizes((a) => wireView(end, a))}`);
console.log(`whole projections at the end (record, export; bytes): ${sizes((a) => viewFor(end, a))}`);
console.log(`catalogues, fetched once (bytes): ${sizes((a) => catalogueFor(end, a))}`);
const team = endWho[0];
const bySection = (v: object) =>
  Object.entries(v)
    .map(([k, x]) => [k, JSON.stringify(x).length] as const)
    .sort((p, q) => q[1] - p[1])
    .map(([k, n]) => `${k}=${n}`)
    .join(' ');
console.log(`sections of ${label(team)}'s whole view at the end (bytes): ${bySection(wireView(end, team))}`);
console.log(`sections of ${label(team)}'s whole projection at the end (bytes): ${bySection(viewFor(end, team))}`);

// Flat cost: one plenary chat line in a fresh game against one at the end of a long session.
const fresh = new Game(scenario, { seed: 7, autoApprove: false });
fresh.seatAll(scenario.teams.map((t) => t.id)).do(control, { type: 'game.start' });
chatCommandCost(fresh.state, 5); // warm up both paths before either is timed
chatCommandCost(game.state, 5);
const short = chatCommandCost(fresh.state, 40);
const long = chatCommandCost(game.state, 40);
const endMessages = Object.values(game.state.messages).flat(2).length;
console.log(
  `per-command cost (decide, evolve, patches for ${who.length} audiences): fresh game ${short.toFixed(0)} µs, ` +
    `after ${endMessages} chat lines ${long.toFixed(0)} µs`,
);
console.log(`per-command cost, long/short history: ${(long / short).toFixed(2)}×`);

// The dearest update: the White Cell moving the phase, which changes most sections of every audience's view.
phaseChangeCost(fresh.state, 5); // warm up
const phase = phaseChangeCost(fresh.state, 40);
console.log(
  `per phase change (${phase.changes} timed, phase.advance from the briefing on): decide ${phase.decide.toFixed(0)} µs, ` +
    `marking the audiences ${phase.marking.toFixed(0)} µs, evolve ${phase.evolve.toFixed(0)} µs, patches for ${who.length} ` +
    `audiences ${phase.patches.toFixed(0)} µs; ${phase.bytes.toFixed(0)} bytes of patches`,
);
