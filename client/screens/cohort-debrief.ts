// The comparative debrief: every cell side by side. Endings and when they came, each meter across the cells (a
// line chart per meter that fits its card at any width, with the numbers in a table under it), which deals held and
// when, who broke faith and when covert moves came to light, and the team scores. Presenter mode enlarges it for a
// projector; it prints as a report.
import { html, nothing, svg } from 'lit';
import type { CellDebrief, CohortDebrief } from '../../shared/cohorts.ts';
import { rerender, type Screen } from '../lib/app.ts';
import { cohortDebrief, cohortExport, instructorToken } from '../lib/cohort-api.ts';
import { notify } from '../lib/notify.ts';
import { phaseName } from '../lib/format.ts';

/** Distinct, print-safe colours for up to twelve cells; more cells repeat them with a dash. */
const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#393b79',
  '#637939',
];
const colour = (i: number) => PALETTE[i % PALETTE.length];
/** How far apart, in points of the 0-100 scale, the lines of two cells with the same values are drawn. */
const SPREAD = 1.2;

/**
 * One meter across the cells: a line per cell, round by round on the meters' 0-100 scale. The lines are drawn in a
 * 100x100 viewBox stretched to the chart's box (strokes keep their width), so the chart takes its card's width at
 * any screen size; the axis labels are text beside it, in em, so they stay legible and grow with presenter mode.
 */
function meterChart(d: CohortDebrief, meter: string, label: string) {
  const histories = d.cells.map((c) => c.meters.find((m) => m.id === meter)?.history ?? []);
  const last = Math.max(1, ...histories.map((h) => h.length - 1));
  const x = (i: number) => (i / last) * 100;
  const y = (v: number) => 100 - Math.max(0, Math.min(100, v));
  const ticks = Array.from({ length: last + 1 }, (_, i) => i).filter((i) => last <= 10 || i % 2 === 0);
  return html`<div class="chart cmp-chart" role="img" aria-label=${label}>
    <div class="cmp-y" aria-hidden="true">${[100, 50, 0].map(
      (v) => html`<span class="axis-label" style="top:${y(v)}%">${v}</span>`,
    )}</div>
    <svg class="cmp-plot" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      ${[0, 25, 50, 75, 100].map((v) => svg`<line class="grid" x1="0" x2="100" y1=${y(v)} y2=${y(v)}></line>`)}
      ${histories.map((h, i) => {
        // Cells that agree would draw one line over another and hide it: each is set a hair apart (SPREAD of the
        // scale between neighbours), which the legend says.
        const off = (i - (histories.length - 1) / 2) * SPREAD;
        return svg`<path class="series" stroke=${colour(i)} stroke-dasharray=${i >= PALETTE.length ? '6 4' : 'none'}
            d=${h.map((v, r) => `${r ? 'L' : 'M'}${x(r).toFixed(2)} ${(y(v) + off).toFixed(2)}`).join(' ')}></path>`;
      })}
    </svg>
    <div class="cmp-x" aria-hidden="true">${ticks.map(
      (i) => html`<span class="axis-label" style="left:${x(i)}%">${i === 0 ? 'start' : i}</span>`,
    )}</div>
    <div class="cmp-x-title axis-label" aria-hidden="true">round</div>
  </div>`;
}

const OUTCOME: Record<string, string> = {
  fulfilled: 'fulfilled',
  broken: 'broken',
  accepted: 'still open',
  expired: 'lapsed unaccepted',
  rejected: 'turned down',
  withdrawn: 'withdrawn',
};

/**
 * A deal's line: its parties, the round it was accepted in, and how it ended and when ("ROK–US (round 2): fulfilled
 * in round 3"; a proposal nobody accepted: "PRC–US: lapsed unaccepted in round 1"). Several deals between the same
 * teams are told apart by their rounds.
 */
function dealLine(x: CellDebrief['deals'][number], team: (id: string) => string) {
  const outcome = OUTCOME[x.status] ?? x.status;
  const when =
    x.status === 'accepted' || x.settledRound === null
      ? outcome
      : `${outcome} in round ${x.settledRound}${
          x.status === 'broken' && x.breakers.length ? ` by ${x.breakers.map(team).join(', ')}` : ''
        }`;
  return html`<span class="deal-parties">${x.parties.map(team).join('–')}</span>${
    x.acceptedRound !== null ? ` (round ${x.acceptedRound})` : ''
  }: ${when}${x.secret ? html` <span class="badge secret">secret</span>` : nothing}`;
}

/** A table's header row, one column heading per label. */
const head = (...labels: string[]) =>
  html`<thead><tr>${labels.map((label) => html`<th scope="col">${label}</th>`)}</tr></thead>`;

/** Where a cell stands, as a person would say it: "Round 2, negotiation", not "negotiation, round 2" or "round 0". */
function whereItStands(c: CellDebrief): string {
  if (c.phase === 'lobby') return 'Not started';
  if (c.phase === 'briefing') return 'Reading the briefing';
  if (c.phase === 'debrief') return `Debrief, after ${c.round === 1 ? 'round 1' : `${c.round} rounds`}`;
  if (c.phase === 'ended') return `Closed, after ${c.round === 1 ? 'round 1' : `${c.round} rounds`}`;
  return `Round ${c.round}, ${phaseName(c.phase).toLowerCase()}`;
}

export class CohortDebriefScreen implements Screen {
  private token: string | null;
  private data: CohortDebrief | null = null;
  private error: string | null = null;
  private presenter = false;

  constructor(private cohortId: string) {
    this.token = instructorToken(cohortId);
    document.title = 'Flywheel: comparative debrief';
    if (this.token)
      cohortDebrief(cohortId, this.token).then(
        (d) => {
          this.data = d;
          document.title = `${d.title} · comparative debrief`;
          rerender();
        },
        (err: unknown) => {
          this.error = err instanceof Error ? err.message : String(err);
          rerender();
        },
      );
  }

  private async download() {
    try {
      const data = await cohortExport(this.cohortId, this.token!);
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `cohort-${this.cohortId}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), 'error');
    }
  }

  view() {
    const top = html`<header class="top no-print"><div class="brand">Flywheel</div></header>`;
    if (!this.token)
      return html`${top}<main id="main" class="page narrow"><h1>No instructor's seat here</h1>
        <p>Open the comparative debrief in the browser that created the seminar.</p></main>`;
    const d = this.data;
    if (!d)
      return html`${top}<main id="main" class="page narrow"><h1>Comparative debrief</h1><p>${
        this.error ?? 'Loading…'
      }</p></main>`;
    const team = (id: string) => d.teams.find((t) => t.id === id)?.short ?? id;
    // In presenter mode, what the room may read: no secret deal, nor the breaking of one.
    const shownDeals = (c: CellDebrief) => (this.presenter ? c.deals.filter((x) => !x.secret) : c.deals);
    const shownPocketed = (c: CellDebrief) => {
      if (!this.presenter) return c.pocketed;
      const secret = new Set(c.deals.filter((x) => x.secret).map((x) => x.id));
      return c.pocketed.filter((p) => !secret.has(p.dealId));
    };
    const legend = html`<ul class="chart-legend" aria-label="Cells">${d.cells.map(
      (c, i) =>
        html`<li><span class="swatch ${i >= PALETTE.length ? 'dashed' : ''}" style="--c:${colour(i)}"
          aria-hidden="true"></span>Cell ${c.label}</li>`,
    )}</ul><p class="help">Cells with the same values are drawn a hair apart, so that no line hides another.</p>`;
    const metersShown = d.meters.filter((m) => d.cells.some((c) => c.meters.some((x) => x.id === m.id)));
    return html`${top}<main id="main" class="page wide cohort-debrief ${this.presenter ? 'presenter' : ''}">
      <h1>${d.title}: the cells compared</h1>
      <p class="no-print button-row">
        <button type="button" aria-pressed=${this.presenter ? 'true' : 'false'} @click=${() => {
          this.presenter = !this.presenter;
          rerender();
        }}>Presenter mode</button>
        <button type="button" @click=${() => window.print()}>Print</button>
        <button type="button" @click=${() => this.download()}>Export every cell (JSON)</button>
        <a href="/cohort/${d.cohortId}">Back to the dashboard</a></p>

      <section class="card" aria-labelledby="endings-h"><h2 id="endings-h">Endings</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Endings table"><table class="table">${head('Cell', 'Ending', 'Round', 'Where it stands')}
        <tbody>${d.cells.map(
          (c) => html`<tr><th scope="row">${c.label}</th><td>${
            c.ending?.name ?? html`<span class="muted">not yet</span>`
          }</td>
            <td>${c.ending?.round ?? '—'}</td><td>${whereItStands(c)}</td></tr>`,
        )}</tbody></table></div>
        ${
          d.endings.length
            ? html`<p>${d.endings.map(
                (e, i) =>
                  html`${i ? ' · ' : ''}<strong>${e.name}</strong>: ${e.cells.length} cell${
                    e.cells.length === 1 ? '' : 's'
                  } (rounds ${e.rounds.join(', ')})`,
              )}</p>`
            : nothing
        }
      </section>

      <section aria-labelledby="meters-h"><h2 id="meters-h">The meters across cells</h2>${legend}
        <div class="chart-grid">${metersShown.map((m) => {
          const rows = d.cells.map((c) => ({ label: c.label, h: c.meters.find((x) => x.id === m.id)?.history ?? [] }));
          return html`<figure class="card chart-card">
            <figcaption><strong>${m.name}</strong></figcaption>
            ${meterChart(
              d,
              m.id,
              `${m.name} by round in each cell: ${rows
                .map((r) => `cell ${r.label} ends at ${r.h[r.h.length - 1] ?? 'no value'}`)
                .join('; ')}`,
            )}
            <details><summary>The numbers</summary>
              <table class="table small">${head('Cell', 'By round (start first)')}
              <tbody>${rows.map(
                (r) => html`<tr><th scope="row">${r.label}</th><td>${r.h.join(' → ')}</td></tr>`,
              )}</tbody></table></details>
          </figure>`;
        })}</div></section>

      <section class="card" aria-labelledby="deals-h"><h2 id="deals-h">Deals: which held</h2>
        ${
          // The projector shows the room what each cell's own public debrief shows: a secret deal stays its
          // parties' (and the instructor's, on this screen, tagged).
          this.presenter
            ? html`<p class="help">Secret deals are left out in presenter mode, here and under "Who pocketed";
                they show, tagged, on your own screen.</p>`
            : nothing
        }
        <div class="table-scroll" tabindex="0" role="region" aria-label="Deals table"><table class="table">${head('Cell', 'Fulfilled', 'Broken', 'Still open, lapsed, turned down or withdrawn')}
        <tbody>${d.cells.map((c) => {
          const deals = shownDeals(c);
          const by = (st: string[]) => deals.filter((x) => st.includes(x.status));
          const list = (xs: typeof c.deals) =>
            xs.length
              ? html`<ul class="deal-list">${xs.map((x) => html`<li>${dealLine(x, team)}</li>`)}</ul>`
              : html`<span class="muted">none</span>`;
          return html`<tr><th scope="row">${c.label}</th><td>${list(by(['fulfilled']))}</td><td>${list(
            by(['broken']),
          )}</td><td>${list(by(['accepted', 'expired', 'rejected', 'withdrawn']))}</td></tr>`;
        })}</tbody></table></div></section>

      <section class="card" aria-labelledby="pocket-h"><h2 id="pocket-h">Who pocketed, and when it came out</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Pocketing table"><table class="table">${head('Cell', 'Broke a deal (round)', 'Covert moves (round → exposed)')}
        <tbody>${d.cells.map((c) => {
          const broke = shownPocketed(c);
          return html`<tr><th scope="row">${c.label}</th>
            <td>${
              broke.length
                ? broke.map((p, i) => html`${i ? '; ' : ''}${team(p.team)} (${p.round ?? '?'})`)
                : html`<span class="muted">nobody</span>`
            }</td>
            <td>${
              c.covert.length
                ? c.covert.map(
                    (x, i) =>
                      html`${i ? '; ' : ''}${team(x.team)}: ${x.name} (${x.round} → ${x.exposedRound ?? 'never'})`,
                  )
                : html`<span class="muted">none</span>`
            }</td></tr>`;
        })}</tbody></table></div></section>

      <section class="card" aria-labelledby="scores-h"><h2 id="scores-h">Team scores</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Scores table"><table class="table">${head('Cell', ...d.teams.map((t) => t.short))}
        <tbody>${d.cells.map(
          (c) =>
            html`<tr><th scope="row">${c.label}</th>${d.teams.map((t) => {
              const s = c.scores?.find((x) => x.team === t.id);
              return html`<td>${s ? `${s.total} / ${s.max}` : '—'}</td>`;
            })}</tr>`,
        )}</tbody></table></div>
        <p class="muted small">Scores appear once a cell reaches its debrief.</p></section>
    </main>`;
  }
}
