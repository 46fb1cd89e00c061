// Setting up a seminar: N cells of one scenario with shared options, and bots for the seats no student fills.
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { ScenarioSummary } from '../../shared/protocol.ts';
import type { BotStrategyInfo } from '../../shared/seat-assignment.ts';
import { listScenarios } from '../lib/api.ts';
import { navigate, rerender, type Screen } from '../lib/app.ts';
import { createCohort, keepInstructor, listStrategies } from '../lib/cohort-api.ts';

const PHASES = ['briefing', 'injects', 'negotiation', 'submission', 'reveal'] as const;

export class CohortNewScreen implements Screen {
  private scenarios: ScenarioSummary[] = [];
  private strategies: BotStrategyInfo[] = [];
  private scenario = '';
  private title = 'Seminar';
  private cells = 6;
  private rounds = 0;
  private autoApprove = true;
  private bots = 'cooperative';
  private variants: Record<string, string> = {};
  /** Minutes per phase, from the scenario's clocks; 0 waits for the White Cell. */
  private minutes: Record<string, number> = {};
  private name = localStorage.getItem('flywheel.name.v1') ?? '';
  private seed = '';
  private createKey = '';
  private busy = false;
  private error: string | null = null;

  constructor() {
    document.title = 'Flywheel: set up a seminar';
    listScenarios().then((list) => {
      this.scenarios = list;
      if (list[0]) this.pick(list[0].id);
      rerender();
    }, this.fail);
  }

  private fail = (e: unknown) => {
    this.error = e instanceof Error ? e.message : String(e);
    rerender();
  };

  private pick(id: string) {
    this.scenario = id;
    // Only the bots that mean something in this exercise; a pick that does not is dropped.
    listStrategies(id).then((list) => {
      if (this.scenario !== id) return;
      this.strategies = list;
      if (!list.some((x) => x.id === this.bots)) this.bots = '';
      rerender();
    }, this.fail);
    const s = this.scenarios.find((x) => x.id === id);
    this.rounds = s?.rounds ?? 0;
    this.minutes = Object.fromEntries(PHASES.map((p) => [p, Math.round(((s?.phases[p] ?? 0) / 60) * 100) / 100]));
    this.variants = Object.fromEntries(
      (s?.teams ?? []).filter((t) => t.variants.length).map((t) => [t.id, t.variants[0].id]),
    );
  }

  private async submit(e: Event) {
    e.preventDefault();
    this.busy = true;
    this.error = null;
    rerender();
    try {
      const made = await createCohort(
        {
          scenario: this.scenario,
          title: this.title.trim() || 'Seminar',
          cells: this.cells,
          options: {
            rounds: this.rounds,
            autoApprove: this.autoApprove,
            variants: this.variants,
            phases: Object.fromEntries(PHASES.map((p) => [p, Math.round((this.minutes[p] ?? 0) * 60)])),
            ...(this.seed.trim() ? { seed: this.seed.trim() } : {}),
          },
          bots: this.bots || null,
          name: this.name.trim() || 'Instructor',
        },
        this.createKey.trim() || undefined,
      );
      keepInstructor(made.cohortId, made.instructorToken, made.joinCode);
      navigate(`/cohort/${made.cohortId}`);
    } catch (err) {
      this.fail(err);
    } finally {
      this.busy = false;
      rerender();
    }
  }

  view() {
    const s = this.scenarios.find((x) => x.id === this.scenario);
    const input = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);
    return html`<header class="top"><div class="brand">Flywheel</div></header>
      <main id="main" class="page narrow">
        <h1>Set up a seminar</h1>
        <p class="help">Each cell is a game of its own, with its own dice. Students join with one link and are placed in
          cells and teams, evenly; you can move anyone later.</p>
        <form class="card form" @submit=${(e: Event) => this.submit(e)}>
          <div class="field"><label for="c-scenario">Scenario</label>
            <select id="c-scenario" @change=${(e: Event) => {
              this.pick((e.target as HTMLSelectElement).value);
              rerender();
            }}>${this.scenarios.map(
              (x) => html`<option value=${x.id} ?selected=${x.id === this.scenario}>${x.title}</option>`,
            )}</select></div>
          <div class="field"><label for="c-title">Title</label>
            <input id="c-title" maxlength="120" .value=${live(this.title)} @input=${input((v) => {
              this.title = v;
            })} /></div>
          <div class="field"><label for="c-cells">Cells</label>
            <input id="c-cells" type="number" min="1" max="40" required .value=${live(String(this.cells))}
              @input=${input((v) => {
                this.cells = Math.max(1, Math.min(40, Number(v) || 1));
                rerender(); // the seats in all, below
              })} />
            <p class="help">${
              s ? `${s.teams.length} teams a cell: ${this.cells * s.teams.length} seats in all.` : ''
            }</p></div>
          <div class="field"><label for="c-rounds">Rounds</label>
            <input id="c-rounds" type="number" min="1" max="20" .value=${live(String(this.rounds))} @input=${input(
              (v) => {
                this.rounds = Math.max(1, Math.min(20, Number(v) || 1));
              },
            )} /></div>
          <fieldset class="field"><legend>Clocks, in minutes (0: the phase waits for you)</legend>
            ${PHASES.map(
              (p) => html`<label class="inline" for="c-min-${p}">${p[0].toUpperCase() + p.slice(1)}</label>
              <input id="c-min-${p}" type="number" min="0" max="1440" step="0.5"
                .value=${live(String(this.minutes[p] ?? 0))}
                @input=${input((v) => {
                  this.minutes[p] = Math.max(0, Number(v) || 0);
                })} />`,
            )}</fieldset>
          ${(s?.teams ?? [])
            .filter((t) => t.variants.length)
            .map(
              (t) => html`<div class="field"><label for="c-var-${t.id}">${t.name}: briefing</label>
              <select id="c-var-${t.id}" @change=${(e: Event) => {
                this.variants[t.id] = (e.target as HTMLSelectElement).value;
              }}>${t.variants.map(
                (v) => html`<option value=${v.id} ?selected=${this.variants[t.id] === v.id}>${v.name}</option>`,
              )}</select></div>`,
            )}
          <div class="field"><label><input type="checkbox" .checked=${this.autoApprove} @change=${(e: Event) => {
            this.autoApprove = (e.target as HTMLInputElement).checked;
          }} /> Approve the engine's outcomes without review (recommended with many cells)</label></div>
          <div class="field"><label for="c-bots">Seats no student fills</label>
            <select id="c-bots" @change=${(e: Event) => {
              this.bots = (e.target as HTMLSelectElement).value;
            }}><option value="" ?selected=${!this.bots}>stay empty</option>${this.strategies.map(
              (x) => html`<option value=${x.id} ?selected=${x.id === this.bots}>a ${x.name.toLowerCase()} bot</option>`,
            )}</select>
            <p class="help">Bots take their seats when a cell starts;
              a student who arrives later takes the seat over.</p></div>
          <div class="field"><label for="c-name">Your name</label>
            <input id="c-name" maxlength="40" autocomplete="name" .value=${live(this.name)} @input=${input((v) => {
              this.name = v;
            })} /></div>
          <div class="field"><label for="c-seed">Dice seed <span class="muted">(optional)</span></label>
            <input id="c-seed" maxlength="64" autocomplete="off" .value=${live(this.seed)} @input=${input((v) => {
              this.seed = v;
            })} />
            <p class="help">Only to replay a session: each cell's seed is worked out from this one and the cell's
              letter, and a seed you chose makes the rolls predictable to whoever knows or guesses it, so make it long
              and random. Leave it empty for dice nobody can foresee.</p></div>
          <div class="field"><label for="c-create-key">Organizer key <span class="muted">(if this server asks for
            one)</span></label>
            <input id="c-create-key" type="password" maxlength="200" autocomplete="off" .value=${live(this.createKey)}
              @input=${input((v) => {
                this.createKey = v;
              })} /></div>
          ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
          <button type="submit" class="primary big" ?disabled=${this.busy || !this.scenario}>${
            this.busy ? 'Creating…' : 'Create the cells'
          }</button>
        </form>
      </main>`;
  }
}
