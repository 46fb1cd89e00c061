// Short messages for the person at the keyboard (a refused command, a copied link), read out by screen readers.
import { html } from 'lit';

export interface Note {
  id: number;
  text: string;
  kind: 'error' | 'info';
}
let notes: Note[] = [];
let next = 1;
let onChange: () => void = () => {};

export function setNotifyListener(fn: () => void) {
  onChange = fn;
}

export function notify(text: string, kind: Note['kind'] = 'info') {
  const id = next++;
  notes = [...notes, { id, text, kind }].slice(-4);
  onChange();
  setTimeout(
    () => {
      notes = notes.filter((n) => n.id !== id);
      onChange();
    },
    kind === 'error' ? 8000 : 3500,
  );
}

export const notesView = () => html`
  <div class="toasts" role="status" aria-live="polite">
    ${notes.map((n) => html`<div class="toast ${n.kind}">${n.text}</div>`)}
  </div>`;
