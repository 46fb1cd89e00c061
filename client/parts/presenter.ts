// Presenter mode for the projector: a 1920×1080 page that never scrolls (on a smaller screen the whole slide is
// scaled down with the root font size, styles.css). During a reveal it steps through the
// round's outcome one line at a time, by itself every few seconds and on a key press (→, Space, ←), then shows the
// board; in the debrief it alternates the ending with each team's score and the board; otherwise it shows the board.
// Text is sized to be read from the back of a room.
import { html, nothing } from 'lit';
import type { GameView } from '../../shared/views.ts';
import { currentAnnouncements } from '../lib/announcements.ts';
import { rerender } from '../lib/app.ts';
import { teamColor, underlyingPhase } from '../lib/format.ts';
import { amendmentsBeyondWhy, rollSaid } from '../../shared/format.ts';
import { announcementBanner, effectsList, meterGrid, phaseBar, phaseHint, teamChip, teamsStrip } from './common.ts';

/**
 * Columns of meter cards, so that a scenario's meters fit one 1920×1080 screen in rows of similar length: at most
 * three rows up to eighteen meters (the debrief adds the meters that were not public). An announcement takes a
 * band of the slide's height, so under one the cards go into fewer, wider rows (twelve meters in two rows of six,
 * as the 1920-pixel board has them), and each chart keeps a plot worth reading rather than a sliver.
 */
function presenterColumns(meters: number, announced: boolean): number {
  if (announced) return Math.min(6, Math.max(3, Math.ceil(meters / 2)));
  return meters <= 6 ? 3 : meters <= 12 ? 4 : meters <= 15 ? 5 : 6;
}

export class Presenter {
  /**
   * The slide shown: in a reveal 0..lines-1 are its lines and `lines` is the board after them; in the debrief 0 is
   * the ending and the scores, 1 the board.
   */
  step = 0;
  /** What the slides are of ("reveal:2", "debrief"): a new one starts at its first slide. */
  private showing = '';
  private timer: ReturnType<typeof setInterval>;
  private lastCount = 0;

  constructor(private seconds = 10) {
    this.timer = setInterval(() => this.move(1, true), this.seconds * 1000);
    window.addEventListener('keydown', this.onKey);
  }

  dispose() {
    clearInterval(this.timer);
    window.removeEventListener('keydown', this.onKey);
  }

  private onKey = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
    if (e.key === 'ArrowRight' || e.key === ' ' || e.key === 'PageDown') this.move(1);
    else if (e.key === 'ArrowLeft' || e.key === 'PageUp') this.move(-1);
    else if (e.key === 'Home') this.move(-this.step);
    else return;
    e.preventDefault();
  };

  /** A key press restarts the automatic clock, so the next step is a full interval away. */
  private move(by: number, auto = false) {
    const slides = this.lastCount + 1;
    if (!auto) {
      clearInterval(this.timer);
      this.timer = setInterval(() => this.move(1, true), this.seconds * 1000);
    }
    this.step = (((this.step + by) % slides) + slides) % slides;
    rerender();
  }

  view(v: GameView) {
    const reveal = underlyingPhase(v) === 'reveal' ? v.reveals[v.reveals.length - 1] : undefined;
    const showing = v.debrief ? 'debrief' : reveal ? `reveal:${reveal.round}` : '';
    if (showing !== this.showing) {
      this.showing = showing;
      this.step = 0;
    }
    this.lastCount = v.debrief ? 1 : reveal ? reveal.lines.length : 0;
    if (v.debrief && this.step === 0)
      return html`<div class="presenter">
        <header class="pr-head"><h1 class="board-title">${v.game.title}</h1>${phaseBar(v, { big: true })}</header>
        ${announcementBanner(v, 'board')}${this.ending(v, v.debrief)}</div>`;
    const line = reveal && this.step < reveal.lines.length ? reveal.lines[this.step] : null;
    return html`<div class="presenter">
      <header class="pr-head"><h1 class="board-title">${v.game.title}</h1>${phaseBar(v, { big: true })}</header>
      ${announcementBanner(v, 'board')}
      ${
        line && reveal
          ? html`<section class="pr-slide" aria-live="polite" data-step="${this.step + 1}/${reveal.lines.length}">
          <p class="pr-kicker">Round ${reveal.round}: what happened · ${this.step + 1} of ${reveal.lines.length}</p>
          <article class="pr-line ${line.counts ? '' : 'void'}" style="--team:${teamColor(v, line.team)}">
            <h2>${line.text}${line.counts ? nothing : html` <span class="badge">did not apply</span>`}</h2>
            ${line.why ? html`<p class="pr-why">${line.why}</p>` : nothing}
            ${effectsList(v, line.effects, { unapplied: !line.counts })}
            ${
              line.roll
                ? html`<p class="pr-roll">Roll for ${line.roll.what}: <strong>${rollSaid(line.roll)}</strong></p>`
                : nothing
            }
            ${
              // A ruling's reason is the line's "why" already: only what the White Cell added beyond it.
              amendmentsBeyondWhy(line).map((a) => html`<p class="pr-amend">White Cell (${a.by}): ${a.rationale}</p>`)
            }
          </article>
          <div class="pr-progress" aria-hidden="true">${reveal.lines.map(
            (_, i) => html`<span class=${i === this.step ? 'on' : i < this.step ? 'done' : ''}></span>`,
          )}</div>
          <p class="pr-keys">→ or Space: next · ←: back · steps by itself every ${this.seconds} s</p>
        </section>`
          : html`<section class="pr-board" style="--cols:${presenterColumns(v.meters.length, currentAnnouncements(v).length > 0)}" data-step=${reveal ? `board/${reveal.lines.length}` : 'board'}>
          <p class="pr-kicker">${
            reveal ? `The board after round ${reveal.round}` : v.debrief ? 'The board at the end' : phaseHint(v)
          }</p>
          ${teamsStrip(v)}
          ${meterGrid(v, { big: true, compact: true })}
        </section>`
      }
    </div>`;
  }

  /** The debrief's first slide: how the game ended, what the ending means, and each team's score. */
  private ending(v: GameView, d: NonNullable<GameView['debrief']>) {
    return html`<section class="pr-slide pr-ending" aria-labelledby="pr-ending-h" data-step="ending">
      <p class="pr-kicker">The exercise is over · the ending, reached in round ${d.ending.round}</p>
      <h2 id="pr-ending-h">${d.ending.name}</h2>
      <p class="pr-ending-text">${d.ending.debrief}</p>
      <ul class="pr-scores" aria-label="How each team did">${d.scores.map((s) => {
        const met = s.objectives.filter((o) => o.achieved).length;
        return html`<li style="--team:${teamColor(v, s.team)}">${teamChip(v, s.team)}
          <span class="pr-score-total">${s.total}<span class="pr-score-max"> / ${s.max}</span></span>
          <span class="pr-score-met">${met} of ${s.objectives.length} objectives met</span></li>`;
      })}</ul>
      <p class="pr-keys">→ or Space: the board · every objective is in each team’s after-action report</p>
    </section>`;
  }
}
