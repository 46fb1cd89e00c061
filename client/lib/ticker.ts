// Countdowns tick on their own, without re-rendering the page: each <span data-deadline> (server ms) or
// data-remaining (a paused clock) has its text set here four times a second.
import { serverNow } from './api.ts';
import { clock } from './format.ts';

function tick() {
  const now = serverNow();
  for (const el of document.querySelectorAll<HTMLElement>('[data-deadline]')) {
    const deadline = Number(el.dataset.deadline);
    const left = deadline - now;
    const text = clock(left);
    if (el.textContent !== text) el.textContent = text;
    el.classList.toggle('urgent', left < 60_000);
    el.classList.toggle('over', left <= 0);
  }
}

export function startTicker() {
  tick();
  setInterval(tick, 250);
}
export const tickNow = tick;
