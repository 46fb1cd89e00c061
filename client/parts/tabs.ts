// A row of tabs: real buttons, arrow keys move between them, a badge for what needs attention.
import { html, nothing } from 'lit';

export interface Tab {
  id: string;
  label: string;
  badge?: string;
  badgeLabel?: string;
}

export function tabBar(tabs: Tab[], current: string, select: (id: string) => void, label: string) {
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const i = tabs.findIndex((t) => t.id === current);
    const j =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? tabs.length - 1
          : (i + (e.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length;
    select(tabs[j].id);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-tab="${tabs[j].id}"]`)?.focus());
  };
  return html`<nav class="tabs" aria-label=${label}><div role="tablist" aria-label=${label} @keydown=${onKey}>
    ${tabs.map(
      (t) => html`<button type="button" role="tab" id="tab-${t.id}"
      aria-controls=${t.id === current ? `panel-${t.id}` : nothing} data-tab=${t.id}
      aria-selected=${t.id === current ? 'true' : 'false'} tabindex=${t.id === current ? 0 : -1}
      @click=${() => select(t.id)}>${t.label}${
        // A span's aria-label is not part of the button's name: the count is hidden from screen readers and said in
        // words instead ("Deals (1 waiting for your answer)", not "Deals 1").
        t.badge
          ? html`<span class="sr-only">(${t.badgeLabel ?? t.badge})</span>
              <span class="count" aria-hidden="true">${t.badge}</span>`
          : nothing
      }</button>`,
    )}
  </div></nav>`;
}
