// The public board: what everyone in the room may see. Large type for a projector.
import { html, nothing } from 'lit';
import type { GameView } from '../../shared/views.ts';
import { teamName } from '../lib/format.ts';
import {
  dealSummary,
  dealsInForce,
  debriefView,
  meterGrid,
  phaseBar,
  phaseHint,
  recordTimeline,
  teamsStrip,
} from './common.ts';

/**
 * A kept deal as the wall names it: who, what was done (its note, or its steps), and the round it was completed in,
 * so that two deals between the same teams read apart.
 */
function keptName(v: GameView, d: GameView['deals'][number]): string {
  const what = d.note.trim() || d.obligations.map((o) => o.actionName).join(' for ');
  const round = Math.max(...d.obligations.map((o) => o.fulfilledRound ?? 0));
  const who = `${teamName(v, d.from, true)} → ${d.to.map((t) => teamName(v, t, true)).join(', ')}`;
  return `${who}: ${what.length > 80 ? `${what.slice(0, 79)}…` : what} (kept in round ${round})`;
}

/**
 * The ladder in one line: which tiers are open now. The room reads the wheel turning off it (a tier opening is the
 * point of the small wins), and a tier closed by exposed cheating shows as closed.
 */
function ladderLine(v: GameView) {
  if (v.tiers.length < 2) return nothing;
  return html`<p class="ladder hint"><span>The ladder:</span> ${v.tiers.map((t) =>
    t.open
      ? html`<span class="rung open"><span aria-hidden="true">✔ </span>Tier ${t.tier} ${t.name}<span class="sr-only"
            >, open</span></span>`
      : html`<span class="rung closed">Tier ${t.tier} ${t.name} <span class="muted">(closed)</span></span>`,
  )}</p>`;
}

/** `phaseBar: false` where the page shows the round and clock in its sticky head instead (the observer's). */
export function publicBoard(v: GameView, opts: { big?: boolean; phaseBar?: boolean } = {}) {
  const inForce = dealsInForce(v);
  const kept = v.deals.filter((d) => d.status === 'fulfilled');
  return html`<div class="board ${opts.big ? 'big' : ''}">
    ${opts.phaseBar === false ? nothing : phaseBar(v, opts)}
    ${
      v.debrief
        ? debriefView(v, { projector: opts.big })
        : html`
      <div class="hint-row"><p class="hint">${phaseHint(v)}</p>${ladderLine(v)}</div>
      ${teamsStrip(v)}
      <div class="board-grid">
        <section class="meters-part" aria-labelledby="meters-h" tabindex=${opts.big ? 0 : nothing}
          data-pages=${opts.big ? '' : nothing}><h2 id="meters-h" class="sr-only">The meters</h2>${meterGrid(v, {
            ...opts,
            compact: true,
          })}</section>
        <div class="board-side">
          <section class="card tl-card" aria-labelledby="tl-h" tabindex=${opts.big ? 0 : nothing}
            data-pages=${opts.big ? '' : nothing}><h2 id="tl-h">${
              opts.big ? 'Latest round' : 'What has happened'
            }</h2>${recordTimeline(v, { big: opts.big, limit: opts.big ? 1 : undefined })}</section>
          <section class="card deals-card" aria-labelledby="force-h" tabindex=${opts.big ? 0 : nothing}
            data-pages=${opts.big ? '' : nothing}><h2 id="force-h">Deals in force</h2>
            ${inForce.length ? inForce.map((d) => dealSummary(v, d)) : html`<p class="muted">None at the moment.</p>`}
            ${
              kept.length
                ? html`<p class="muted kept">Kept: ${kept.map((d) => keptName(v, d)).join('; ')}.</p>`
                : nothing
            }</section>
        </div>
      </div>`
    }
    ${
      v.debrief || !v.game.summary
        ? nothing
        : html`<p class="muted small board-foot">${v.game.scenarioTitle}. ${v.game.source.title}${
            v.game.source.author ? `, ${v.game.source.author}` : ''
          }${v.game.source.date ? ` (${v.game.source.date})` : ''}.</p>`
    }
  </div>`;
}
