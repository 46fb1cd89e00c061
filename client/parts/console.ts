// What the team console and the White Cell console share: a tab remembered in the address's hash, the page frame
// around the chosen tab, and commands sent with a busy flag (so a button cannot fire twice) and a short note after.
import { html, nothing, type TemplateResult } from 'lit';
import { rerender } from '../lib/app.ts';
import type { Connection } from '../lib/connection.ts';
import { notify } from '../lib/notify.ts';
import { type Tab, tabBar } from './tabs.ts';

export type Command = Parameters<Connection['send']>[0];

/** The chosen tab; a refresh keeps it because it lives in the URL's hash. */
export class TabChoice<T extends string> {
  current: T;

  constructor(
    private ids: readonly T[],
    fallback: T,
  ) {
    const fromHash = location.hash.slice(1) as T;
    this.current = ids.includes(fromHash) ? fromHash : fallback;
  }

  /** Another tab opens at its top, not at the scroll position the last one was left at. */
  go = (tab: string) => {
    if (!this.ids.includes(tab as T)) return;
    const changed = this.current !== tab;
    this.#choose(tab as T, changed ? {} : null);
    rerender();
  };

  /**
   * Switches tab by itself, during a draw (the debrief opening under the White Cell's or a team's eyes): at its
   * top too, with the focus on its heading (`heading`, a selector).
   */
  show(tab: T, heading: string) {
    this.#choose(tab, { heading });
  }

  /** Makes `tab` current; `top` (unless null) takes the page to its top once drawn, and focuses `heading` if given. */
  #choose(tab: T, top: { heading?: string } | null) {
    this.current = tab;
    history.replaceState(null, '', `#${tab}`);
    if (!top) return;
    requestAnimationFrame(() => {
      window.scrollTo({ top: 0, behavior: 'instant' });
      if (top.heading) document.querySelector<HTMLElement>(top.heading)?.focus({ preventScroll: true });
    });
  }
}

interface Question {
  text: string;
  yes: string;
  run: () => unknown;
}

/**
 * Sends one command at a time: `busy` disables the buttons that would send another, a refusal is shown. An action
 * that cannot be taken back is asked about first (`ask`): the question shows in `askView` until answered.
 */
export class Sender {
  busy = false;
  asking: Question | null = null;
  /** What had focus when a question was asked: it gets it back once the question is answered. */
  #askedFrom: HTMLElement | null = null;
  /** Where focus goes back once the command sent now is answered (the button that asked, not the "Yes"). */
  #returnTo: HTMLElement | null = null;

  constructor(private conn: Connection) {}

  /** Asks before sending `command`; `yes` labels the button that sends it. */
  ask(text: string, yes: string, command: Command, ok?: string) {
    this.asking = { text, yes, run: () => this.send(command, ok) };
    this.#askedFrom = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    rerender();
    requestAnimationFrame(() => {
      // In the middle of the screen, clear of the clock and tabs that stay at its top on a phone.
      document.querySelector('.confirm')?.scrollIntoView({ block: 'center', behavior: 'auto' });
      document.querySelector<HTMLElement>('.confirm button.danger')?.focus({ preventScroll: true });
    });
  }

  askView() {
    const q = this.asking;
    if (!q) return nothing;
    const answer = (yes: boolean) => {
      this.asking = null;
      rerender();
      // Focus goes back where it was (the button that asked): at once for "no", once the command is answered for
      // "yes" (its button is disabled while the command is under way, and a disabled button takes no focus).
      if (yes) {
        this.#returnTo = this.#askedFrom;
        void q.run();
      } else refocus(this.#askedFrom);
    };
    return html`<div class="confirm" role="alertdialog" aria-labelledby="confirm-q" @keydown=${(e: KeyboardEvent) => {
      if (e.key === 'Escape') answer(false);
      // A question waits for its answer: Tab moves between its two buttons only.
      if (e.key === 'Tab') {
        e.preventDefault();
        const buttons = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('button:not([disabled])')];
        const at = buttons.indexOf(document.activeElement as HTMLElement);
        buttons[(at + (e.shiftKey ? buttons.length - 1 : 1)) % buttons.length]?.focus();
      }
    }}>
      <span id="confirm-q">${q.text}</span>
      <button type="button" class="danger" ?disabled=${this.busy} @click=${() => answer(true)}>${q.yes}</button>
      <button type="button" @click=${() => answer(false)}>No</button>
    </div>`;
  }

  /** Resolves true when the server accepted the command; `ok` is the note shown then. */
  async send(command: Command, ok?: string): Promise<boolean> {
    // The buttons are disabled while a command is under way, which takes focus off the one pressed: it gets it back.
    const from = this.#returnTo ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
    this.#returnTo = null;
    this.busy = true;
    rerender();
    const res = await this.conn.send(command);
    this.busy = false;
    if (!res.ok) notify(res.error.message, 'error');
    else if (ok) notify(ok);
    rerender();
    if (from) refocus(from, true);
    return res.ok;
  }
}

/**
 * After the next drawing, focus on `to` if it is still on the page and enabled, else on the page's content, so that
 * a keyboard or screen-reader user never lands back at the top of the page. `onlyIfLost`: leave focus alone if it is
 * already somewhere (the user moved on meanwhile).
 */
function refocus(to: HTMLElement | null, onlyIfLost = false) {
  requestAnimationFrame(() => {
    const at = document.activeElement;
    if (onlyIfLost && at && at !== document.body) return;
    const target = to?.isConnected && !to.matches(':disabled') ? to : document.querySelector<HTMLElement>('#main');
    target?.focus({ preventScroll: true });
  });
}

/**
 * `head` (the clock, the White Cell's controls) and the tab row stay on screen while a long tab scrolls, on a
 * phone too; the chosen tab's panel is the page's main content.
 */
export function tabbedMain(
  head: unknown,
  tabs: Tab[],
  current: string,
  go: (id: string) => void,
  label: string,
  body: unknown,
  /** A class for the sticky block, for the page's own rules (the White Cell's: `wc-head`). */
  headClass = '',
) {
  // The clock and tabs are a landmark of their own (screen readers list it; nothing on the page sits outside one).
  // A connection banner in `head` sits above them, inside the same sticky block, so it never covers them.
  return html`<section class="sticky-head ${headClass}" aria-label="Round, clock and tabs">${head}${tabBar(tabs, current, go, label)}</section>
    <main id="main" class="page wide" tabindex="-1">
      <h1 class="sr-only">${label}: ${tabs.find((t) => t.id === current)?.label ?? ''}</h1>
      <div role="tabpanel" id="panel-${current}" aria-labelledby="tab-${current}">${body}</div></main>`;
}

export type { Tab, TemplateResult };
