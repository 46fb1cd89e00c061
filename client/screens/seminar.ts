// A student's way in: one seminar link for everyone. The server places the student in a cell and a team; this page
// says where, and opens the team console. After a move by the instructor, "Find my seat" fetches the new one.
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { CohortSeat } from '../../shared/cohorts.ts';
import { ApiError } from '../lib/api.ts';
import { navigate, rerender, type Screen } from '../lib/app.ts';
import { cohortSeat, joinCohort, keepStudent, studentToken } from '../lib/cohort-api.ts';
import { putSeat, putSeminarLink } from '../lib/seats.ts';

export class SeminarScreen implements Screen {
  private name = localStorage.getItem('flywheel.name.v1') ?? '';
  private busy = false;
  private error: string | null = null;
  private placed: CohortSeat | null = null;
  /** The instructor removed this student (the server said STUDENT_REMOVED): no seat, and no way in under a new name. */
  private removed = false;
  private readonly cohortId: string;

  constructor(private code: string) {
    this.cohortId = code.split('.')[0] ?? '';
    document.title = 'Flywheel: join the seminar';
    // The instructor's way back in for this student (#student=<token>): kept like a token from joining, and taken
    // out of the address bar so that it does not stay in the history or get shared with the page's link.
    const given = new URLSearchParams(location.hash.slice(1)).get('student');
    if (given?.startsWith(`${this.cohortId}.`)) {
      keepStudent(this.cohortId, given);
      history.replaceState(history.state, '', location.pathname + location.search);
    }
  }

  private async go(job: () => Promise<CohortSeat>) {
    this.busy = true;
    this.error = null;
    rerender();
    try {
      this.placed = await job();
      putSeat(this.placed.team, { ...this.placed.seat });
      putSeminarLink(this.placed.seat.gameId, location.pathname);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'STUDENT_REMOVED') this.removed = true;
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.busy = false;
      rerender();
    }
  }

  private join(e: Event) {
    e.preventDefault();
    localStorage.setItem('flywheel.name.v1', this.name.trim());
    return this.go(async () => {
      const r = await joinCohort(this.code, this.name.trim());
      keepStudent(r.cohortId, r.studentToken);
      return r;
    });
  }

  view() {
    const mine = studentToken(this.cohortId);
    const p = this.placed;
    const find = (primary: boolean) =>
      html`<p><button type="button" class=${primary ? 'primary big' : ''} ?disabled=${this.busy}
          @click=${() => this.go(() => cohortSeat(this.cohortId, mine!))}>Find my seat</button>
        <span class="help">if the instructor moved you, or you come back on this device</span></p>`;
    const form = html`<form class="card form" @submit=${(e: Event) => this.join(e)}>
        <div class="field"><label for="s-name">Your name</label>
          <input id="s-name" autocomplete="name" maxlength="40" required .value=${live(this.name)}
            @input=${(e: Event) => {
              this.name = (e.target as HTMLInputElement).value;
            }} />
          <p class="help">The instructor places you in a cell and a team. Each name joins once: back on this
            browser, press Find my seat; on another device, ask the instructor for your way back in.</p></div>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <button type="submit" class=${mine ? '' : 'primary big'} ?disabled=${this.busy}>${
          this.busy ? 'Joining…' : 'Join'
        }</button>
      </form>`;
    return html`<header class="top"><div class="brand">Flywheel</div></header>
      <main id="main" class="page narrow"><h1>Join the seminar</h1>
      ${
        this.removed
          ? // Remove is meant to keep this person out: inviting them to join under another name would undo it.
            html`<section class="card"><h2>You are no longer in this seminar</h2>
              <p role="alert">The instructor has taken you out of this seminar, so this page has no seat for you.
                If you think this is a mistake, ask the instructor.</p></section>`
          : p
            ? html`<section class="card"><h2>You are in cell ${p.label}, playing ${p.teamName}</h2>
              <p><button type="button" class="primary big"
                @click=${() => navigate(`/game/${encodeURIComponent(p.seat.gameId)}/${encodeURIComponent(p.team)}`)}
                >Open your team console</button></p></section>${mine ? find(false) : nothing}`
            : mine
              ? // This browser has joined before: its way back comes first, so nobody joins twice by accident. The
                // form stays within reach, folded, for someone else sharing the browser (a lab machine).
                html`<section class="card"><h2>You have joined this seminar on this browser</h2>${find(true)}</section>
                <details class="another-name" ?open=${!!this.error}><summary>Someone else on this browser? Join under
                  another name</summary>${form}</details>`
              : form
      }
      </main>`;
  }
}
