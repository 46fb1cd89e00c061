// The after-action report as one printable HTML page: the same record as the Markdown (report.ts), with a chart
// per meter and a print stylesheet, so that the browser's "Print to PDF" gives clean A4 or Letter pages: each round
// and the hot wash begin a page, and no table row or chart is cut in two.
import {
  HOTWASH_HEADINGS,
  clockTime,
  effectsText,
  pastEndingsText,
  underWayText,
  estimatesText,
  formResultText,
  lineStory,
  minutes,
  noteTarget,
  notesOfRound,
  obligationText,
  roleName,
  roster,
  sentence,
  type ReportTimings,
} from './report.ts';
import { teamName } from './format.ts';
import type { GameView } from './views.ts';

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const tagsHtml = (tags: readonly string[]) => tags.map((t) => `<span class="tag">${esc(t)}</span>`).join(' ');

function chart(name: string, history: number[], rounds: number): string {
  const W = 300,
    H = 110,
    L = 28,
    R = 8,
    T = 8,
    B = 20;
  const n = Math.max(rounds, history.length - 1, 1);
  const x = (i: number) => L + (i / n) * (W - L - R);
  const y = (v: number) => T + (1 - Math.max(0, Math.min(100, v)) / 100) * (H - T - B);
  const path = history.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p).toFixed(1)}`).join(' ');
  const grid = [0, 50, 100]
    .map(
      (g) =>
        `<line x1="${L}" x2="${W - R}" y1="${y(g)}" y2="${y(g)}" class="grid"/>` +
        `<text x="${L - 4}" y="${y(g) + 4}" text-anchor="end">${g}</text>`,
    )
    .join('');
  const ticks = Array.from({ length: n + 1 }, (_, i) => i)
    .map((i) => `<text x="${x(i)}" y="${H - 5}" text-anchor="middle">${i === 0 ? 'start' : i}</text>`)
    .join('');
  const dots = history.map((p, i) => `<circle cx="${x(i)}" cy="${y(p)}" r="3"/>`).join('');
  const label = `${name}: ${history.join(', ')} (start, then each round)`;
  return (
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}">` +
    `${grid}${ticks}<path d="${path}"/>${dots}</svg>`
  );
}

/** The report's one style sheet, inline so the file stands alone (its hash is let through the server's CSP). */
export const REPORT_STYLE = `
  :root { color: #111; font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
  h1 { font-size: 1.7rem; margin: 0 0 .3rem; } h2 { font-size: 1.3rem; margin: 1.6rem 0 .5rem;
    border-bottom: 2px solid #345; padding-bottom: .2rem; } h3 { font-size: 1.05rem; margin: 1rem 0 .3rem; }
  .meta { color: #333; } table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .95em; }
  th, td { border: 1px solid #999; padding: .25rem .4rem; text-align: left; vertical-align: top; }
  th { background: #e8edf2; } .charts { display: grid; grid-template-columns: repeat(2, 1fr); gap: .8rem; }
  figure { margin: 0; border: 1px solid #ccc; padding: .4rem; } figcaption { font-weight: 600; }
  svg { width: 100%; height: auto; } svg path { fill: none; stroke: #1f5a8a; stroke-width: 2; }
  svg circle { fill: #1f5a8a; } svg .grid { stroke: #ddd; } svg text { font-size: 9px; fill: #444; }
  ul.record { padding-left: 1.2rem; } ul.record li { margin: .25rem 0; } \
.struck { text-decoration: line-through; color: #555; }
  .sub { color: #333; margin-left: 1rem; } \
.tag { border: 1px solid #777; border-radius: 3px; padding: 0 .25rem; font-size: .85em; }
  .noprint { margin: 1rem 0; }
  @page { size: auto; margin: 16mm 14mm; }
  @media print {
    body { margin: 0; max-width: none; } .noprint { display: none; }
    section.round, section.hotwash { break-before: page; }
    tr, figure, li { break-inside: avoid; } h2, h3 { break-after: avoid; }
    a { color: inherit; text-decoration: none; }
  }
`;

export function afterActionReportHtml(v: GameView, timings?: ReportTimings): string {
  const g = v.game;
  const h: string[] = [];
  const src =
    `${g.source.title}${g.source.author ? `, ${g.source.author}` : ''}` +
    `${g.source.date ? ` (${g.source.date})` : ''}`;
  h.push(`<header><h1>After-action report: ${esc(g.title)}</h1>`);
  h.push(`<p class="meta">Scenario: ${esc(g.scenarioTitle)}. Source: ${esc(sentence(src))}<br>`);
  h.push(`Rounds played: ${g.round} of ${g.rounds}. Phase when written: ${esc(g.phase)}.`);
  if (v.record.forkedFrom)
    h.push(`<br>Forked from game ${esc(v.record.forkedFrom.gameId)} at the end of round ${v.record.forkedFrom.round}.`);
  h.push('</p></header>');
  h.push('<p class="noprint">To keep a PDF, print this page and choose “Save as PDF” (A4 or Letter).</p>');

  const people = roster(v);
  if (people.length)
    h.push(
      '<section><h2>Roster</h2><table><thead><tr><th scope="col">Name</th><th scope="col">Seat</th></tr></thead>' +
        '<tbody>',
      ...people.map((p) => `<tr><td>${esc(p.name)}</td><td>${esc(roleName(v, p.role))}</td></tr>`),
      '</tbody></table></section>',
    );

  if (v.debrief) {
    const d = v.debrief;
    const past = pastEndingsText(v);
    h.push(
      `<section><h2>Ending: ${esc(d.ending.name)} (round ${d.ending.round})</h2>` +
        `<p>${esc(d.ending.debrief)}</p>` +
        (past ? `<p>${esc(past)}</p>` : '') +
        `</section>`,
    );
    const pending = underWayText(v);
    h.push(`<section><h2>Objectives and scores</h2>${pending ? `<p>${esc(pending)}</p>` : ''}`);
    h.push('<table><thead><tr><th scope="col">Team</th><th scope="col">Objective</th>');
    h.push('<th scope="col">Points</th><th scope="col">Achieved</th></tr></thead><tbody>');
    for (const s of d.scores)
      for (const o of s.objectives)
        h.push(
          `<tr><td>${esc(teamName(v, s.team))}</td><td>${esc(o.text)}</td><td>${o.points}</td>` +
            `<td>${o.achieved ? 'yes' : 'no'}</td></tr>`,
        );
    h.push('</tbody></table><table><thead><tr><th scope="col">Team</th><th scope="col">Score</th></tr></thead><tbody>');
    for (const s of d.scores) h.push(`<tr><td>${esc(teamName(v, s.team))}</td><td>${s.total} / ${s.max}</td></tr>`);
    h.push('</tbody></table></section>');
  }

  const rounds = Math.max(0, ...v.meters.map((m) => m.history.length - 1));
  h.push('<section><h2>Meters</h2><div class="charts">');
  for (const m of v.meters)
    h.push(`<figure><figcaption>${esc(m.name)}: ${m.value}</figcaption>${chart(m.name, m.history, g.rounds)}</figure>`);
  h.push('</div><table><thead><tr><th scope="col">Meter</th><th scope="col">Start</th>');
  for (let i = 1; i <= rounds; i++) h.push(`<th scope="col">R${i}</th>`);
  h.push('</tr></thead><tbody>');
  for (const m of v.meters)
    h.push(`<tr><th scope="row">${esc(m.name)}</th>${m.history.map((x) => `<td>${x}</td>`).join('')}</tr>`);
  h.push('</tbody></table></section>');

  for (const r of v.reveals) {
    h.push(`<section class="round"><h2>Round ${r.round}</h2><ul class="record">`);
    for (const i of v.injects.filter((x) => x.round === r.round && x.status === 'published')) {
      const fx = effectsText(v, i.effects);
      h.push(`<li><strong>Inject: ${esc(i.title)}.</strong> ${esc(sentence(i.text))}${fx ? ` (${esc(fx)})` : ''}</li>`);
    }
    for (const l of r.lines) {
      h.push(`<li><span class="${l.counts ? '' : 'struck'}">${esc(lineStory(v, l))}</span>`);
      if (l.freeform) {
        h.push(
          `<div class="sub">Argument: ${esc(sentence(l.freeform.text))} Intent: ${esc(sentence(l.freeform.intent))}`,
        );
        h.push(` Why it should work: ${esc(sentence(l.freeform.rationale))}</div>`);
        const est = estimatesText(v, l);
        if (est) h.push(`<div class="sub">Estimates of success: ${esc(est)}.</div>`);
      }
      h.push('</li>');
    }
    for (const d of v.deals.filter((x) => x.proposedRound === r.round || x.settledRound === r.round))
      h.push(
        `<li>Deal ${esc(d.parties.map((p) => teamName(v, p)).join(' and '))}${d.secret ? ' (secret)' : ''}: ` +
          `${esc(d.status)}${d.note ? `; “${esc(d.note)}”` : ''}.</li>`,
      );
    for (const c of v.debrief?.covertLog.filter((x) => x.round === r.round) ?? [])
      h.push(
        `<li>Covert: ${esc(teamName(v, c.team))}, ${esc(c.name)}` +
          `${c.exposedRound ? ` (exposed round ${c.exposedRound})` : ''}.</li>`,
      );
    h.push('</ul>');
    const notes = notesOfRound(v, r.round);
    if (notes.length) {
      h.push('<h3>Rapporteur notes</h3><ul class="record">');
      for (const n of notes)
        h.push(
          `<li>${esc(n.author)} (${esc(clockTime(n.at))} UTC) on ${esc(noteTarget(n))} ${tagsHtml(n.tags)}: ` +
            `${esc(sentence(n.text))}</li>`,
        );
      h.push('</ul>');
    }
    h.push('</section>');
  }

  if (v.deals.length) {
    h.push('<section><h2>Deals</h2><table><thead><tr><th scope="col">Parties</th><th scope="col">Obligations</th>');
    h.push('<th scope="col">Status</th></tr></thead><tbody>');
    for (const d of v.deals)
      h.push(
        `<tr><td>${esc(d.parties.map((p) => teamName(v, p)).join(', '))}${d.secret ? ' (secret)' : ''}</td>` +
          `<td>${esc(d.obligations.map((o) => obligationText(v, o)).join('; '))}</td>` +
          `<td>${esc(d.status)}${d.snappedBack ? ', snapped back' : ''}</td></tr>`,
      );
    h.push('</tbody></table></section>');
  }

  if (v.debrief?.covertLog.length) {
    h.push('<section><h2>Covert moves</h2><table><thead><tr><th scope="col">Round</th><th scope="col">Team</th>');
    h.push('<th scope="col">Move</th><th scope="col">Exposed</th></tr></thead><tbody>');
    for (const c of v.debrief.covertLog)
      h.push(
        `<tr><td>${c.round}</td><td>${esc(teamName(v, c.team))}</td><td>${esc(c.name)}</td>` +
          `<td>${c.exposedRound === null ? 'never' : `round ${c.exposedRound}`}</td></tr>`,
      );
    h.push('</tbody></table></section>');
  }

  if (timings?.phases.length) {
    h.push('<section><h2>Timings</h2><table><thead><tr><th scope="col">Round</th><th scope="col">Phase</th>');
    h.push('<th scope="col">Began (UTC)</th><th scope="col">Length</th></tr></thead><tbody>');
    for (const p of timings.phases)
      h.push(
        `<tr><td>${p.round}</td><td>${esc(p.phase)}</td><td>${clockTime(p.start)}</td>` +
          `<td>${p.end === null ? '' : minutes(p.end - p.start)}</td></tr>`,
      );
    h.push('</tbody></table>');
    if (timings.locks.length) {
      h.push('<h3>Time to lock</h3><table><thead><tr><th scope="col">Round</th><th scope="col">Team</th>');
      h.push('<th scope="col">Locked after</th></tr></thead><tbody>');
      for (const l of timings.locks)
        h.push(
          `<tr><td>${l.round}</td><td>${esc(teamName(v, l.team))}</td>` +
            `<td>${l.afterSeconds === null ? '' : `${l.afterSeconds} s`}</td></tr>`,
        );
      h.push('</tbody></table>');
    }
    h.push('</section>');
  }

  const loose = v.record.notes.filter((n) => !v.reveals.some((r) => notesOfRound(v, r.round).includes(n)));
  if (loose.length) {
    h.push('<section><h2>Rapporteur notes</h2><ul class="record">');
    for (const n of loose)
      h.push(
        `<li>${esc(n.author)} (round ${n.round}, ${esc(clockTime(n.at))} UTC) on ${esc(noteTarget(n))} ` +
          `${tagsHtml(n.tags)}: ${esc(sentence(n.text))}</li>`,
      );
    h.push('</ul></section>');
  }

  const answered = v.record.forms.filter((f) => f.results?.some((r) => r.n > 0));
  if (answered.length) {
    h.push('<section><h2>Feedback</h2>');
    for (const f of answered)
      h.push(
        `<h3>${esc(f.title)}${f.round ? ` (round ${f.round})` : ''}</h3>` +
          `<ul>${(f.results ?? []).map((r) => `<li>${esc(formResultText(f, r))}</li>`).join('')}</ul>`,
      );
    h.push('</section>');
  }

  const hw = v.record.hotwash;
  if (hw?.length) {
    h.push('<section class="hotwash"><h2>Hot wash: after-action review and improvement plan</h2>');
    for (const kind of ['strength', 'improvement'] as const) {
      const items = hw.filter((x) => x.kind === kind);
      if (items.length)
        h.push(
          `<h3>${HOTWASH_HEADINGS[kind]}</h3>` +
            `<ul>${items.map((x) => `<li>${esc(sentence(x.text))}</li>`).join('')}</ul>`,
        );
    }
    const actions = hw.filter((x) => x.kind === 'action');
    if (actions.length) {
      h.push(`<h3>${HOTWASH_HEADINGS.action}</h3><table><thead><tr><th scope="col">Corrective action</th>`);
      h.push('<th scope="col">Owner</th><th scope="col">Due</th></tr></thead><tbody>');
      for (const x of actions)
        h.push(`<tr><td>${esc(x.text)}</td><td>${esc(x.owner ?? '')}</td><td>${esc(x.due ?? '')}</td></tr>`);
      h.push('</tbody></table>');
    }
    h.push('</section>');
  }

  return `<!doctype html><html lang="en"><head><meta charset="utf-8">\
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>After-action report: ${esc(g.title)}</title><style>${REPORT_STYLE}</style></head>\
<body><main>${h.join('\n')}</main></body></html>
`;
}
