// The CSV tables of a research export, each built from one audience's view (and the timings read off its views),
// and each column described once, here: docs/export.md is the codebook of these same definitions.
import type { GameView, LineView } from '../../shared/views.ts';
import type { Cell } from './csv.ts';
import type { Observed } from './timings.ts';

export interface Source {
  view: GameView;
  observed: Observed;
}

/** A column: its name, what it holds (the codebook), and how to read it off a row. */
type Column<R> = [name: string, about: string, get: (row: R) => Cell];

export interface Table<R = never> {
  file: string;
  about: string;
  rows: (src: Source) => R[];
  columns: Column<R>[];
}

type RoundLine = { round: number; line: LineView };
const lines = (v: GameView): RoundLine[] => v.reveals.flatMap((r) => r.lines.map((line) => ({ round: r.round, line })));
const changes = (xs: { meter: string; delta: number }[]) => xs.map((e) => `${e.meter}:${e.delta}`).join(';');
const table = <R>(file: string, about: string, rows: (src: Source) => R[], columns: Column<R>[]): Table<R> => ({
  file,
  about,
  rows,
  columns,
});

export const TABLES = [
  table(
    'roster.csv',
    'Who sat where: every seat the audience can see (the White Cell sees all; a team, its own players).',
    ({ view: v }) =>
      v.control
        ? v.control.players
        : (v.me?.teammates.map((p) => ({
            ...p,
            bot: p.bot ? 'bot' : null,
            role: v.me!.team,
            joinedAt: null as number | null,
          })) ?? []),
    [
      ['player_id', 'The seat’s id (stable within the game)', (p) => p.id],
      ['name', 'The name the player gave (a pseudonym such as "us-1" when pseudonymised)', (p) => p.name],
      ['role', 'A team id, "control" (White Cell) or "observer"', (p) => p.role],
      [
        'joined_at',
        'When the seat was last taken (ms since 1970, UTC; a player who left and came back has the later time); empty if not shown',
        (p) => p.joinedAt,
      ],
      ['seated', 'Whether the seat was still held at the end', (p) => p.seated],
    ],
  ),
  table(
    'moves.csv',
    'Every action a team took, as adjudicated: one row per action line of a revealed round.',
    ({ view: v }) => lines(v).filter((x) => x.line.kind === 'action' || x.line.kind === 'covert'),
    [
      ['round', 'The round the move was made in', (x) => x.round],
      ['line_id', 'The adjudication line that carried it out', (x) => x.line.id],
      ['team', 'The team that made it', (x) => x.line.team],
      ['action_id', 'The action’s id in the scenario', (x) => x.line.actionId],
      ['covert', 'Whether it was a covert move', (x) => x.line.kind === 'covert'],
      ['text', 'The line as shown at the reveal', (x) => x.line.text],
      ['counts', 'Whether it took effect (not cancelled, and its condition held)', (x) => x.line.counts],
    ],
  ),
  table('deals.csv', 'Every deal the audience can see, with its final status.', ({ view: v }) => v.deals, [
    ['deal_id', 'The deal’s id', (d) => d.id],
    ['from', 'The proposing team', (d) => d.from],
    ['parties', 'All parties, separated by ";"', (d) => d.parties.join(';')],
    ['secret', 'Whether it stays known to its parties only', (d) => d.secret],
    ['snapback', 'Whether relief is taken back if it is broken', (d) => d.snapback],
    ['status', 'proposed, accepted, rejected, withdrawn, expired, fulfilled or broken', (d) => d.status],
    ['accepted_by', 'Teams that accepted, separated by ";"', (d) => d.acceptedBy.join(';')],
    ['proposed_round', 'Round of the proposal', (d) => d.proposedRound],
    ['accepted_round', 'Round in which every party had accepted; empty if never', (d) => d.acceptedRound],
    ['settled_round', 'Round in which it was settled (fulfilled, broken, rejected…)', (d) => d.settledRound],
    ['breakers', 'Teams that broke it, separated by ";"', (d) => d.breakers.join(';')],
    ['snapped_back', 'Whether snapback has reversed its relief', (d) => d.snappedBack],
    ['note', 'The proposer’s note', (d) => d.note],
  ]),
  table(
    'obligations.csv',
    'What each deal bound each party to do: one row per obligation.',
    ({ view: v }) => v.deals.flatMap((d) => d.obligations.map((o, index) => ({ d, o, index }))),
    [
      ['deal_id', 'The deal (deals.csv)', (x) => x.d.id],
      ['index', 'The obligation’s place in the deal, from 0', (x) => x.index],
      ['team', 'The team bound', (x) => x.o.team],
      ['action_id', 'The action promised', (x) => x.o.action],
      ['action_name', 'Its name', (x) => x.o.actionName],
      ['by_round', 'The round by which it is due', (x) => x.o.byRound],
      ['fulfilled_round', 'The round it was carried out in; empty if never', (x) => x.o.fulfilledRound],
    ],
  ),
  table('messages.csv', 'Every message in every channel the audience can read.', ({ view: v }) => v.messages, [
    ['message_id', 'The message’s id', (m) => m.id],
    ['round', 'The round it was sent in (0 before the first)', (m) => m.round],
    ['channel', 'plenary, announcements, team:<id> or bi:<id>:<id>', (m) => m.channel],
    ['from', 'The sending team, or "control"', (m) => m.from],
    ['name', 'The sender’s name (a pseudonym when pseudonymised)', (m) => m.name],
    ['at', 'When it was sent (ms since 1970, UTC)', (m) => m.at],
    ['text', 'What was written (never pseudonymised)', (m) => m.text],
  ]),
  table(
    'rolls.csv',
    "Every die rolled in a revealed adjudication line. The dice also draw the noise of each intelligence report (a team's estimate of a hidden meter), which this table does not list: `npm run verify-dice` checks those draws as well, so the rolls it counts are this table's rows (in the White Cell's export) plus one for each report.",
    ({ view: v }) => lines(v).filter((x) => x.line.roll),
    [
      ['round', 'The round', (x) => x.round],
      ['line_id', 'The line (lines.csv)', (x) => x.line.id],
      ['kind', 'The line’s kind', (x) => x.line.kind],
      ['team', 'The team concerned; empty for none', (x) => x.line.team],
      ['what', 'What the roll decided', (x) => x.line.roll!.what],
      ['chance', 'The chance of success, 0 to 1', (x) => x.line.roll!.chance],
      ['value', 'The die, uniform in [0, 1); success when below the chance', (x) => x.line.roll!.value],
      ['success', 'The outcome (after any amendment by the White Cell)', (x) => x.line.roll!.success],
    ],
  ),
  table(
    'lines.csv',
    'Every adjudication line of every revealed round, as the audience read it.',
    ({ view: v }) => lines(v),
    [
      ['round', 'The round', (x) => x.round],
      [
        'line_id',
        'The line’s id: opaque (as r1-hR96KmcktQ), unique in the game; it says nothing of how many lines there are or of their order',
        (x) => x.line.id,
      ],
      [
        'kind',
        'action, covert, exposure, delayed, deal, pair, break, snapback, friction, freeform, closure (exposed cheating closed a tier), erosion (relief without snapback wore a meter down) or other (“Other developments”: the sum of public meter moves made by lines this audience may not read, one per round at most; its id is r<round>-other)',
        (x) => x.line.kind,
      ],
      ['team', 'The team concerned; empty for none', (x) => x.line.team],
      ['action_id', 'The action, if any', (x) => x.line.actionId],
      ['deal_id', 'The deal, if any', (x) => x.line.dealId],
      ['text', 'What happened', (x) => x.line.text],
      ['rationale', 'Why (the engine’s reason, or the White Cell’s ruling)', (x) => x.line.why],
      [
        'effects',
        'Meter changes the line carries, as far as the audience may see, "meter:delta" separated by ";"; applied only where counts is true',
        (x) => changes(x.line.effects),
      ],
      ['counts', 'Whether the line took effect', (x) => x.line.counts],
      ['cancelled', 'Whether the White Cell struck it', (x) => x.line.cancelled],
      ['amendments', 'How many times the White Cell amended it (amendments.csv)', (x) => x.line.amendments.length],
    ],
  ),
  table(
    'amendments.csv',
    "Every amendment the White Cell made to a revealed line, with its rationale; a ruling on a free-form move is recorded as its line's amendment.",
    ({ view: v }) => lines(v).flatMap((x) => x.line.amendments.map((a, seq) => ({ ...x, a, seq }))),
    [
      ['round', 'The round', (x) => x.round],
      ['line_id', 'The line amended', (x) => x.line.id],
      ['seq', 'Order of the amendment on that line, from 0', (x) => x.seq],
      ['by', 'The White Cell member (a pseudonym when pseudonymised)', (x) => x.a.by],
      ['at', 'When (ms since 1970, UTC)', (x) => x.a.at],
      ['rationale', 'The rationale given', (x) => x.a.rationale],
    ],
  ),
  table(
    'freeform.csv',
    'Free-form moves: each team’s argument and the White Cell’s ruling.',
    ({ view: v }) => lines(v).filter((x) => x.line.freeform),
    [
      ['round', 'The round', (x) => x.round],
      ['line_id', 'The line', (x) => x.line.id],
      ['team', 'The arguing team', (x) => x.line.team],
      ['action', 'What the team proposed to do', (x) => x.line.freeform!.text],
      ['intent', 'What it meant to achieve', (x) => x.line.freeform!.intent],
      ['argument', 'Why it should work', (x) => x.line.freeform!.rationale],
      ['open', 'Whether every team could see and estimate it', (x) => x.line.freeform!.open],
      ['ruled', 'Whether the White Cell ruled on it', (x) => x.line.freeform!.ruled],
      ['chance', 'The chance the White Cell set; empty if not ruled', (x) => x.line.roll?.chance ?? null],
      ['success', 'The outcome; empty if not ruled', (x) => x.line.roll?.success ?? null],
    ],
  ),
  table(
    'estimates.csv',
    'Each team’s estimate of a free-form move’s chance of success, given before the ruling, for every revealed line the audience reads (docs/rules.md, "Free-form actions"): a team’s export has no row for a move whose ruling stayed private to the acting team, its own estimate included; the White Cell’s has them all.',
    ({ view: v }) =>
      lines(v).flatMap((x) => Object.entries(x.line.freeform?.estimates ?? {}).map(([team, p]) => ({ ...x, team, p }))),
    [
      ['round', 'The round', (x) => x.round],
      ['line_id', 'The free-form line (freeform.csv)', (x) => x.line.id],
      ['line_team', 'The team whose move it was', (x) => x.line.team],
      ['estimating_team', 'The team estimating', (x) => x.team],
      ['probability', 'Its estimate, 0 to 1', (x) => x.p],
    ],
  ),
  table(
    'injects.csv',
    'Every inject the audience was shown (the White Cell: every inject, published or not).',
    ({ view: v }) => v.injects,
    [
      ['inject_id', 'The inject’s id', (i) => i.id],
      ['kind', 'scheduled, contingency, or intel', (i) => i.kind],
      ['round', 'The round it was (or is to be) published in', (i) => i.round],
      ['status', 'scheduled (for a contingency: not fired), pending, published or skipped', (i) => i.status],
      [
        'audience',
        '"all" or the teams it went to, separated by ";"',
        (i) => (Array.isArray(i.audience) ? i.audience.join(';') : String(i.audience)),
      ],
      ['title', 'Its title', (i) => i.title],
      ['effects', 'Meter changes, "meter:delta" separated by ";"', (i) => changes(i.effects)],
      ['text', 'Its text', (i) => i.text],
    ],
  ),
  table(
    'meters.csv',
    'Each meter the audience can see, at the start (round 0) and at the end of every round played.',
    ({ view: v }) => v.meters.flatMap((m) => m.history.map((value, round) => ({ m, round, value }))),
    [
      ['meter_id', 'The meter’s id', (x) => x.m.id],
      ['name', 'Its name', (x) => x.m.name],
      ['public', 'Whether every team sees it', (x) => x.m.public],
      ['round', '0 for the start, then the round just ended', (x) => x.round],
      ['value', 'The value, 0 to 100', (x) => x.value],
    ],
  ),
  table(
    'scores.csv',
    'The debrief’s scores: one row per objective of each team, as every audience sees them once the exercise is over (no rows before).',
    ({ view: v }) =>
      v.debrief?.scores.flatMap((t) => t.objectives.map((o) => ({ t, o, ending: v.debrief!.ending }))) ?? [],
    [
      ['team', 'The team', (x) => x.t.team],
      ['objective_id', 'The objective’s id in the scenario', (x) => x.o.id],
      ['objective', 'What it asked', (x) => x.o.text],
      ['points', 'What it was worth', (x) => x.o.points],
      ['achieved', 'Whether the team achieved it at the end', (x) => x.o.achieved],
      ['team_total', 'The team’s score: the points of the objectives it achieved', (x) => x.t.total],
      ['team_max', 'The most the team could score', (x) => x.t.max],
      ['ending', 'The ending the exercise reached (its id), the same on every row', (x) => x.ending.id],
    ],
  ),
  table(
    'timings.csv',
    'How long each phase lasted, as the audience’s phase bar showed it. In a fork, the rounds copied from the parent keep the parent’s times (the last of them ends at the last event copied), the fork has no lobby of its own, and the wait from the fork’s making until its White Cell moved on is a phase of its own, “forked”. In a repaired log, the events a repair stands for no longer read: their phases are unknown, and a phase “restored” marks the gap, from the last event before it to the first after it.',
    ({ observed }) => observed.phases,
    [
      ['round', 'The round', (p) => p.round],
      ['phase', 'The phase (or "paused", "forked" or "restored")', (p) => p.phase],
      ['started_at', 'When it began (ms since 1970, UTC)', (p) => p.start],
      ['ended_at', 'When it ended; empty if it had not', (p) => p.end],
      [
        'seconds',
        'Its length in whole seconds, rounded (started_at and ended_at give milliseconds); empty if it had not ended',
        (p) => (p.end === null ? null : Math.round((p.end - p.start) / 1000)),
      ],
    ],
  ),
  table(
    'locks.csv',
    'Each time a team locked its submission (a team that unlocked and locked again has a row for each lock): the time to lock.',
    ({ observed }) => observed.locks,
    [
      ['round', 'The round', (l) => l.round],
      ['team', 'The team', (l) => l.team],
      ['locked_at', 'When it locked (ms since 1970, UTC)', (l) => l.at],
      [
        'seconds_after_open',
        'Whole seconds of play (rounded) from the opening of the round’s submission phase to the lock, not counting time the game was paused (an unlock and a second lock still count from that opening)',
        (l) => l.afterSeconds,
      ],
    ],
  ),
  table(
    'notes.csv',
    'Rapporteur notes the audience may read (the White Cell: all of them).',
    ({ view: v }) => v.record.notes,
    [
      ['note_id', 'The note’s id', (n) => n.id],
      ['author', 'Who wrote it (a pseudonym when pseudonymised)', (n) => n.author],
      ['role', '"control" or "observer"', (n) => n.role],
      ['at', 'When (ms since 1970, UTC)', (n) => n.at],
      ['round', 'The round it was written in', (n) => n.round],
      [
        'target_kind',
        'What it is attached to: round, line, move, deal or inject; empty for nothing',
        (n) => n.target?.kind ?? null,
      ],
      ['target_id', 'The id of what it is attached to', (n) => n.target?.id ?? null],
      ['tags', 'Tags, separated by ";"', (n) => n.tags.join(';')],
      ['shared', 'Whether it was shared with every audience', (n) => n.shared],
      ['text', 'The note', (n) => n.text],
    ],
  ),
  table(
    'hotwash.csv',
    'The hot wash: strengths, areas for improvement and corrective actions (the improvement plan).',
    ({ view: v }) => v.record.hotwash ?? [],
    [
      ['item_id', 'The entry’s id', (h) => h.id],
      ['kind', 'strength, improvement or action', (h) => h.kind],
      ['text', 'What was said', (h) => h.text],
      ['owner', 'Corrective actions: who owns it', (h) => h.owner],
      ['due', 'Corrective actions: due date (YYYY-MM-DD)', (h) => h.due],
      ['by', 'The White Cell member who recorded it (a pseudonym when pseudonymised)', (h) => h.by],
      ['at', 'When (ms since 1970, UTC)', (h) => h.at],
    ],
  ),
  table(
    'responses.csv',
    'Feedback form answers, one row per answer to one question (the White Cell’s export only; others get none).',
    ({ view: v }) =>
      v.record.forms.flatMap((f) =>
        (f.answers ?? []).flatMap((a) =>
          Object.entries(a.answers).map(([question, value]) => ({ f, a, question, value })),
        ),
      ),
    [
      ['form_id', 'The form (scenario forms)', (x) => x.f.id],
      ['round', 'The round it was about (0: the whole exercise)', (x) => x.f.round],
      ['player_id', 'The answering seat', (x) => x.a.playerId],
      ['name', 'The player (a pseudonym when pseudonymised)', (x) => x.a.name],
      ['team', 'The player’s team', (x) => x.a.team],
      ['question_id', 'The question', (x) => x.question],
      ['kind', 'likert (1 to 5), choice or text', (x) => x.f.questions.find((q) => q.id === x.question)?.kind ?? null],
      ['answer', 'The answer', (x) => x.value],
      ['at', 'When it was given (ms since 1970, UTC)', (x) => x.a.at],
    ],
  ),
] as unknown as Table<unknown>[];

/** The codebook as Markdown: docs/export.md holds exactly this (a test checks it), so the two cannot drift. */
export function codebook(): string {
  const out: string[] = [];
  for (const t of TABLES) {
    out.push(`### ${t.file}`, '', t.about, '', '| column | meaning |', '|---|---|');
    for (const [name, about] of t.columns) out.push(`| \`${name}\` | ${about.replace(/\|/g, '\\|')} |`);
    out.push('');
  }
  return out.join('\n');
}
