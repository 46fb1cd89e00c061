// The start page: set up a new exercise (scenario, rounds, clocks, South Korea's government, auto-approve, seed),
// or join one with a code, or return to a seat this browser already holds.
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { CreateGameBody, ScenarioSummary } from '../../shared/protocol.ts';
import { ApiError, createGame, listScenarios } from '../lib/api.ts';
import { navigate, rerender, type Screen } from '../lib/app.ts';
import { allSeats, putCodes, putSeat } from '../lib/seats.ts';

const PHASE_ORDER = ['briefing', 'injects', 'negotiation', 'submission', 'reveal'] as const;
const PHASE_LABEL: Record<string, string> = {
  briefing: 'Briefing (before round 1)',
  injects: 'Injects',
  negotiation: 'Negotiation',
  submission: 'Submission',
  reveal: 'Reveal',
};

/** A phase's clock in the form's minutes (to the hundredth), from seconds as the scenario gives them. */
const minutesOf = (phases: Record<string, number>, phase: string) =>
  Math.round(((phases[phase] ?? 0) / 60) * 100) / 100;

export class StartScreen implements Screen {
  private scenarios: ScenarioSummary[] | null = null;
  private loadError: string | null = null;
  private scenarioId = '';
  private rounds = 8;
  private minutes: Record<string, number> = {};
  private variants: Record<string, string> = {};
  private autoApprove = false;
  private seed = '';
  /** The server's organizer key, when it asks for one (CREATE_KEY). */
  private createKey = '';
  private title = '';
  private busy = false;
  private error: string | null = null;
  private code = '';
  private name = localStorage.getItem('flywheel.name.v1') ?? '';

  constructor() {
    document.title = 'Flywheel: start an exercise';
    listScenarios().then(
      (list) => {
        this.scenarios = list;
        if (list.length) this.pick(list[0].id);
        rerender();
      },
      (e: unknown) => {
        this.loadError = e instanceof Error ? e.message : String(e);
        rerender();
      },
    );
  }

  private get scenario() {
    return this.scenarios?.find((s) => s.id === this.scenarioId) ?? null;
  }

  private pick(id: string) {
    this.scenarioId = id;
    const s = this.scenario;
    if (!s) return;
    this.usePreset(s.rounds, s.phases);
    this.variants = Object.fromEntries(s.teams.filter((t) => t.variants.length).map((t) => [t.id, t.variants[0].id]));
  }

  /** Fills the rounds and clocks from the scenario's defaults or one of its presets; each stays editable. */
  private usePreset(rounds: number, phases: Record<string, number>) {
    this.rounds = rounds;
    this.minutes = Object.fromEntries(PHASE_ORDER.map((p) => [p, minutesOf(phases, p)]));
  }

  /** Whether the rounds and clocks below are still a preset's, so its button shows as pressed (none once edited). */
  private isPreset(rounds: number, phases: Record<string, number>) {
    return this.rounds === rounds && PHASE_ORDER.every((p) => this.minutes[p] === minutesOf(phases, p));
  }

  private presetsField(s: ScenarioSummary) {
    if (!s.presets?.length) return nothing;
    return html`<div class="field"><span class="label" id="presets-h">Session length</span>
      <div class="button-row" role="group" aria-labelledby="presets-h">${s.presets.map(
        (p) =>
          html`<button type="button" class="small preset" aria-pressed=${this.isPreset(p.rounds, p.phases) ? 'true' : 'false'}
            @click=${() => {
              this.usePreset(p.rounds, p.phases);
              rerender();
            }}>${p.name}${p.minutes ? ` · ${p.minutes} min` : ''}</button>`,
      )}</div>
      <p class="help">Sets the rounds and the clocks below; change any of them after.</p></div>`;
  }

  private async create(e: Event) {
    e.preventDefault();
    const s = this.scenario;
    if (!s || this.busy) return;
    this.busy = true;
    this.error = null;
    rerender();
    const name = this.name.trim() || 'White Cell';
    const body: CreateGameBody = {
      scenario: s.id,
      name,
      options: {
        rounds: this.rounds,
        phases: Object.fromEntries(PHASE_ORDER.map((p) => [p, Math.max(0, Math.round((this.minutes[p] ?? 0) * 60))])),
        autoApprove: this.autoApprove,
        ...(Object.keys(this.variants).length ? { variants: this.variants } : {}),
        ...(this.seed.trim() ? { seed: this.seed.trim() } : {}),
        ...(this.title.trim() ? { title: this.title.trim() } : {}),
      },
    };
    try {
      const res = await createGame(body, this.createKey.trim() || undefined);
      putCodes(res.gameId, {
        codes: res.codes,
        title: this.title.trim() || s.title,
        teams: s.teams.map((t) => ({ id: t.id, name: t.name, color: t.color })),
      });
      putSeat('control', {
        token: res.controlToken,
        gameId: res.gameId,
        playerId: res.playerId,
        role: 'control',
        team: null,
        name,
      });
      try {
        localStorage.setItem('flywheel.name.v1', name);
      } catch {
        /* not kept */
      }
      navigate(`/codes/${encodeURIComponent(res.gameId)}`);
    } catch (err) {
      this.error = err instanceof ApiError ? err.message : String(err);
      this.busy = false;
      rerender();
    }
  }

  view() {
    const s = this.scenario;
    const seats = allSeats().slice(0, 8);
    return html`
      <header class="top"><div class="brand">Flywheel</div><div class="muted">Policy tabletop exercises,
        in real time</div></header>
      <main id="main" class="page narrow">
        <h1>Start an exercise</h1>
        <p class="lead">Set up a game, then hand out the join codes: one per team, one for the White Cell
          and one for observers and the projector.</p>
        <p class="join-first">Joining a game? <a href="#join-h" @click=${(e: Event) => {
          // The form is at the foot of a long page: go there and put the cursor in the code field.
          e.preventDefault();
          document.getElementById('join-h')?.scrollIntoView({ block: 'start' });
          document.getElementById('have-code')?.focus({ preventScroll: true });
        }}>Enter your code</a>, or open the link your facilitator sent.</p>

        ${
          this.loadError
            ? html`<p class="error" role="alert">The list of scenarios could not be loaded: ${this.loadError}</p>`
            : nothing
        }
        ${!this.scenarios && !this.loadError ? html`<p class="muted">Loading scenarios…</p>` : nothing}

        ${
          s
            ? html`<form class="card form" @submit=${(e: Event) => this.create(e)} aria-describedby="create-help">
          <div class="field">
            <label for="scenario">Scenario</label>
            <select id="scenario" @change=${(e: Event) => {
              this.pick((e.target as HTMLSelectElement).value);
              rerender();
            }}>
              ${this.scenarios!.map(
                (x) => html`<option value=${x.id} ?selected=${x.id === this.scenarioId}>${x.title}</option>`,
              )}
            </select>
            <p class="help" id="create-help">${s.summary}</p>
            <p class="help">Teams: ${s.teams.map((t) => t.name).join(', ')}.</p>
          </div>

          <div class="field">
            <label for="creator-name">Your name <span class="muted">(you will run the White Cell)</span></label>
            <input id="creator-name" maxlength="40" autocomplete="name" .value=${live(this.name)}
              placeholder="White Cell"
              @input=${(e: Event) => {
                this.name = (e.target as HTMLInputElement).value;
              }} />
          </div>

          <div class="field">
            <label for="title">Name of this session <span class="muted">(optional)</span></label>
            <input id="title" maxlength="120" .value=${live(this.title)} placeholder=${s.title}
              @input=${(e: Event) => {
                this.title = (e.target as HTMLInputElement).value;
              }} />
          </div>

          ${this.presetsField(s)}
          <div class="field">
            <label for="rounds">Rounds</label>
            <input id="rounds" type="number" min="1" max="20" required .value=${live(String(this.rounds))}
              @input=${(e: Event) => {
                this.rounds = Math.max(1, Math.min(20, Number((e.target as HTMLInputElement).value) || 1));
              }}
              @change=${() => rerender()} />
            ${s.roundSpan ? html`<p class="help">Each round is ${s.roundSpan}.</p>` : ''}
          </div>

          <fieldset class="field">
            <legend>Phase clocks, in minutes</legend>
            <p class="help">0 means no clock: the phase lasts until the White Cell moves on.
              Submission also ends once every seated team has locked.</p>
            <div class="grid-2">
              ${PHASE_ORDER.map(
                (p) => html`<div class="field inline">
                <label for="phase-${p}">${PHASE_LABEL[p]}</label>
                <input id="phase-${p}" type="number" min="0" max="1440" step="0.5"
                  .value=${live(String(this.minutes[p] ?? 0))}
                  @input=${(e: Event) => {
                    this.minutes[p] = Math.max(0, Number((e.target as HTMLInputElement).value) || 0);
                  }}
                  @change=${() => rerender()} />
              </div>`,
              )}
            </div>
          </fieldset>

          ${s.teams
            .filter((t) => t.variants.length)
            .map(
              (t) => html`<fieldset class="field">
            <legend>${t.name}: which briefing?</legend>
            ${t.variants.map(
              (v) => html`<label class="check"><input type="radio" name="variant-${t.id}" value=${v.id}
              .checked=${live(this.variants[t.id] === v.id)} @change=${() => {
                this.variants[t.id] = v.id;
              }} /> ${v.name}</label>`,
            )}
            <p class="help">Only ${t.name}’s players and the White Cell see the briefing that goes with this choice.</p>
          </fieldset>`,
            )}

          <div class="field">
            <label class="check"><input id="auto-approve" type="checkbox" .checked=${live(this.autoApprove)}
              @change=${(e: Event) => {
                this.autoApprove = (e.target as HTMLInputElement).checked;
              }} />
              Approve adjudications automatically</label>
            <p class="help">For unattended play: the engine’s proposed outcome is revealed
              without the White Cell’s review.</p>
          </div>

          <div class="field">
            <label for="seed">Dice seed <span class="muted">(optional)</span></label>
            <input id="seed" maxlength="64" .value=${live(this.seed)} autocomplete="off"
              @input=${(e: Event) => {
                this.seed = (e.target as HTMLInputElement).value;
              }} />
            <p class="help">The same seed and the same moves give the same rolls: useful to replay a session, but
              anyone who knows it, or guesses it, can predict every roll, so make it long and random. Left empty, the
              server draws a secret seed and reveals it at the debrief.</p>
          </div>

          <div class="field">
            <label for="create-key">Organizer key <span class="muted">(if this server asks for one)</span></label>
            <input id="create-key" type="password" maxlength="200" .value=${live(this.createKey)} autocomplete="off"
              @input=${(e: Event) => {
                this.createKey = (e.target as HTMLInputElement).value;
              }} />
          </div>

          ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
          <button type="submit" class="primary big" ?disabled=${this.busy}>${
            this.busy ? 'Creating…' : 'Create the exercise'
          }</button>
        </form>`
            : nothing
        }

        <section class="card" aria-labelledby="seminar-h">
          <h2 id="seminar-h">Teaching a seminar?</h2>
          <p>Run many cells of one exercise side by side, and compare them in one debrief.
            <a href="/cohort/new">Set up a seminar</a></p>
        </section>

        <section class="card" aria-labelledby="join-h">
          <h2 id="join-h">Have a code?</h2>
          <form class="row" @submit=${(e: Event) => {
            e.preventDefault();
            if (this.code.trim()) navigate(`/join/${encodeURIComponent(this.code.trim())}`);
          }}>
            <label class="sr-only" for="have-code">Join code</label>
            <input id="have-code" placeholder="Join code" autocomplete="off" .value=${live(this.code)}
              @input=${(e: Event) => {
                this.code = (e.target as HTMLInputElement).value;
              }} />
            <button type="submit">Join</button>
          </form>
        </section>

        ${
          seats.length
            ? html`<section class="card" aria-labelledby="seats-h">
          <h2 id="seats-h">Seats held in this browser</h2>
          <ul class="plain">${seats.map(
            ({ key, seat }) => html`<li>
            <a href="/game/${encodeURIComponent(seat.gameId)}/${encodeURIComponent(key)}">${
              seat.role === 'control' ? 'White Cell' : seat.role === 'observer' ? 'Observer' : seat.team?.toUpperCase()
            }
            · ${seat.name}</a> <span class="muted small">game ${seat.gameId}</span></li>`,
          )}</ul>
        </section>`
            : nothing
        }
      </main>`;
  }
}
