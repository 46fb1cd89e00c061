// Countdowns tick on their own, without re-rendering the page: each <span data-deadline> (server ms) or
// data-remaining (a paused clock) has its text set here four times a second. With 2 minutes and with 30 seconds
// left, the clock is marked and a note says so once per deadline (with a short tone if sound is on). A mark counts
// only in a phase at least twice as long (data-length, the phase's set length): a 2-minute phase would otherwise
// warn as it begins.
import { serverNow } from './api.ts';
import { clock } from './format.ts';
import { notify } from './notify.ts';

const WARNINGS = [
  { ms: 120_000, text: '2 minutes left in this phase.' },
  { ms: 30_000, text: '30 seconds left in this phase.' },
];
const warned = new Set<string>();

export const soundOn = () => localStorage.getItem('flywheel:sound') === 'on';
export function toggleSound() {
  localStorage.setItem('flywheel:sound', soundOn() ? 'off' : 'on');
}

function tone() {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    osc.frequency.value = 880;
    osc.connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.25);
  } catch {
    /* no audio here: the visible note is enough */
  }
}

function tick() {
  const now = serverNow();
  let warn: string | null = null;
  for (const el of document.querySelectorAll<HTMLElement>('[data-deadline]')) {
    const deadline = Number(el.dataset.deadline);
    const left = deadline - now;
    // Without a length (an older page), every mark counts, as before.
    const length = Number(el.dataset.length) || Number.POSITIVE_INFINITY;
    const marks = (ms: number) => length >= 2 * ms;
    const text = clock(left);
    if (el.textContent !== text) el.textContent = text;
    el.classList.toggle('urgent', left < 60_000 && marks(60_000));
    el.classList.toggle('over', left <= 0);
    el.classList.toggle('warn-2m', left > 0 && left <= 120_000 && marks(120_000));
    el.classList.toggle('warn-30s', left > 0 && left <= 30_000 && marks(30_000));
    for (const w of WARNINGS) {
      if (!marks(w.ms)) continue;
      const key = `${deadline}:${w.ms}`;
      // Only when crossing the mark (not for a page opened with less time left than that already).
      if (left > 0 && left <= w.ms && left > w.ms - 5_000 && !warned.has(key)) {
        warned.add(key);
        warn = w.text;
      }
    }
  }
  if (warn) {
    notify(warn);
    if (soundOn()) tone();
  }
}

export function startTicker() {
  tick();
  setInterval(tick, 250);
}
export const tickNow = tick;
