// The White Cell's Adjudication tab: the engine's proposed outcome line by line, amending a line with a reason,
// ruling (and rolling) each free-form move, and approving the reveal.
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { GameView, LineView } from '../../../shared/views.ts';
import { diceSaid } from '../../../shared/format.ts';
import { rerender } from '../../lib/app.ts';
import { teamName } from '../../lib/format.ts';
import { notify } from '../../lib/notify.ts';
import { lineItem } from '../../parts/common.ts';
import type { Command, Sender } from '../../parts/console.ts';
import { type EffectRow, effectsEditor } from '../../parts/effects-editor.ts';

interface AmendForm {
  effects: EffectRow[];
  success: 'keep' | 'yes' | 'no';
  cancel: boolean;
  rationale: string;
}
interface RuleForm {
  chance: number;
  effects: EffectRow[];
  isPublic: boolean;
  rationale: string;
}

export class AdjudicationTab {
  private amend: Record<string, AmendForm> = {};
  private rule: Record<string, RuleForm> = {};

  constructor(private sender: Sender) {}

  view(v: GameView) {
    const adj = v.control!.adjudication;
    if (!adj) {
      const last = v.reveals[v.reveals.length - 1];
      return html`<section class="card"><h2>No adjudication under way</h2>
        <p>The engine proposes an outcome when submissions close (when every seated team has locked,
          at the deadline, or when you advance).</p>
        ${v.game.autoApprove ? html`<p class="callout">This game approves adjudications automatically.</p>` : nothing}
        ${
          last
            ? html`<h3>Last reveal: round ${last.round}</h3><ul class="lines">${last.lines.map((l) =>
                lineItem(v, l, { control: true }),
              )}</ul>`
            : nothing
        }
      </section>`;
    }
    const queue = adj.lines.filter((l) => l.freeform && !l.freeform.ruled);
    return html`<section class="card adjudication" aria-labelledby="adj-h">
      <h2 id="adj-h">Round ${adj.round}: the engine’s proposed outcome</h2>
      <p class="help">Each line says what happens, why, and which roll decided it. Amend any line with a written reason;
        rule each free-form move; then approve to reveal.</p>
      ${
        queue.length
          ? html`<div class="callout warn" role="status"><strong>${queue.length} free-form move${
              queue.length > 1 ? 's' : ''
            } to rule</strong> before approving.</div>`
          : nothing
      }
      <ol class="lines adj-lines">${adj.lines.map((l) =>
        lineItem(v, l, { control: true, tools: this.lineTools(v, l) }),
      )}</ol>
      <div class="row">
        <button type="button" class="primary big" ?disabled=${this.sender.busy}
          @click=${() =>
            this.sender.ask(
              'Approve this outcome and reveal it to everyone? It cannot be taken back.',
              'Yes, reveal',
              { type: 'adjudication.approve' },
              'Approved: the reveal is out.',
            )}>Approve and reveal</button>
        ${queue.length ? html`<span class="muted">Unruled free-form moves are left out.</span>` : nothing}
      </div>
    </section>`;
  }

  private lineTools(v: GameView, l: LineView) {
    const a = this.amend[l.id];
    const r = this.rule[l.id];
    const ruleable = l.freeform && !l.freeform.ruled;
    return html`<div class="line-tools" role="group" aria-label="Tools for this line">
      ${
        !a
          ? html`<button type="button" class="small" @click=${() => {
              this.amend[l.id] = {
                effects: l.effects.map((e) => ({ ...e })),
                success: 'keep',
                cancel: l.cancelled,
                rationale: '',
              };
              rerender();
              focusFirstField(`am-form-${l.id}`);
            }}>Amend…</button>`
          : nothing
      }
      ${
        ruleable && !r
          ? html`<button type="button" class="small primary" @click=${() => {
              this.rule[l.id] = { chance: 50, effects: [], isPublic: true, rationale: '' };
              rerender();
              focusFirstField(`ru-form-${l.id}`);
            }}>Rule on this free-form move…</button>`
          : nothing
      }
      ${
        a
          ? html`<form class="subform" id=${`am-form-${l.id}`} @submit=${async (e: Event) => {
              e.preventDefault();
              if (!a.rationale.trim()) return notify('Write down why: every amendment goes on the record.', 'error');
              const cmd: Extract<Command, { type: 'adjudication.amend' }> = {
                type: 'adjudication.amend',
                lineId: l.id,
                effects: a.effects,
                rationale: a.rationale.trim(),
              };
              if (l.roll && a.success !== 'keep') cmd.success = a.success === 'yes';
              if (a.cancel !== l.cancelled) cmd.cancel = a.cancel;
              if (await this.sender.send(cmd, 'Line amended.')) {
                delete this.amend[l.id];
                rerender();
              }
            }}>
        <h3>Amend this line</h3>
        ${effectsEditor(v, `am-${l.id}`, a.effects, (rows) => {
          a.effects = rows;
        })}
        ${
          l.roll
            ? html`<div class="field"><label for="am-s-${l.id}">Outcome of the roll</label>
          <select id="am-s-${l.id}" @change=${(e: Event) => {
            a.success = (e.target as HTMLSelectElement).value as AmendForm['success'];
          }}>
            <option value="keep" ?selected=${a.success === 'keep'}>Leave it as it stands (${
              // The outcome now, and whether the dice or an earlier ruling gave it.
              l.roll.success === diceSaid(l.roll)
                ? `${l.roll.success ? 'yes' : 'no'}, as the dice said`
                : `${l.roll.success ? 'yes' : 'no'}, as ruled`
            })</option>
            <option value="yes" ?selected=${a.success === 'yes'}>Overrule: it happens</option>
            <option value="no" ?selected=${a.success === 'no'}>Overrule: it does not</option></select></div>`
            : nothing
        }
        <label class="check"><input type="checkbox" .checked=${live(a.cancel)} @change=${(e: Event) => {
          a.cancel = (e.target as HTMLInputElement).checked;
        }} /> Cancel this line</label>
        <div class="field"><label for="am-r-${l.id}">Why (goes on the record)</label>
          <textarea dir="auto" id="am-r-${l.id}" rows="2" required maxlength="2000" .value=${live(a.rationale)} @input=${(
            e: Event,
          ) => {
            a.rationale = (e.target as HTMLTextAreaElement).value;
          }}></textarea></div>
        <div class="row"><button type="submit" class="primary" ?disabled=${this.sender.busy}>Save the amendment</button>
          <button type="button" @click=${() => {
            delete this.amend[l.id];
            rerender();
          }}>Cancel</button></div>
      </form>`
          : nothing
      }
      ${
        r
          ? html`<form class="subform" id=${`ru-form-${l.id}`} @submit=${async (e: Event) => {
              e.preventDefault();
              if (!r.rationale.trim()) return notify('Write down the reasoning for the ruling.', 'error');
              const ok = await this.sender.send(
                {
                  type: 'freeform.rule',
                  lineId: l.id,
                  chance: Math.max(0, Math.min(100, r.chance)) / 100,
                  effects: r.effects,
                  public: r.isPublic,
                  rationale: r.rationale.trim(),
                },
                'Ruled: the dice have been rolled.',
              );
              if (ok) {
                delete this.rule[l.id];
                rerender();
              }
            }}>
        <h3>Rule on: ${l.freeform?.text}</h3>
        ${
          l.freeform && Object.keys(l.freeform.estimates).length
            ? html`<p class="muted">Teams’ estimates: ${Object.entries(l.freeform.estimates)
                .map(([t, p]) => `${teamName(v, t, true)} ${Math.round(p * 100)}%`)
                .join(', ')}</p>`
            : html`<p class="muted">No team has given an estimate yet.</p>`
        }
        <div class="field"><label for="ru-c-${l.id}">Chance of success (%)</label>
          <input id="ru-c-${l.id}" type="number" min="0" max="100" .value=${live(String(r.chance))} @input=${(
            e: Event,
          ) => {
            r.chance = Number((e.target as HTMLInputElement).value) || 0;
          }} /></div>
        ${effectsEditor(v, `ru-${l.id}`, r.effects, (rows) => {
          r.effects = rows;
        })}
        <label class="check"><input type="checkbox" .checked=${live(r.isPublic)} @change=${(e: Event) => {
          r.isPublic = (e.target as HTMLInputElement).checked;
        }} /> Everyone sees the outcome (otherwise only ${teamName(v, l.team)})</label>
        <div class="field"><label for="ru-r-${l.id}">Reasoning (goes on the record)</label>
          <textarea dir="auto" id="ru-r-${l.id}" rows="2" maxlength="2000" .value=${live(r.rationale)} @input=${(
            e: Event,
          ) => {
            r.rationale = (e.target as HTMLTextAreaElement).value;
          }}></textarea></div>
        <div class="row"><button type="submit" class="primary" ?disabled=${this.sender.busy}>Roll and rule</button>
          <button type="button" @click=${() => {
            delete this.rule[l.id];
            rerender();
          }}>Cancel</button></div>
      </form>`
          : nothing
      }
    </div>`;
  }
}

/** Once a form that replaced the button opening it is drawn, focus goes into it: its first field. */
function focusFirstField(formId: string) {
  requestAnimationFrame(() =>
    document.getElementById(formId)?.querySelector<HTMLElement>('input, select, textarea, button')?.focus(),
  );
}
