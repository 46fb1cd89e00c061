// Editing a list of meter changes (for amendments, free-form rulings and injects).
import { html } from 'lit';
import { live } from 'lit/directives/live.js';
import type { GameView } from '../../shared/views.ts';
import { rerender } from '../lib/app.ts';

export interface EffectRow {
  meter: string;
  delta: number;
}

export function effectsEditor(v: GameView, id: string, rows: EffectRow[], set: (rows: EffectRow[]) => void) {
  // Typing a number does not redraw the form (a half-typed "-" would be overwritten), so the handlers drawn with it
  // share the rows the last of them left: "Add an effect" or another row's menu builds on the number just typed,
  // not on the rows as they were drawn.
  let current = rows;
  const update = (next: EffectRow[]) => {
    current = next;
    set(next);
  };
  return html`<fieldset class="field effects-editor"><legend>Effects on the meters</legend>
    ${
      rows.length
        ? rows.map(
            (r, i) => html`<div class="row">
      <label class="sr-only" for="${id}-m-${i}">Meter</label>
      <select id="${id}-m-${i}" @change=${(e: Event) => {
        update(current.map((x, j) => (j === i ? { ...x, meter: (e.target as HTMLSelectElement).value } : x)));
        rerender();
      }}>
        ${v.meters.map((m) => html`<option value=${m.id} ?selected=${m.id === r.meter}>${m.name}</option>`)}
      </select>
      <label class="sr-only" for="${id}-d-${i}">Change</label>
      <input id="${id}-d-${i}" type="number" min="-100" max="100" step="1" class="num" .value=${live(String(r.delta))}
        @input=${(e: Event) => {
          const n = Number((e.target as HTMLInputElement).value);
          update(current.map((x, j) => (j === i ? { ...x, delta: Number.isFinite(n) ? n : 0 } : x)));
        }} />
      <button type="button" class="small" aria-label="Remove this effect" @click=${() => {
        update(current.filter((_, j) => j !== i));
        rerender();
      }}>Remove</button>
    </div>`,
          )
        : html`<p class="muted small">No effect on any meter.</p>`
    }
    <button type="button" class="small" ?disabled=${rows.length >= 10} @click=${() => {
      if (current.length >= 10) return;
      update([...current, { meter: v.meters[0]?.id ?? '', delta: 0 }]);
      rerender();
    }}>Add an effect</button>
  </fieldset>`;
}
