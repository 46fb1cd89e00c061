// The app's two verbs, shared by every screen: draw again, and go to another page without reloading.
import type { TemplateResult } from 'lit';
import type { GameView } from '../../shared/views.ts';

export interface Screen {
  view(): TemplateResult;
  /** Called once what view() returned is on the page, before the browser paints it (a layout measured in place). */
  drawn?(): void;
  dispose?(): void;
}

let pending = false;
let draw: () => void = () => {};
let go: (path: string) => void = () => {};

export function setRenderer(fn: () => void, nav: (path: string) => void) {
  draw = fn;
  go = nav;
}

/** Draws on the next animation frame; many updates in one frame draw once. */
export function rerender() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    draw();
  });
}

export function navigate(path: string) {
  go(path);
}

/** For <a href> inside the app: same-origin links change the route without a reload. */
export function linkClick(e: MouseEvent) {
  const a = (e.target as HTMLElement).closest('a');
  if (
    !a ||
    e.defaultPrevented ||
    e.button !== 0 ||
    e.metaKey ||
    e.ctrlKey ||
    e.shiftKey ||
    e.altKey ||
    a.target === '_blank'
  )
    return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return; // an in-page anchor
  e.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

/**
 * The open seat's way to fetch the older reveals a whole view sums up (set by the game screen while it is open),
 * so that any part showing the record can offer them.
 */
let earlierReveals: (() => Promise<GameView | null>) | null = null;

export function setRevealLoader(fn: (() => Promise<GameView | null>) | null) {
  earlierReveals = fn;
}

/** Fetches every older reveal; resolves with the view holding them all, or null if they could not be loaded. */
export function loadEarlierReveals(): Promise<GameView | null> {
  return earlierReveals ? earlierReveals() : Promise.resolve(null);
}
