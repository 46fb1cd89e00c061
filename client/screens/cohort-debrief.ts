// The comparative debrief: every cell side by side. Endings and when they came, each meter across the cells
// (uPlot charts, with the numbers in a table beside them), which deals held, who broke faith and when covert moves
// came to light, and the team scores. Presenter mode enlarges it for a projector; it prints as a report.
import { html, nothing } from 'lit';
import { ref } from 'lit/directives/ref.js';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { CohortDebrief } from '../../shared/cohorts.ts';
import { rerender, type Screen } from '../lib/app.ts';
import { cohortDebrief, cohortExport, instructorToken } from '../lib/cohort-api.ts';
import { notify } from '../lib/notify.ts';

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

/** A table's header row, one column heading per label. */
const head = (...labels: string[]) =>
  html`<thead><tr>${labels.map((label) => html`<th scope="col">${label}</th>`)}</tr></thead>`;

export class CohortDebriefScreen implements Screen {
  private token: string | null;
  private data: CohortDebrief | null = null;
  private error: string | null = null;
  private presenter = false;
  private charts = new Map<string, { plot: uPlot; el: HTMLElement }>();

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

  dispose() {
    for (const { plot } of this.charts.values()) plot.destroy();
    this.charts.clear();
  }

  private chart(meter: string) {
    return ref((el) => {
      const d = this.data;
      if (!(el instanceof HTMLElement) || !d) return;
      const existing = this.charts.get(meter);
      const width = Math.max(280, Math.min(el.clientWidth || 560, 900));
      if (existing && existing.el === el) {
        existing.plot.setSize({ width, height: this.presenter ? 320 : 220 });
        return;
      }
      existing?.plot.destroy();
      const longest = Math.max(1, ...d.cells.map((c) => c.meters.find((m) => m.id === meter)?.history.length ?? 0));
      const xs = Array.from({ length: longest }, (_, i) => i);
      const series = d.cells.map((c) => {
        const h = c.meters.find((m) => m.id === meter)?.history ?? [];
        return xs.map((i) => (i < h.length ? h[i] : null));
      });
      const plot = new uPlot(
        {
          width,
          height: this.presenter ? 320 : 220,
          legend: { show: false },
          scales: { x: { time: false }, y: { range: [0, 100] } },
          axes: [
            { label: 'round', values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) },
            {},
          ],
          series: [
            {},
            ...d.cells.map((c, i) => ({
              label: `Cell ${c.label}`,
              stroke: colour(i),
              width: 2,
              ...(i >= PALETTE.length ? { dash: [6, 4] } : {}),
            })),
          ],
        },
        [xs, ...series] as uPlot.AlignedData,
        el,
      );
      this.charts.set(meter, { plot, el });
    });
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
    const legend = html`<ul class="chart-legend" aria-label="Cells">${d.cells.map(
      (c, i) =>
        html`<li><span class="swatch ${i >= PALETTE.length ? 'dashed' : ''}" style="--c:${colour(i)}"
          aria-hidden="true"></span>Cell ${c.label}</li>`,
    )}</ul>`;
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
        <table class="table">${head('Cell', 'Ending', 'Round', 'Where it stands')}
        <tbody>${d.cells.map(
          (c) => html`<tr><th scope="row">${c.label}</th><td>${
            c.ending?.name ?? html`<span class="muted">not yet</span>`
          }</td>
            <td>${c.ending?.round ?? '—'}</td><td>${c.phase}, round ${c.round}</td></tr>`,
        )}</tbody></table>
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
            <div class="chart" role="img" aria-label=${`${m.name} by round in each cell: ${rows
              .map((r) => `cell ${r.label} ends at ${r.h[r.h.length - 1] ?? 'no value'}`)
              .join('; ')}`} ${this.chart(m.id)}></div>
            <details><summary>The numbers</summary>
              <table class="table small">${head('Cell', 'By round (start first)')}
              <tbody>${rows.map(
                (r) => html`<tr><th scope="row">${r.label}</th><td>${r.h.join(' → ')}</td></tr>`,
              )}</tbody></table></details>
          </figure>`;
        })}</div></section>

      <section class="card" aria-labelledby="deals-h"><h2 id="deals-h">Deals: which held</h2>
        <table class="table">${head('Cell', 'Fulfilled', 'Broken', 'Still open or lapsed')}
        <tbody>${d.cells.map((c) => {
          const by = (st: string[]) => c.deals.filter((x) => st.includes(x.status));
          const list = (xs: typeof c.deals) =>
            xs.length
              ? xs.map((x, i) => html`${i ? '; ' : ''}${x.parties.map(team).join('–')}`)
              : html`<span class="muted">none</span>`;
          return html`<tr><th scope="row">${c.label}</th><td>${list(by(['fulfilled']))}</td><td>${list(
            by(['broken']),
          )}</td><td>${list(by(['accepted', 'expired']))}</td></tr>`;
        })}</tbody></table></section>

      <section class="card" aria-labelledby="pocket-h"><h2 id="pocket-h">Who pocketed, and when it came out</h2>
        <table class="table">${head('Cell', 'Broke a deal (round)', 'Covert moves (round → exposed)')}
        <tbody>${d.cells.map(
          (c) => html`<tr><th scope="row">${c.label}</th>
            <td>${
              c.pocketed.length
                ? c.pocketed.map((p, i) => html`${i ? '; ' : ''}${team(p.team)} (${p.round ?? '?'})`)
                : html`<span class="muted">nobody</span>`
            }</td>
            <td>${
              c.covert.length
                ? c.covert.map(
                    (x, i) =>
                      html`${i ? '; ' : ''}${team(x.team)}: ${x.name} (${x.round} → ${x.exposedRound ?? 'never'})`,
                  )
                : html`<span class="muted">none</span>`
            }</td></tr>`,
        )}</tbody></table></section>

      <section class="card" aria-labelledby="scores-h"><h2 id="scores-h">Team scores</h2>
        <table class="table">${head('Cell', ...d.teams.map((t) => t.short))}
        <tbody>${d.cells.map(
          (c) =>
            html`<tr><th scope="row">${c.label}</th>${d.teams.map((t) => {
              const s = c.scores?.find((x) => x.team === t.id);
              return html`<td>${s ? `${s.total} / ${s.max}` : '—'}</td>`;
            })}</tr>`,
        )}</tbody></table>
        <p class="muted small">Scores appear once a cell reaches its debrief.</p></section>
    </main>`;
  }
}
