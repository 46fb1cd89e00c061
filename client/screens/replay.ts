// Replay: step through a finished game (or, for the White Cell, a running one) event by event or round by round,
// seeing exactly what the chosen audience saw at that moment. Every view comes from the server, rebuilt from the
// log by the engine; this screen only picks the version.
import { html, nothing } from 'lit';
import type { GameView } from '../../shared/views.ts';
import { ApiError, fetchReplay, fetchReplayView, type ReplayIndex } from '../lib/api.ts';
import { rerender, type Screen } from '../lib/app.ts';
import { phaseName, time } from '../lib/format.ts';
import { getSeat, type Seat } from '../lib/seats.ts';
import { dealSummary, meterGrid, phaseBar, recordTimeline, teamsStrip } from '../parts/common.ts';

export class ReplayScreen implements Screen {
  private seat: Seat | null;
  private index: ReplayIndex | null = null;
  private at = 0;
  private shown: GameView | null = null;
  /** When the shown step happened (server time): the replay's bar says how long its phase had left then. */
  private shownAt = 0;
  private audience: string | undefined;
  private error: string | null = null;
  private asked = 0;

  constructor(
    private gameId: string,
    private key: string,
  ) {
    this.seat = getSeat(gameId, key);
    document.title = 'Replay · Flywheel';
    if (this.seat) void this.load();
  }

  private async load() {
    try {
      const first = !this.index;
      this.index = await fetchReplay(this.gameId, this.seat!.token, this.audience);
      this.error = null;
      // Another audience (the White Cell's "Seen as") keeps the moment; the first load opens where the address says
      // (#step=12, kept as the scrubber moves, so a refresh or a shared link returns there), or else at the start
      // of round 1: a replay is watched forwards, the end is what the debrief already shows, and the steps before
      // round 1 are only people taking their seats.
      const steps = this.index.steps;
      const asked = Number(new URLSearchParams(location.hash.slice(1)).get('step'));
      const start = Math.max(
        0,
        steps.findIndex((x) => x.round >= 1),
      );
      await this.show(first ? (asked >= 1 ? asked - 1 : start) : this.at);
    } catch (err) {
      this.error = err instanceof ApiError ? err.message : String(err);
      rerender();
    }
  }

  private async show(i: number) {
    if (!this.index?.steps.length) return;
    this.at = Math.max(0, Math.min(this.index.steps.length - 1, i));
    history.replaceState(history.state, '', `#step=${this.at + 1}`);
    const asked = ++this.asked;
    const step = this.index.steps[this.at];
    rerender();
    try {
      const r = await fetchReplayView(this.gameId, this.seat!.token, step.version, this.audience);
      // A quicker scrubber may have asked for another step meanwhile: only the latest answer is shown.
      if (asked === this.asked) {
        this.shown = r.view;
        this.shownAt = step.at;
      }
    } catch (err) {
      this.error = err instanceof ApiError ? err.message : String(err);
    }
    rerender();
  }

  /** The first step of the round before or after the current one. */
  private roundStep(dir: 1 | -1): number {
    const steps = this.index!.steps;
    const round = steps[this.at].round;
    if (dir === 1) {
      const i = steps.findIndex((s) => s.round > round);
      return i === -1 ? steps.length - 1 : i;
    }
    const target = Math.max(0, round - 1);
    const i = steps.findIndex((s) => s.round >= target);
    return i === -1 ? 0 : i;
  }

  view() {
    const back = this.seat
      ? html` · <a href=${`/game/${encodeURIComponent(this.gameId)}/${encodeURIComponent(this.key)}`}
          >Back to the game</a>`
      : nothing;
    // The way back sits in the head too: the page is long, and a White Cell mid-debrief should not scroll to leave.
    const header = html`<header class="top"><div class="brand">Flywheel</div><div
      class="who"><strong>Replay</strong>${back}</div></header>`;
    if (!this.seat)
      return html`${header}<main id="main" class="page narrow"><h1>Replay</h1>
        <p>This browser holds no seat for this game. Open your join link first.</p></main>`;
    const steps = this.index?.steps ?? [];
    const step = steps[this.at];
    const control = this.seat.role === 'control';
    const teams = this.shown?.teams ?? [];
    return html`${header}
      <main id="main" class="page wide replay">
        <h1>Replay${this.shown ? html`: ${this.shown.game.title}` : nothing}</h1>
        ${this.error ? html`<p class="banner refused" role="alert">${this.error}</p>` : nothing}
        ${
          control
            ? html`<p><label>Seen as <select @change=${(e: Event) => {
                const v = (e.target as HTMLSelectElement).value;
                this.audience = v === 'control' ? undefined : v;
                void this.load();
              }}>
                <option value="control">the White Cell</option>
                <option value="observer">the observers</option>
                ${teams.map(
                  (t) =>
                    html`<option value=${`team:${t.id}`} ?selected=${this.audience === `team:${t.id}`}
                      >${t.name}</option>`,
                )}
              </select></label></p>`
            : nothing
        }
        ${
          steps.length
            ? html`<div class="scrubber card" role="group" aria-label="Replay controls">
            <label class="scrub-label" for="scrub">Moment: <strong>step ${this.at + 1} of ${steps.length}</strong>
              · round ${step?.round}, ${phaseName(step?.phase ?? '')}</label>
            <div class="scrub-row">
              <button type="button" @click=${() => this.show(this.at - 1)} ?disabled=${this.at === 0}
                >‹ Previous step</button>
              <input id="scrub" type="range" min="0" max=${steps.length - 1} .value=${String(this.at)}
                aria-valuetext=${
                  step ? `Step ${this.at + 1} of ${steps.length}: round ${step.round}, ${phaseName(step.phase)}` : ''
                }
                @input=${(e: Event) => this.show(Number((e.target as HTMLInputElement).value))} />
              <button type="button" @click=${() => this.show(this.at + 1)} ?disabled=${this.at >= steps.length - 1}
                >Next step ›</button>
            </div>
            <div class="row wrap">
              <button type="button" @click=${() => this.show(this.roundStep(-1))} ?disabled=${this.at === 0}
                >« Previous round</button>
              <button type="button" @click=${() => this.show(this.roundStep(1))}
                ?disabled=${this.at >= steps.length - 1}
                >Next round »</button>
            </div>
            <p class="muted small" aria-live="polite">Step ${this.at + 1} of ${steps.length} · version ${step?.version}
              · ${step ? time(step.at) : ''}${step?.event ? html` · <code>${step.event}</code>` : nothing}</p>
          </div>`
            : this.error
              ? nothing
              : html`<p>Loading…</p>`
        }
        ${
          this.shown
            ? html`${phaseBar(this.shown, { at: this.shownAt })}${teamsStrip(this.shown)}${meterGrid(this.shown, { compact: true })}
            <div class="cols">
              <section class="card"><h2>The record</h2>${recordTimeline(this.shown)}</section>
              <section class="card"><h2>Deals</h2>${
                this.shown.deals.length
                  ? this.shown.deals.map((d) => dealSummary(this.shown!, d))
                  : html`<p class="muted">No deals at this moment.</p>`
              }</section>
            </div>`
            : nothing
        }
        <p><a href=${`/game/${encodeURIComponent(this.gameId)}/${encodeURIComponent(this.key)}`}
          >Back to the game</a></p>
      </main>`;
  }
}
