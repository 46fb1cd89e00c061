// After creating a game: the join codes for every seat, then on to the White Cell console.
import { html, nothing } from 'lit';
import type { Screen } from '../lib/app.ts';
import { getCodes, getSeat } from '../lib/seats.ts';
import { codesPanel } from '../parts/codes.ts';

export class CodesScreen implements Screen {
  constructor(private gameId: string) {
    document.title = 'Flywheel: join codes';
  }

  view() {
    const kept = getCodes(this.gameId);
    const control = getSeat(this.gameId, 'control');
    return html`
      <header class="top"><div class="brand">Flywheel</div><div class="muted">${kept?.title ?? ''}</div></header>
      <main id="main" class="page">
        <h1>Join codes</h1>
        ${
          kept
            ? html`
          <p class="lead">Hand each team its own link or code.
            A team may have several players; they share the team’s draft.
            The White Cell code shows every secret: keep it among the facilitators.</p>
          ${
            control
              ? html`<p><a class="button primary big" href="/game/${encodeURIComponent(this.gameId)}/control"
                  >Open the White Cell console</a></p>`
              : nothing
          }
          ${codesPanel(kept)}
          <p class="muted">These codes stay available in the White Cell console, under “Seats”.</p>`
            : html`<p class="error">This browser did not create game ${this.gameId},
                so it does not have its codes.</p><p><a href="/">Back to the start page</a></p>`
        }
      </main>`;
  }
}
