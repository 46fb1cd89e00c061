// The after-action report: a Markdown record of the exercise for the hot wash and the write-up. It is built from a
// GameView only, so each audience's report holds exactly what that audience may see and nothing else.
import type { GameView } from './views.ts';

const teamName = (v: GameView, id: string | null) =>
  id ? (v.teams.find((t) => t.id === id)?.name ?? id) : 'White Cell';
const meterName = (v: GameView, id: string) => v.meters.find((m) => m.id === id)?.name ?? id;
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function afterActionReport(v: GameView): string {
  const g = v.game;
  const out: string[] = [];
  out.push(`# After-action report: ${g.title}`, '');
  out.push(
    `Scenario: ${g.scenarioTitle}. Source: ${g.source.title}${g.source.author ? `, ${g.source.author}` : ''}${g.source.date ? ` (${g.source.date})` : ''}.`,
  );
  out.push(`Rounds played: ${g.round} of ${g.rounds}. Phase when written: ${g.phase}.`, '');
  for (const note of g.notes) out.push(`> ${note}`, '');

  if (v.debrief) {
    out.push(`## Ending: ${v.debrief.ending.name} (round ${v.debrief.ending.round})`, '', v.debrief.ending.debrief, '');
    out.push('## Objectives', '', '| team | objective | points | achieved |', '|---|---|---|---|');
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
    const injects = v.injects.filter((i) => i.round === r.round && i.status === 'published');
    for (const i of injects)
      out.push(
        `- **Inject: ${i.title}.** ${i.text}${i.effects.length ? ` (${i.effects.map((e) => `${meterName(v, e.meter)} ${signed(e.delta)}`).join(', ')})` : ''}`,
      );
    for (const l of r.lines) {
      const effects = l.effects.map((e) => `${meterName(v, e.meter)} ${signed(e.delta)}`).join(', ');
      const roll = l.roll
        ? ` Roll: needed under ${Math.round(l.roll.chance * 100)}%, rolled ${Math.round(l.roll.value * 100)}%: ${l.roll.success ? 'yes' : 'no'}.`
        : '';
      const amended = l.amendments.map((a) => ` Amended by ${a.by}: ${a.rationale}`).join('');
      out.push(
        `- ${l.counts ? '' : '~~'}${l.text}${l.counts ? '' : '~~'}. ${l.why}.${effects ? ` ${effects}.` : ''}${roll}${amended}`,
      );
    }
    out.push('');
  }

  if (v.deals.length) {
    out.push('## Deals', '', '| parties | obligations | status |', '|---|---|---|');
    for (const d of v.deals)
      out.push(
        `| ${cell(d.parties.map((p) => teamName(v, p)).join(', '))}${d.secret ? ' (secret)' : ''} | ${cell(d.obligations.map((o) => `${teamName(v, o.team)}: ${o.actionName} by round ${o.byRound}${o.fulfilledRound ? ` (done round ${o.fulfilledRound})` : ''}`).join('; '))} | ${d.status}${d.snappedBack ? ', snapped back' : ''} |`,
      );
    out.push('');
  }

  if (v.debrief?.covertLog.length) {
    out.push('## Covert moves', '', '| round | team | move | exposed |', '|---|---|---|---|');
    for (const c of v.debrief.covertLog)
      out.push(
        `| ${c.round} | ${cell(teamName(v, c.team))} | ${cell(c.name)} | ${c.exposedRound === null ? 'never' : `round ${c.exposedRound}`} |`,
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
            `- R${m.round} **${m.name}** (${teamName(v, m.from === 'control' ? null : m.from)}): ${m.text.replace(/\n/g, ' ')}`,
        ),
        '',
      );
    }
  }
  return out.join('\n');
}
