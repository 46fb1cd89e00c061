// The White Cell's Injects tab: the injects due now, scheduled and held in reserve, each to publish, skip or edit,
// and a form to write a new one.
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { GameView } from '../../../shared/views.ts';
import { rerender } from '../../lib/app.ts';
import { notify } from '../../lib/notify.ts';
import { audienceText, effectsList, teamChip } from '../../parts/common.ts';
import type { Sender } from '../../parts/console.ts';
import { type EffectRow, effectsEditor } from '../../parts/effects-editor.ts';

interface InjectForm {
  title: string;
  text: string;
  all: boolean;
  teams: string[];
  effects: EffectRow[];
  publish: boolean;
}

export class InjectsTab {
  private edit: Record<string, InjectForm> = {};
  private add: InjectForm | null = null;

  constructor(private sender: Sender) {}

  private injectForm(
    v: GameView,
    f: InjectForm,
    id: string,
    submit: () => Promise<void>,
    cancel: () => void,
    isAdd: boolean,
  ) {
    return html`<form class="subform" @submit=${async (e: Event) => {
      e.preventDefault();
      await submit();
    }}>
      <div class="field"><label for="${id}-t">Title</label>
        <input id="${id}-t" maxlength="200" required .value=${live(f.title)} @input=${(e: Event) => {
          f.title = (e.target as HTMLInputElement).value;
        }} /></div>
      <div class="field"><label for="${id}-x">Text</label>
        <textarea dir="auto" id="${id}-x" rows="3" maxlength="4000" required .value=${live(f.text)} @input=${(
          e: Event,
        ) => {
          f.text = (e.target as HTMLTextAreaElement).value;
        }}></textarea></div>
      <fieldset class="field"><legend>Who reads it</legend>
        <label class="check"><input type="checkbox" .checked=${live(f.all)} @change=${(e: Event) => {
          f.all = (e.target as HTMLInputElement).checked;
          rerender();
        }} /> Everyone</label>
        ${
          f.all
            ? nothing
            : html`<div class="row wrap">${v.teams.map(
                (t) => html`<label class="check"><input type="checkbox" .checked=${live(f.teams.includes(t.id))}
          @change=${(e: Event) => {
            f.teams = (e.target as HTMLInputElement).checked ? [...f.teams, t.id] : f.teams.filter((x) => x !== t.id);
          }} /> ${t.name}</label>`,
              )}</div>`
        }
      </fieldset>
      ${effectsEditor(v, `${id}-fx`, f.effects, (rows) => {
        f.effects = rows;
      })}
      ${
        // A private inject's effects still move the board everyone reads, with nothing on it to say why.
        !f.all && f.effects.length > 0
          ? html`<p class="callout warn">Its effects move the meters for everyone when it is published; the teams
              that do not read it see the move with no inject to explain it.</p>`
          : nothing
      }
      ${
        isAdd
          ? html`<label class="check"><input type="checkbox" .checked=${live(f.publish)} @change=${(e: Event) => {
              f.publish = (e.target as HTMLInputElement).checked;
            }} /> Publish it now</label>`
          : nothing
      }
      <div class="row"><button type="submit" class="primary" ?disabled=${this.sender.busy}>${
        isAdd ? 'Add the inject' : 'Save changes'
      }</button>
        <button type="button" @click=${cancel}>Cancel</button></div>
    </form>`;
  }

  view(v: GameView) {
    const published = v.injects.filter((i) => i.status === 'published');
    const thisRound = (i: GameView['injects'][number]) => i.round === v.game.round;
    const scheduled = v.injects
      .filter((i) => i.status === 'scheduled' && i.kind === 'scheduled')
      .sort((a, b) => (a.round ?? 0) - (b.round ?? 0));
    // What the room is reading now comes first, under what is due: a three-hour game's later rounds and contingencies
    // would otherwise push this round's injects a long way down.
    const groups: [string, string, GameView['injects']][] = [
      ['pending', 'Due now: waiting to publish', v.injects.filter((i) => i.status === 'pending')],
      ['current', 'Published this round', published.filter(thisRound)],
      ['scheduled', 'Scheduled for later rounds', scheduled.filter((i) => (i.round ?? 0) <= v.game.rounds)],
      // A game set shorter than its scenario never reaches these rounds: said apart, so nobody plans around them.
      [
        'beyond',
        `Written for rounds after this game's last (round ${v.game.rounds}): they will not come up, but any can be published by hand`,
        scheduled.filter((i) => (i.round ?? 0) > v.game.rounds),
      ],
      [
        'contingency',
        'Contingencies: fire when the story calls for it',
        v.injects.filter((i) => i.status === 'scheduled' && i.kind !== 'scheduled'),
      ],
      [
        'published',
        'Published in earlier rounds',
        published.filter((i) => !thisRound(i)).sort((a, b) => (b.round ?? 0) - (a.round ?? 0)),
      ],
      ['skipped', 'Skipped', v.injects.filter((i) => i.status === 'skipped')],
    ];
    const audience = (f: InjectForm) => (f.all ? 'all' : f.teams);
    return html`<div class="cols">
      <div class="span-2">
        <div class="row"><button type="button" class="primary" ?disabled=${!!this.add} @click=${() => {
          this.add = { title: '', text: '', all: true, teams: [], effects: [], publish: true };
          rerender();
        }}>Write a new inject</button></div>
        ${
          this.add
            ? html`<section class="card"><h2>New inject</h2>${this.injectForm(
                v,
                this.add,
                'add',
                async () => {
                  const f = this.add!;
                  if (!f.all && !f.teams.length) return void notify('Choose who reads it.', 'error');
                  if (
                    await this.sender.send(
                      {
                        type: 'inject.add',
                        title: f.title.trim(),
                        text: f.text.trim(),
                        audience: audience(f),
                        effects: f.effects,
                        publish: f.publish,
                      },
                      f.publish ? 'Published.' : 'Added to the contingencies.',
                    )
                  ) {
                    this.add = null;
                    rerender();
                  }
                },
                () => {
                  this.add = null;
                  rerender();
                },
                true,
              )}</section>`
            : nothing
        }
        ${groups.map(([key, title, list]) =>
          list.length
            ? html`<section class="card injects-group" aria-labelledby="inj-${key}">
          <h2 id="inj-${key}">${title}</h2>
          <ol class="inject-list">${list.map((i) => {
            const f = this.edit[i.id];
            const open = i.status === 'pending' || i.status === 'scheduled';
            const intel = i.intel ? safeIntel(i.intel) : null;
            return html`<li class="inject status-${i.status}" data-inject=${i.id}>
              <div class="l-head"><strong>${i.title}</strong>
                <span class="badge">${i.round !== null ? `round ${i.round}` : 'any round'}</span>
                <span class="badge">${
                  // A contingency waits for a trigger or for the White Cell, not for a round: "not fired", not "scheduled".
                  i.status === 'scheduled' && i.kind !== 'scheduled' ? 'not fired' : i.status
                }</span>
                <span class="muted small">for ${audienceText(v, i.audience)}</span></div>
              <p>${i.text}</p>
              ${effectsList(v, i.effects)}
              ${
                intel
                  ? html`<details><summary>Private intelligence that goes with it</summary><ul>${Object.entries(
                      intel,
                    ).map(([t, text]) => html`<li>${teamChip(v, t)} ${text}</li>`)}</ul></details>`
                  : nothing
              }
              ${
                i.status === 'skipped'
                  ? html`<div class="row"><button type="button" class="small" ?disabled=${this.sender.busy}
                  @click=${() => this.sender.send({ type: 'inject.unskip', injectId: i.id }, `Restored: ${i.title}`)}
                  >Restore (undo the skip)</button></div>`
                  : nothing
              }
              ${
                open && !f
                  ? html`<div class="row">
                <button type="button" class="primary small" ?disabled=${this.sender.busy}
                  @click=${() => this.sender.send({ type: 'inject.publish', injectId: i.id }, `Published: ${i.title}`)}
                  >Publish</button>
                <button type="button" class="small" ?disabled=${this.sender.busy}
                  @click=${() =>
                    this.sender.send(
                      { type: 'inject.skip', injectId: i.id },
                      `Skipped: ${i.title}. “Restore” under Skipped undoes it.`,
                    )}>Skip</button>
                <button type="button" class="small" @click=${() => {
                  this.edit[i.id] = {
                    title: i.title,
                    text: i.text,
                    all: i.audience === 'all',
                    teams: Array.isArray(i.audience) ? i.audience.map(String) : [],
                    effects: i.effects.map((e) => ({ ...e })),
                    publish: false,
                  };
                  rerender();
                }}>Edit</button>
              </div>`
                  : nothing
              }
              ${
                f
                  ? this.injectForm(
                      v,
                      f,
                      `ed-${i.id}`,
                      async () => {
                        if (!f.all && !f.teams.length) return void notify('Choose who reads it.', 'error');
                        if (
                          await this.sender.send(
                            {
                              type: 'inject.edit',
                              injectId: i.id,
                              title: f.title.trim(),
                              text: f.text.trim(),
                              audience: audience(f),
                              effects: f.effects,
                            },
                            'Inject saved.',
                          )
                        ) {
                          delete this.edit[i.id];
                          rerender();
                        }
                      },
                      () => {
                        delete this.edit[i.id];
                        rerender();
                      },
                      false,
                    )
                  : nothing
              }
            </li>`;
          })}</ol>
        </section>`
            : nothing,
        )}
      </div>
    </div>`;
  }
}

function safeIntel(text: string): Record<string, string> | null {
  try {
    const o = JSON.parse(text) as unknown;
    return o && typeof o === 'object' ? (o as Record<string, string>) : null;
  } catch {
    return { all: text };
  }
}
