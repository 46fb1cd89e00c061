// The browser app: a router over a few screens, drawn with lit-html into #app.
import { html, render } from 'lit';
import { linkClick, setRenderer, type Screen } from './lib/app.ts';
import { notesView, setNotifyListener } from './lib/notify.ts';
import { measureStickyHead } from './lib/sticky-head.ts';
import { startTicker, tickNow } from './lib/ticker.ts';
import { StartScreen } from './screens/start.ts';
import { CodesScreen } from './screens/codes.ts';
import { JoinScreen } from './screens/join.ts';
import { GameScreen } from './screens/game.ts';
import { BoardScreen } from './screens/board.ts';
import { CohortNewScreen } from './screens/cohort-new.ts';
import { CohortScreen } from './screens/cohort.ts';
import { CohortDebriefScreen } from './screens/cohort-debrief.ts';
import { SeminarScreen } from './screens/seminar.ts';
import { ReplayScreen } from './screens/replay.ts';
import './styles.css';

const root = document.getElementById('app')!;
root.replaceChildren(); // the static "Loading" text: lit-html adds to a container, it does not clear it
let screen: Screen | null = null;

function route(): Screen {
  const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'join':
      return new JoinScreen(parts[1] ?? '');
    case 'codes':
      return new CodesScreen(parts[1] ?? '');
    case 'game':
      return new GameScreen(parts[1] ?? '', parts[2] ?? '');
    case 'board':
      return new BoardScreen(parts[1] ?? '');
    case 'cohort':
      if (!parts[1] || parts[1] === 'new') return new CohortNewScreen();
      return parts[2] === 'debrief' ? new CohortDebriefScreen(parts[1]) : new CohortScreen(parts[1]);
    case 'seminar':
      return new SeminarScreen(parts[1] ?? '');
    case 'replay':
      return new ReplayScreen(parts[1] ?? '', parts[2] ?? '');
    default:
      return new StartScreen();
  }
}

function draw() {
  if (!screen) return;
  render(html`${screen.view()}${notesView()}`, root);
  screen.drawn?.();
  tickNow();
  measureStickyHead();
  // Keep message lists pinned to their newest message when something arrives.
  for (const el of root.querySelectorAll<HTMLElement>('[data-autoscroll]')) {
    const count = el.dataset.count ?? '';
    if (el.dataset.seen !== count) {
      el.dataset.seen = count;
      el.scrollTop = el.scrollHeight;
    }
  }
}

/**
 * Shows the screen the address names. After a move within the app the focus goes to the new screen's heading, as a
 * page load would put a screen reader at the top; on the page's own load it is left where the browser puts it, so
 * that the first Tab reaches "Skip to content" (a heading focused then is soon replaced, by the loaded game's).
 */
function open(moved = true) {
  screen?.dispose?.();
  screen = route();
  draw();
  window.scrollTo(0, 0);
  const h1 = moved ? root.querySelector('h1') : null;
  if (h1) {
    h1.setAttribute('tabindex', '-1');
    h1.focus({ preventScroll: true });
  }
}

setRenderer(draw, (path) => {
  history.pushState(null, '', path);
  open();
});
setNotifyListener(draw);
window.addEventListener('popstate', () => open());
window.addEventListener('resize', measureStickyHead);
document.addEventListener('click', linkClick);
startTicker();
open(false);
