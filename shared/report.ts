// The after-action report: a record of the exercise for the hot wash and the write-up, as Markdown here and as a
// printable page in report-html.ts. It is built from a GameView only (plus the timings read off that audience's
// own views), so each audience's report holds exactly what that audience may see and nothing else.
import { meterName, pct, rollSaid, signed, teamName } from './format.ts';
import type { FormResult, FormView, GameView, LineView, NoteView } from './views.ts';

/** Phase lengths and times to lock, as the audience's phase bar showed them (server/record/timings.ts). */
export interface ReportTimings {
  phases: { round: number; phase: string; start: number; end: number | null }[];
  locks: { round: number; team: string; at: number; afterSeconds: number | null }[];
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** Ends a sentence with one full stop: texts that already end in punctuation keep theirs. */
/** "US: sanctions relief by round 3 (done round 2)": one obligation of a deal, as plain text. */
export const obligationText = (v: GameView, o: GameView['deals'][number]['obligations'][number]) =>
  `${teamName(v, o.team)}: ${o.actionName} by round ${o.byRound}` +
  `${o.fulfilledRound ? ` (done round ${o.fulfilledRound})` : ''}`;

export const sentence = (s: string) => {
  const t = s.trim();
  return !t || /[.!?…:;)"”’]$/.test(t) ? t : `${t}.`;
};
export const effectsText = (v: GameView, xs: { meter: string; delta: number }[]) =>
  xs.map((e) => `${meterName(v, e.meter)} ${signed(e.delta)}`).join(', ');

/** What the debrief's scores count beyond the board (effects still under way at the end), or null when nothing. */
export function underWayText(v: GameView): string | null {
  const pending = v.debrief?.underWay ?? [];
  return pending.length
    ? `Scored with the steps still under way at the close, as if carried out: ${effectsText(v, pending)}.`
    : null;
}

/** The endings reached before the final one, which the White Cell played on past, in a sentence; null if none. */
export function pastEndingsText(v: GameView): string | null {
  const past = v.debrief?.pastEndings ?? [];
  return past.length
    ? `Reached earlier, and played on past: ${past.map((e) => `${e.name} (round ${e.round})`).join('; ')}.`
    : null;
}

/**
 * The line as the record tells it: what happened, why, the roll, and the White Cell's amendments. A ruling's
 * rationale becomes the line's reason, so an amendment repeating it is told as "ruled by" only.
 */
export function lineStory(v: GameView, l: LineView): string {
  const parts = [sentence(l.text)];
  if (l.why) parts.push(sentence(l.why));
  const fx = effectsText(v, l.effects);
  if (fx) parts.push(sentence(fx));
  if (l.roll) parts.push(`Roll: ${rollSaid(l.roll, 'success', 'failure')}.`);
  for (const a of l.amendments)
    parts.push(
      a.rationale.trim() === l.why.trim() ? `Ruled by ${a.by}.` : `Amended by ${a.by}: ${sentence(a.rationale)}`,
    );
  return parts.join(' ');
}

export const estimatesText = (v: GameView, l: LineView) =>
  Object.entries(l.freeform?.estimates ?? {})
    .map(([t, p]) => `${teamName(v, t)} ${pct(p)}`)
    .join(', ');

export const noteTarget = (n: NoteView) => (n.target ? `${n.target.kind} ${n.target.id}` : 'the exercise');
export const clockTime = (at: number) => new Date(at).toISOString().slice(11, 16);
export const minutes = (ms: number) =>
  `${Math.floor(ms / 60000)}:${String(Math.round((ms % 60000) / 1000)).padStart(2, '0')}`;

/** Notes that belong to a round: written during it, or attached to it or to one of its lines. */
export function notesOfRound(v: GameView, round: number): NoteView[] {
  const ids = new Set(v.reveals.find((r) => r.round === round)?.lines.map((l) => l.id) ?? []);
  return v.record.notes.filter((n) =>
    n.target ? (n.target.kind === 'round' ? n.target.id === String(round) : ids.has(n.target.id)) : n.round === round,
  );
}

export function roster(v: GameView): { name: string; role: string }[] {
  if (v.control) return v.control.players.map((p) => ({ name: p.name, role: p.role }));
  return v.me?.teammates.map((p) => ({ name: p.name, role: v.me!.team })) ?? [];
}
export const roleName = (v: GameView, role: string) =>
  role === 'control' ? 'White Cell' : role === 'observer' ? 'Observer' : teamName(v, role);

/** One question's answers, aggregated: a mean and spread, counts per option, or the texts. */
export function formResultText(f: FormView, r: FormResult): string {
  const q = f.questions.find((x) => x.id === r.question);
  const head = `${q?.text ?? r.question} (${r.n} answer${r.n === 1 ? '' : 's'})`;
  if (r.withheld) return `${head}: too few to show how they split.`;
  if (r.scale)
    return (
      `${head}: mean ${r.mean} on 1–5${q?.options?.length === 2 ? ` (${q.options[0]} to ${q.options[1]})` : ''}; ` +
      `${r.scale.map((n, i) => `${i + 1}: ${n}`).join(', ')}.`
    );
  if (r.counts)
    return `${head}: ${Object.entries(r.counts)
      .map(([o, n]) => `${o} ${n}`)
      .join('; ')}.`;
  return r.texts?.length ? `${head}: ${r.texts.map((t) => `“${t}”`).join(' ')}` : `${head}.`;
}

export const HOTWASH_HEADINGS = {
  strength: 'Strengths',
  improvement: 'Areas for improvement',
  action: 'Improvement plan: corrective actions',
} as const;

export function afterActionReport(v: GameView, timings?: ReportTimings): string {
  const g = v.game;
  const out: string[] = [];
  out.push(`# After-action report: ${g.title}`, '');
  const src =
    `${g.source.title}${g.source.author ? `, ${g.source.author}` : ''}` +
    `${g.source.date ? ` (${g.source.date})` : ''}`;
  out.push(`Scenario: ${g.scenarioTitle}. Source: ${sentence(src)}`);
  out.push(`Rounds played: ${g.round} of ${g.rounds}. Phase when written: ${g.phase}.`);
  if (v.record.forkedFrom)
    out.push(`Forked from game ${v.record.forkedFrom.gameId} at the end of round ${v.record.forkedFrom.round}.`);
  out.push('');
  for (const note of g.notes) out.push(`> ${note}`, '');

  const people = roster(v);
  if (people.length) {
    out.push('## Roster', '', '| name | seat |', '|---|---|');
    for (const p of people) out.push(`| ${cell(p.name)} | ${cell(roleName(v, p.role))} |`);
    out.push('');
  }

  if (v.debrief) {
    out.push(`## Ending: ${v.debrief.ending.name} (round ${v.debrief.ending.round})`, '', v.debrief.ending.debrief, '');
    const past = pastEndingsText(v);
    if (past) out.push(past, '');
    const pending = underWayText(v);
    out.push('## Objectives', '', ...(pending ? [pending, ''] : []), '| team | objective | points | achieved |');
    out.push('|---|---|---|---|');
    for (const s of v.debrief.scores)
      for (const o of s.objectives)
        out.push(`| ${cell(teamName(v, s.team))} | ${cell(o.text)} | ${o.points} | ${o.achieved ? 'yes' : 'no'} |`);
    out.push(
      '',
      '| team | score |',
      '|---|---|',
      ...v.debrief.scores.map((s) => `| ${cell(teamName(v, s.team))} | ${s.total} / ${s.max} |`),
      '',
    );
  }

  out.push('## The board, round by round', '');
  const rounds = Math.max(0, ...v.meters.map((m) => m.history.length - 1));
  out.push(
    `| meter | start | ${Array.from({ length: rounds }, (_, i) => `R${i + 1}`).join(' | ')} |`,
    `|---|---|${'---|'.repeat(rounds)}`,
  );
  for (const m of v.meters) out.push(`| ${cell(m.name)} | ${m.history.map(String).join(' | ')} |`);
  out.push('');

  for (const r of v.reveals) {
    out.push(`## Round ${r.round}`, '');
    for (const i of v.injects.filter((x) => x.round === r.round && x.status === 'published')) {
      const fx = effectsText(v, i.effects);
      out.push(`- **Inject: ${i.title}.** ${sentence(i.text)}${fx ? ` (${fx})` : ''}`);
    }
    for (const l of r.lines) {
      const story = lineStory(v, l);
      out.push(`- ${l.counts ? story : `~~${story}~~`}`);
      if (l.freeform) {
        out.push(
          `  - Argument: ${sentence(l.freeform.text)} Intent: ${sentence(l.freeform.intent)} Why it should ` +
            `work: ${sentence(l.freeform.rationale)}`,
        );
        const est = estimatesText(v, l);
        if (est) out.push(`  - Estimates of success: ${est}.`);
      }
    }
    const deals = v.deals.filter((d) => d.proposedRound === r.round || d.settledRound === r.round);
    for (const d of deals)
      out.push(
        `- Deal ${d.parties.map((p) => teamName(v, p)).join(' and ')}${d.secret ? ' (secret)' : ''}: ` +
          `${d.status}${d.note ? `; "${d.note}"` : ''}.`,
      );
    for (const c of v.debrief?.covertLog.filter((x) => x.round === r.round) ?? [])
      out.push(
        `- Covert: ${teamName(v, c.team)}, ${c.name}${c.exposedRound ? ` (exposed round ${c.exposedRound})` : ''}.`,
      );
    for (const n of notesOfRound(v, r.round))
      out.push(
        `- Note by ${n.author} ` +
          `on ${noteTarget(n)}${n.tags.length ? ` [${n.tags.join(', ')}]` : ''}: ${sentence(n.text)}`,
      );
    out.push('');
  }

  if (v.deals.length) {
    out.push('## Deals', '', '| parties | obligations | status |', '|---|---|---|');
    for (const d of v.deals)
      out.push(
        `| ${cell(d.parties.map((p) => teamName(v, p)).join(', '))}${d.secret ? ' (secret)' : ''} ` +
          `| ${cell(d.obligations.map((o) => obligationText(v, o)).join('; '))} ` +
          `| ${d.status}${d.snappedBack ? ', snapped back' : ''} |`,
      );
    out.push('');
  }

  if (v.debrief?.covertLog.length) {
    out.push('## Covert moves', '', '| round | team | move | exposed |', '|---|---|---|---|');
    for (const c of v.debrief.covertLog)
      out.push(
        `| ${c.round} | ${cell(teamName(v, c.team))} | ${cell(c.name)} ` +
          `| ${c.exposedRound === null ? 'never' : `round ${c.exposedRound}`} |`,
      );
    out.push('');
  }

  if (timings?.phases.length) {
    out.push('## Timings', '', '| round | phase | began | length |', '|---|---|---|---|');
    for (const p of timings.phases)
      out.push(
        `| ${p.round} | ${p.phase} | ${clockTime(p.start)} UTC | ${p.end === null ? '' : minutes(p.end - p.start)} |`,
      );
    out.push('');
    if (timings.locks.length) {
      out.push('| round | team | locked after |', '|---|---|---|');
      for (const l of timings.locks)
        out.push(
          `| ${l.round} | ${cell(teamName(v, l.team))} | ${l.afterSeconds === null ? '' : `${l.afterSeconds} s`} |`,
        );
      out.push('');
    }
  }

  const hw = v.record.hotwash;
  if (hw?.length) {
    out.push('## Hot wash: after-action review and improvement plan', '');
    for (const kind of ['strength', 'improvement'] as const) {
      const items = hw.filter((x) => x.kind === kind);
      if (items.length) out.push(`### ${HOTWASH_HEADINGS[kind]}`, '', ...items.map((x) => `- ${sentence(x.text)}`), '');
    }
    const actions = hw.filter((x) => x.kind === 'action');
    if (actions.length)
      out.push(
        `### ${HOTWASH_HEADINGS.action}`,
        '',
        '| action | owner | due |',
        '|---|---|---|',
        ...actions.map((x) => `| ${cell(x.text)} | ${cell(x.owner ?? '')} | ${x.due ?? ''} |`),
        '',
      );
  }

  const answered = v.record.forms.filter((f) => f.results?.some((r) => r.n > 0));
  if (answered.length) {
    out.push('## Feedback', '');
    for (const f of answered) {
      out.push(`### ${f.title}${f.round ? ` (round ${f.round})` : ''}`, '');
      for (const r of f.results ?? []) out.push(`- ${formResultText(f, r)}`);
      out.push('');
    }
  }

  const loose = v.record.notes.filter((n) => !v.reveals.some((r) => notesOfRound(v, r.round).includes(n)));
  if (loose.length) {
    out.push('## Rapporteur notes', '');
    for (const n of loose)
      out.push(
        `- ${n.author}, round ${n.round}, ` +
          `on ${noteTarget(n)}${n.tags.length ? ` [${n.tags.join(', ')}]` : ''}: ${sentence(n.text)}`,
      );
    out.push('');
  }

  if (v.messages.length) {
    out.push('## Messages', '');
    for (const ch of v.channels) {
      const msgs = v.messages.filter((m) => m.channel === ch.id);
      if (!msgs.length) continue;
      const earlier = v.earlierMessages?.[ch.id] ?? 0;
      out.push(
        `### ${ch.name}`,
        '',
        ...(earlier ? [`(${earlier} earlier lines were not loaded on this screen.)`, ''] : []),
        ...msgs.map(
          (m) =>
            `- R${m.round} **${m.name}** ` +
            `(${teamName(v, m.from === 'control' ? null : m.from)}): ${m.text.replace(/\n/g, ' ')}`,
        ),
        '',
      );
    }
  }
  // Text people typed (chat, notes, arguments, names) may hold raw HTML, which a Markdown viewer that allows it would
  // render, scripts and all: every "<" is written as an entity, shown as "<" and never read as a tag. The report itself
  // writes no HTML (report-html.ts escapes for the printable page).
  return out.join('\n').replace(/</g, '&lt;');
}
