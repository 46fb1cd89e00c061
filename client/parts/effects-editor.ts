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
  return html`<fieldset class="field effects-editor"><legend>Effects on the meters</legend>
    ${
      rows.length
        ? rows.map(
            (r, i) => html`<div class="row">
      <label class="sr-only" for="${id}-m-${i}">Meter</label>
      <select id="${id}-m-${i}" @change=${(e: Event) => {
        set(rows.map((x, j) => (j === i ? { ...x, meter: (e.target as HTMLSelectElement).value } : x)));
        rerender();
      }}>
        ${v.meters.map((m) => html`<option value=${m.id} ?selected=${m.id === r.meter}>${m.name}</option>`)}
      </select>
      <label class="sr-only" for="${id}-d-${i}">Change</label>
      <input id="${id}-d-${i}" type="number" min="-100" max="100" step="1" class="num" .value=${live(String(r.delta))}
        @input=${(e: Event) => {
          const n = Number((e.target as HTMLInputElement).value);
          set(rows.map((x, j) => (j === i ? { ...x, delta: Number.isFinite(n) ? n : 0 } : x)));
        }} />
      <button type="button" class="small" aria-label="Remove this effect" @click=${() => {
        set(rows.filter((_, j) => j !== i));
        rerender();
      }}>Remove</button>
    </div>`,
          )
        : html`<p class="muted small">No effect on any meter.</p>`
    }
    <button type="button" class="small" ?disabled=${rows.length >= 10} @click=${() => {
      set([...rows, { meter: v.meters[0]?.id ?? '', delta: 0 }]);
      rerender();
    }}>Add an effect</button>
  </fieldset>`;
}
