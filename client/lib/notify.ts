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

/** Escape puts the toasts away at once: they take no taps (styles.css), so the keyboard is the way to clear them. */
addEventListener('keydown', (e) => {
  if (e.key !== 'Escape' || !notes.length) return;
  notes = [];
  onChange();
});

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

/** What is being said to screen readers only (the game moving on, which the screen shows in its own way). */
let said = '';
let saidTimer: ReturnType<typeof setTimeout> | undefined;

/** What is to be said at the end of this task: the phase and the news of one update are said together. */
let toSay: string[] = [];

/**
 * Says `text` to a screen reader, without a toast: cleared after a while, so the same words can be said again.
 * What is said in one task is said as one message, so that the last does not replace the others before they are read.
 */
export function announce(text: string) {
  toSay.push(text);
  if (toSay.length > 1) return;
  queueMicrotask(() => {
    const words = toSay.join('. ');
    toSay = [];
    clearTimeout(saidTimer);
    if (words === said) {
      // The same words again ("China (PRC) proposes a deal", twice): a live region that does not change is not read,
      // so it is emptied first and filled on the next frame.
      said = '';
      onChange();
      requestAnimationFrame(() => {
        said = words;
        onChange();
      });
    } else {
      said = words;
      onChange();
    }
    saidTimer = setTimeout(() => {
      said = '';
      onChange();
    }, 5000);
  });
}

export const notesView = () => html`
  <div class="toasts" role="status" aria-live="polite">
    ${notes.map((n) => html`<div class="toast ${n.kind}">${n.text}</div>`)}
  </div>
  <div class="sr-only" role="status" aria-live="polite" data-said>${said}</div>`;
