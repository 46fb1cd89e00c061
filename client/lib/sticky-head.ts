// The page's sticky head (clock, controls and tabs) is as tall as it needs to be: two rows of tabs on a phone, a
// "round revealed" banner in it at a reveal. Whatever scrolls a heading or a field into view (a reveal, the feedback
// form, a counter-proposal, the focus moving down a form) must stop below it, so the root's scroll-padding-top
// (styles.css) follows its height, measured after each drawing and when the window changes size.

let last = -1;

/** Sets --sticky-head on the root to the sticky head's height, or 0 on a page without one. */
export function measureStickyHead(): void {
  const head = document.querySelector<HTMLElement>('.sticky-head');
  const height = head && getComputedStyle(head).position === 'sticky' ? Math.ceil(head.offsetHeight) : 0;
  if (height === last) return;
  last = height;
  document.documentElement.style.setProperty('--sticky-head', `${height}px`);
}
