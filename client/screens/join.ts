// Joining a seat: a code (from the link or typed) and a name. The seat's token is kept in this browser.
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { JoinPreview } from '../../shared/protocol.ts';
import { ApiError, joinGame, joinRefusal, previewJoin } from '../lib/api.ts';
import { navigate, rerender, type Screen } from '../lib/app.ts';
import { putSeat, seatKey } from '../lib/seats.ts';
import { normaliseShortCode } from '../../shared/join-code.ts';

/** Whether the text is a whole code of either form: only then is the server asked (a wrong one counts as a guess). */
const complete = (code: string) => /^[0-9a-z]{12}\.[a-z2-7]{26}$/i.test(code) || normaliseShortCode(code) !== null;

const NAME = 'flywheel.name.v1';

export class JoinScreen implements Screen {
  private name = localStorage.getItem(NAME) ?? '';
  private busy = false;
  private error: string | null = null;

  /** Which exercise and seat the code is for, asked of the server before joining (null: not known yet). */
  private preview: JoinPreview | null = null;
  private previewFor = '';

  constructor(private code: string) {
    document.title = 'Flywheel: join';
    this.lookUp();
  }

  private lookUp() {
    const code = this.code.trim();
    if (code === this.previewFor) return;
    // What was said of the code before (spent, unknown) is not said of the code as it now reads.
    if (this.error) {
      this.error = null;
      rerender();
    }
    if (!complete(code)) return;
    this.previewFor = code;
    this.preview = null;
    previewJoin(code).then(
      (p) => {
        if (this.previewFor !== code) return;
        // A seminar's short code: the seminar page asks the name and places the student.
        if (p.seminar) return navigate(`/seminar/${encodeURIComponent(p.seminar)}`);
        this.preview = p;
        rerender();
      },
      (err) => {
        // A spent or expired recovery code is said at once, before a name is typed; a wrong code waits for the join.
        if (this.previewFor === code && err instanceof ApiError && err.status === 410) this.error = err.message;
        rerender();
      },
    );
  }

  private async join(e: Event) {
    e.preventDefault();
    if (this.busy) return;
    const code = this.code.trim();
    const name = this.name.trim();
    if (!code || !name) {
      this.error = 'Give both the code and your name.';
      rerender();
      return;
    }
    this.busy = true;
    this.error = null;
    rerender();
    try {
      const r = await joinGame(code, name);
      try {
        localStorage.setItem(NAME, name);
      } catch {
        /* not kept */
      }
      const seat = { token: r.token, gameId: r.gameId, playerId: r.playerId, role: r.role, team: r.team, name: r.name };
      const key = seatKey(seat);
      putSeat(key, seat);
      navigate(`/game/${encodeURIComponent(r.gameId)}/${encodeURIComponent(key)}`);
    } catch (err) {
      this.error = joinRefusal(err);
      this.busy = false;
      rerender();
    }
  }

  view() {
    return html`
      <header class="top"><div class="brand">Flywheel</div></header>
      <main id="main" class="page narrow">
        <h1>Join an exercise</h1>
        <form class="card form" @submit=${(e: Event) => this.join(e)}>
          <div class="field">
            <label for="join-code">Join code</label>
            <input id="join-code" autocomplete="off" autocapitalize="off" spellcheck="false" required
              .value=${live(this.code)}
              @input=${(e: Event) => {
                this.code = (e.target as HTMLInputElement).value;
                this.lookUp();
              }} />
            <p class="help">From your link, or the short code from the White Cell or your instructor (like
              K7QM-3XHD-9TPA). It decides which team you play.</p>
          </div>
          <div class="field">
            <label for="join-name">Your name</label>
            <input id="join-name" autocomplete="name" maxlength="40" required .value=${live(this.name)}
              @input=${(e: Event) => {
                this.name = (e.target as HTMLInputElement).value;
              }} />
            <p class="help">As your teammates and the White Cell will see it.</p>
          </div>
          ${
            this.preview
              ? html`<p class="callout join-preview" role="status">You are joining
                <strong>${this.preview.title}</strong>
                as <strong>${this.preview.seatName}</strong>.</p>`
              : nothing
          }
          ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
          <button type="submit" class="primary big" ?disabled=${this.busy}>${this.busy ? 'Joining…' : 'Join'}</button>
        </form>
      </main>`;
  }
}
