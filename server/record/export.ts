// The research export of a game for one audience: a JSON record and a zip of CSV tables, built from the event log
// through the engine's one projection gate. The White Cell's export holds the whole log; a team's (or observers')
// holds only what that audience saw: its final view, the versions at which its view changed, and tables read off it.
import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { fold, audienceKey, seedChosen, type Audience, type GameEvent, type GameState } from '../engine/index.ts';
import type { GameView } from '../../shared/views.ts';
import { toCsv } from './csv.ts';
import { pseudonymise, pseudonymsFor } from './pseudonyms.ts';
import { TABLES } from './tables.ts';
import { observe } from './timings.ts';
import { recordView, type ReplayStep } from './replay.ts';
import { afterActionReport, type ReportTimings } from '../../shared/report.ts';
import { afterActionReportHtml } from '../../shared/report-html.ts';
import { isOverPhase } from '../../shared/phases.ts';

export const EXPORT_FORMAT = 'flywheel-export/1';

export interface ExportOptions {
  pseudonymise?: boolean;
}

export interface ExportJson {
  format: typeof EXPORT_FORMAT;
  gameId: string;
  audience: string;
  pseudonymised: boolean;
  /** The scenario's id, and a hash of its exact content as played (edits included): its version. */
  scenario: { id: string; title: string; sha256: string };
  options: Record<string, unknown>;
  /** The game this one was forked from, if any. */
  parent: { gameId: string; round: number; version?: number; at: number } | null;
  /**
   * The White Cell's: the log's length when exported, and the time of its last event. Anyone else's: the number of
   * its last step (its own count of changes) and that step's time.
   */
  version: number;
  at: number;
  /** The dice: the commitment published at the start (if the server publishes one), and the seed once revealed. */
  dice: { commitment: string | null; seed: string | null };
  /** Meter values by round (index 0 is the start), as the audience saw them. */
  metersByRound: Record<string, number[]>;
  /** Every version at which this audience's view changed (numbered as `version` is). */
  steps: ReplayStep[];
  /** The audience's whole view at the end, with every line of its channels. */
  view: GameView;
  /** The event log itself: the White Cell's export only. Folding it gives the game's state byte for byte. */
  events?: GameEvent[];
}

export interface GameExport {
  json: ExportJson;
  /** file name -> CSV text */
  tables: Record<string, string>;
  /** Phase lengths and times to lock, as this audience saw them (for the report). */
  timings: ReportTimings;
}

/**
 * The dice as the audience may know them: read from its view, which holds them once they may be shown (the debrief
 * reveals the seed to every audience; the White Cell's console holds a seed its creator chose from the start).
 */
function diceOf(view: GameView, state: GameState, control: boolean) {
  const g = view.game as GameView['game'] & { dice?: { commitment?: string | null; seed?: string | null } };
  const kept = (state as GameState & { dice?: { commitment?: string } }).dice;
  return {
    commitment: g.dice?.commitment ?? (control ? (kept?.commitment ?? null) : null),
    seed: g.dice?.seed ?? view.debrief?.dice.seed ?? view.control?.seed ?? null,
  };
}

/** Options as the audience may know them: the White Cell has them all; others, what their view's header shows. */
/**
 * Whether the dice's seed must stay hidden: a server secret, before the debrief. Not even the White Cell may know
 * the rolls in advance (docs/rules.md, "Provable dice"), so its export carries the seed only once the game is over.
 */
const seedSecret = (state: GameState) => !seedChosen(state.options) && !isOverPhase(state.phase);

/**
 * The log as the White Cell may take it away: the seed withheld while it is still a secret, both where the game was
 * created and in the state a repair restored (StateRestored carries the options, seed included). No other audience
 * gets the log at all: a restored state holds every team's secrets. The seminar's export (server/cohorts/cohorts.ts)
 * takes each cell's log through here too. `state` is the game's state at the end of `events` (or earlier: an earlier
 * state can only keep the seed back).
 */
export function exportableEvents(events: readonly GameEvent[], state: GameState): GameEvent[] {
  const hidden = withheld(state, '');
  if (Object.keys(hidden).length === 0) return [...events];
  return events.map((e) => {
    if (e.type === 'GameCreated') return { ...e, options: { ...e.options, ...hidden } };
    if (e.type === 'StateRestored') return { ...e, state: { ...e.state, options: { ...e.state.options, ...hidden } } };
    return e;
  });
}

/** The dice's secrets still withheld, each replaced by `blank`: the seed while a server secret, a salt until the end. */
function withheld<T>(state: GameState, blank: T): { seed?: T; salt?: T } {
  return {
    ...(seedSecret(state) ? { seed: blank } : {}),
    ...(state.options.salt !== undefined && !isOverPhase(state.phase) ? { salt: blank } : {}),
  };
}

function optionsFor(view: GameView, state: GameState, control: boolean): Record<string, unknown> {
  if (control) return { ...state.options, ...withheld(state, null) };
  const g = view.game;
  return { title: g.title, rounds: g.rounds, phases: g.phases, autoApprove: g.autoApprove };
}

export function buildExport(events: readonly GameEvent[], audience: Audience, opts: ExportOptions = {}): GameExport {
  if (events[0]?.type !== 'GameCreated') throw new Error('the log does not start with GameCreated');
  const state = fold(events);
  const control = audience.kind === 'control';
  const view = recordView(state, audience);
  const observed = observe(events, audience);
  const last = observed.steps[observed.steps.length - 1];
  let json: ExportJson = {
    format: EXPORT_FORMAT,
    gameId: state.id,
    audience: audienceKey(audience),
    pseudonymised: !!opts.pseudonymise,
    scenario: {
      id: state.scenario.id,
      title: state.scenario.title,
      sha256: createHash('sha256').update(JSON.stringify(events[0].scenario)).digest('hex'),
    },
    options: optionsFor(view, state, control),
    parent: view.record.forkedFrom,
    // The White Cell's is the log's length; anyone else's, its own count of changes (a log position would count,
    // while the game is still on, the moves it cannot see).
    version: control ? events.length : (last?.version ?? 1),
    at: last?.at ?? events[0].at,
    dice: diceOf(view, state, control),
    metersByRound: Object.fromEntries(view.meters.map((m) => [m.id, m.history])),
    steps: observed.steps,
    view,
    ...(control ? { events: exportableEvents(events, state) } : {}),
  };
  const names = pseudonymsFor(state, events);
  if (opts.pseudonymise) json = pseudonymise(json, names);
  const tables: Record<string, string> = {};
  for (const t of TABLES) {
    const rows = t.rows({ view: json.view, observed });
    tables[t.file] = toCsv(
      t.columns.map((c) => c[0]),
      rows.map((r) => t.columns.map((c) => c[2](r))),
    );
  }
  return { json, tables, timings: { phases: observed.phases, locks: observed.locks } };
}

export const reportMarkdown = (x: GameExport) => afterActionReport(x.json.view, x.timings);
export const reportHtml = (x: GameExport) => afterActionReportHtml(x.json.view, x.timings);

export const exportJsonText = (x: GameExport): string => `${JSON.stringify(x.json, null, 2)}\n`;

/**
 * The zip: record.json, one CSV per table, and the after-action report (Markdown and
 * printable HTML). Entries carry a fixed date so that the same game zips the same.
 */
export function exportZip(x: GameExport): Uint8Array {
  const mtime = new Date(Math.max(x.json.at, Date.UTC(1980, 0, 2)));
  const files: Record<string, [Uint8Array, { mtime: Date }]> = {
    'record.json': [strToU8(exportJsonText(x)), { mtime }],
  };
  for (const [name, csv] of Object.entries(x.tables)) files[name] = [strToU8(csv), { mtime }];
  files['report.md'] = [strToU8(reportMarkdown(x)), { mtime }];
  files['report.html'] = [strToU8(reportHtml(x)), { mtime }];
  return zipSync(files, { level: 6 });
}
