// Pieces every screen shares: the connection banner, the round and clock bar, meter charts, the public record.
import { html, nothing, svg, type TemplateResult } from 'lit';
import type { DealView, GameView, LineView } from '../../shared/views.ts';
import { loadEarlierReveals, rerender } from '../lib/app.ts';
import { notify } from '../lib/notify.ts';
import { soundOn, toggleSound } from '../lib/ticker.ts';
import type { LiveState } from '../lib/connection.ts';
import { announcementCount, currentAnnouncements, isAnnouncement } from '../lib/announcements.ts';
import {
  DEAL_STATUS,
  PHASES,
  clock,
  meterName,
  pct,
  phaseName,
  round1,
  signed,
  teamColor,
  teamName,
  underlyingPhase,
} from '../lib/format.ts';
import { endsEarly } from '../../shared/phases.ts';
import { amendmentsBeyondWhy, rollSaid } from '../../shared/format.ts';
import { afterActionReport, pastEndingsText, underWayText } from '../../shared/report.ts';

export function connectionBanner(s: LiveState): TemplateResult | typeof nothing {
  // (A seat's console gives way to a "Seat closed" page instead: screens/game.ts. The board keeps its last view.)
  if (s.link === 'refused')
    return html`<div class="banner refused" role="alert"
      >This seat was refused by the server: its token is unknown or has been revoked.
      <a href="/join">Join again with your code</a>.</div>`;
  if (s.link === 'damaged')
    return html`<div class="banner refused" role="alert"><strong>This game’s record is damaged.</strong>
      It cannot be played until the server’s operator restores it; tell the White Cell.</div>`;
  if (s.link === 'crowded')
    return html`<div class="banner offline" role="alert"><strong>This seat has too many tabs or screens open.</strong>
      One seat may keep only a few open at once: close one of its other tabs, and this one connects.
      <span class="retry-in">${s.retryIn ? `Trying again in ${s.retryIn} s…` : 'Trying again…'}</span></div>`;
  if (s.link === 'offline' && s.retryIn !== null)
    return html`<div class="banner offline" role="alert"><strong>The server cannot take this game right now.</strong>
      <span class="retry-in">${s.retryIn > 0 ? `Trying again in ${s.retryIn} s…` : 'Trying again…'}</span>
      Your seat and your team’s draft are kept on the server.</div>`;
  if (s.link === 'offline')
    return html`<div class="banner offline" role="alert"><strong>Connection lost.</strong> Reconnecting…
      <span class="banner-more">Your seat and your team’s draft are kept on the server.</span>${
        s.unconfirmed ? ' What you sent last goes again once the link is back, and counts once.' : ''
      }</div>`;
  if (s.link === 'connecting' && !s.view) return html`<div class="banner connecting" role="status">Connecting…</div>`;
  if (s.unconfirmed)
    return html`<div class="banner waiting" role="status"><strong>Sending…</strong> The server has not confirmed
      your last action yet. If the link has dropped, it goes again once it is back, and counts once.</div>`;
  if (s.backAt)
    return html`<div class="banner back" role="status"
      ><strong>Back online.</strong> The page shows the latest state.</div>`;
  return nothing;
}

// ---- announcements ------------------------------------------------------------------------------------------

const dismissedKey = (v: GameView, scope: string) => `flywheel:announced:${v.game.id}:${scope}`;
/** The current announcements this screen has not yet dismissed (the board never dismisses). */
export function unreadAnnouncements(v: GameView, scope: string) {
  const seen = Number(localStorage.getItem(dismissedKey(v, scope)) ?? 0);
  const before = v.earlierMessages.announcements ?? 0;
  const fresh = new Set(v.messages.filter(isAnnouncement).filter((_, i) => before + i >= seen));
  return currentAnnouncements(v).filter((m) => fresh.has(m));
}

/**
 * The newest current announcement as a banner at the top of every screen, until dismissed or out of date.
 * `onDismiss`: the screen's own bookkeeping (a console marks the announcements channel read, so that a dismissed
 * announcement does not come back as an unread line there).
 */
export function announcementBanner(v: GameView, scope: string, onDismiss?: () => void) {
  const unread = unreadAnnouncements(v, scope);
  const last = scope === 'board' ? currentAnnouncements(v).at(-1) : unread.at(-1);
  if (!last) return nothing;
  const dismiss = () => {
    localStorage.setItem(dismissedKey(v, scope), String(announcementCount(v)));
    onDismiss?.();
    rerender();
    // The button goes with the banner: keyboard focus goes on to the page, not back to its start.
    requestAnimationFrame(() => document.getElementById('main')?.focus({ preventScroll: true }));
  };
  // The text in a box of its own, so that on a phone a long one scrolls there while Dismiss stays in reach.
  // A labelled region, not a live one: a screen reader hears each announcement once, from the page's news
  // (client/lib/news.ts), not again as the banner changes.
  return html`<div class="announce" role="region" aria-label="Announcement from the White Cell">
    <span class="announce-body"><strong>Announcement:</strong> <span class="announce-text" dir="auto">${last.text}</span>
    ${
      // The board never dismisses, so "new" would mean nothing there.
      unread.length > 1 && scope !== 'board' ? html`<span class="muted-on-dark">(${unread.length} new)</span>` : nothing
    }</span>
    ${scope === 'board' ? nothing : html`<button type="button" class="small" @click=${dismiss}>Dismiss</button>`}
  </div>`;
}

/**
 * Round, phase and the clock. `big` for the projector. `at`: the view is a past moment (the replay's), taken at
 * that server time: no clock runs, the bar says how long the phase had left then.
 */
export function phaseBar(v: GameView, opts: { big?: boolean; at?: number } = {}) {
  const g = v.game;
  const phase = g.paused ? 'paused' : g.phase;
  const roundText =
    g.round >= 1 ? html`Round ${g.round} of ${g.rounds} · <strong>${g.roundLabel}</strong>` : html`${g.roundLabel}`;
  return html`
    <div class="phasebar ${opts.big ? 'big' : ''}" aria-label="Round and phase">
      <div class="pb-where"><div class="pb-round">${roundText}</div>
      <div class="pb-phase phase-${phase}"><span class="pb-label">Phase</span> <strong>${phaseName(phase)}</strong>
        ${g.paused ? html`<span class="pb-from">(from ${phaseName(g.paused.from)})</span>` : nothing}</div></div>
      ${
        // An ending reached before the last round holds the reveal: everyone is told, and the White Cell decides.
        g.ending && endsEarly(g) && underlyingPhase(v) === 'reveal' && opts.at === undefined
          ? html`<p class="pb-ending" role="status">Ending reached: <strong>${g.ending.name}</strong>. The White Cell
              decides whether the exercise ends here or plays on.</p>`
          : nothing
      }
      <div class="pb-clock">${opts.at === undefined ? countdown(v, opts.big) : clockThen(v, opts.at)}${
        // No clock runs on the projector's wall, nor after the game (the debrief has none to warn of), nor in a replay.
        opts.big || opts.at !== undefined || g.phase === 'debrief' || g.phase === 'ended'
          ? nothing
          : html`<button type="button" class="link small sound" aria-pressed=${soundOn() ? 'true' : 'false'}
          @click=${() => {
            toggleSound();
            rerender();
          }}>Sound at 2 min and 30 s<span class="sound-state" aria-hidden="true">${
            // Seen, not read: aria-pressed already tells a screen reader, whose name for the button stays the same.
            soundOn() ? ': on ✓' : ': off'
          }</span></button>`
      }</div>
    </div>`;
}

/** The phase's clock. `big` (the wall) says only that none runs: what the White Cell does then is its own business. */
export function countdown(v: GameView, big = false) {
  const g = v.game;
  if (g.paused)
    return html`<span class="clock paused" title="Time left when paused">${
      g.paused.remaining === null ? 'No clock' : `${clock(g.paused.remaining)} left`
    }</span>`;
  if (g.deadline === null)
    return html`<span class="clock none">${
      g.phase === 'lobby' || g.phase === 'debrief' || g.phase === 'ended'
        ? ''
        : big
          ? 'Untimed'
          : 'No clock: the White Cell moves on'
    }</span>`;
  return html`<span class="clock-wrap"><span class="sr-only">Time left: </span><span class="clock" role="timer"
    data-deadline=${g.deadline} data-length=${(g.phases[g.phase] ?? 0) * 1000}></span></span>`;
}

/** The time a past moment's phase had left (a replay's): a still figure, never a ticking clock. */
function clockThen(v: GameView, at: number) {
  const g = v.game;
  const left = g.paused ? g.paused.remaining : g.deadline === null ? null : g.deadline - at;
  if (left === null || g.phase === 'lobby' || g.phase === 'debrief' || g.phase === 'ended') return nothing;
  return html`<span class="clock then">${clock(left)} left${g.paused ? ' (paused)' : ''} at this moment</span>`;
}

export const phaseHint = (v: GameView) => PHASES[v.game.paused ? 'paused' : v.game.phase]?.hint ?? '';

export const teamChip = (v: GameView, id: string | null, short = true) =>
  html`<span class="chip" style="--team:${teamColor(v, id)}"><span class="dot" aria-hidden="true"></span>${teamName(
    v,
    id,
    short,
  )}</span>`;

/**
 * A line's or action's meter changes. `unapplied`: the line did not take effect (a failed roll, a cancelled line),
 * so its changes are shown as what it would have done, struck through, and never read as having moved a meter.
 */
export const effectsList = (
  v: GameView,
  effects: { meter: string; delta: number; delay?: number; scaled?: boolean; scaledBy?: string }[],
  opts: { unapplied?: boolean } = {},
) =>
  effects.length === 0
    ? nothing
    : html`<ul class="effects ${opts.unapplied ? 'unapplied' : ''}">${
        opts.unapplied ? html`<li class="would">Would have been (not applied):</li>` : nothing
      }${effects.map(
        (e) =>
          html`<li class=${e.delta >= 0 ? 'up' : 'down'}>${meterName(v, e.meter)} <strong>${signed(e.delta)}</strong>${
            e.delay ? html` <span class="muted">(after ${e.delay} round${e.delay > 1 ? 's' : ''})</span>` : nothing
          }${
            e.scaled
              ? html` <span class="muted">(${e.scaledBy ? `less as ${meterName(v, e.scaledBy)} rises` : 'can count for less'})</span>`
              : nothing
          }</li>`,
      )}</ul>`;

// ---- charts -------------------------------------------------------------------------------------------------

/**
 * A meter's story: one point per round end, plus "now" when it moved since. The line is drawn in a 100×100 viewBox
 * stretched to the chart's box (its stroke keeps its width); the points and the axis labels are HTML placed in
 * percent beside and over it, so text and dots keep their shape at any card size, and their size follows the
 * font (styles.css: larger on the projector).
 */
export function meterChart(v: GameView, m: GameView['meters'][number], opts: { rounds?: number } = {}) {
  const points = [...m.history];
  const now = m.value;
  const showNow = points.length === 0 || points[points.length - 1] !== now;
  if (showNow) points.push(now);
  const n = Math.max(opts.rounds ?? v.game.rounds, points.length - 1, 1);
  const x = (i: number) => (i / n) * 100;
  const y = (val: number) => 100 - Math.max(0, Math.min(100, val));
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(2)},${y(p).toFixed(2)}`).join(' ');
  const label = `${m.name}: now ${round1(now)}; by round ${m.history.map((h) => round1(h)).join(', ')}`;
  const ticks = Array.from({ length: n + 1 }, (_, i) => i).filter((i) => n <= 10 || i % 2 === 0);
  return html`<div class="mchart" role="img" aria-label=${label}>
    <div class="mchart-y" aria-hidden="true">${[100, 50, 0].map(
      (g) => html`<span class="axis" style="top:${y(g)}%">${g}</span>`,
    )}</div>
    <div class="mchart-plot" aria-hidden="true">
      <svg viewBox="0 0 100 100" preserveAspectRatio="none" focusable="false">
        ${[0, 50, 100].map((g) => svg`<line class="grid" x1="0" x2="100" y1=${y(g)} y2=${y(g)}></line>`)}
        <path class="line" d=${path}></path>
      </svg>
      ${points.map(
        (p, i) =>
          html`<span class=${showNow && i === points.length - 1 ? 'pt now' : 'pt'}
            style="left:${x(i)}%;top:${y(p)}%"></span>`,
      )}
    </div>
    <div class="mchart-x" aria-hidden="true">${ticks.map(
      (i) => html`<span class="axis" style="left:${x(i)}%">${i === 0 ? 'start' : i}</span>`,
    )}</div>
  </div>`;
}

export function meterCard(v: GameView, m: GameView['meters'][number], opts: { big?: boolean; compact?: boolean } = {}) {
  // history holds the value at the start and at each round's end. A move since the last round's end is "this
  // round"; otherwise the marker shows the last played round's change and says which round that was.
  const h = m.history;
  const last = h.length ? h[h.length - 1] : m.value;
  const sinceEnd = m.value !== last;
  const change = sinceEnd ? m.value - last : h.length > 1 ? last - h[h.length - 2] : 0;
  const when = sinceEnd ? 'this round' : `in round ${h.length - 1}`;
  return html`<figure class="meter ${opts.big ? 'big' : ''} ${m.public ? '' : 'private'}"
    title=${opts.compact || opts.big ? m.description : ''}>
    <figcaption>
      <span class="m-name">${m.name}</span>
      <span class="m-value">${round1(m.value)}${
        change
          ? html`<span class="m-delta ${change > 0 ? 'up' : 'down'}" title="Change ${when}">${signed(change)}<span
              class="m-when"> ${when}</span></span>`
          : nothing
      }</span>
    </figcaption>
    <div class="bar" aria-hidden="true"><span style="width:${Math.max(0, Math.min(100, m.value))}%"></span></div>
    ${meterChart(v, m)}
    ${
      opts.big || opts.compact
        ? nothing
        : html`<p class="m-desc">${m.description}${m.public ? '' : html` <em>(not public)</em>`}</p>`
    }
  </figure>`;
}

export const meterGrid = (v: GameView, opts: { big?: boolean; compact?: boolean } = {}) =>
  html`<div class="meters ${opts.big ? 'big' : ''}">${v.meters.map((m) => meterCard(v, m, opts))}</div>`;

export function tiersList(v: GameView) {
  return html`<ol class="tiers">${v.tiers.map(
    (t) => html`<li class=${t.open ? 'open' : 'closed'}>
    <strong>Tier ${t.tier}: ${t.name}</strong> ${
      t.open ? html`<span class="badge ok">open</span>` : html`<span class="badge">closed</span>`
    }
    ${
      t.tier > 0
        ? html`<span class="muted">opens at ${t.meter ? meterName(v, t.meter).toLowerCase() : 'momentum'} ${t.momentum}, ${t.pairsBelow} pair${
            t.pairsBelow === 1 ? '' : 's'
          } below</span>`
        : nothing
    }
  </li>`,
  )}</ol>`;
}

export function teamsStrip(v: GameView) {
  // The seats count the bot's or the White Cell's seat, which its badge names: "1 player" beside "bot" read as a
  // person at the table.
  const people = (t: GameView['teams'][number]) => t.players - (t.bot ? 1 : 0) - (t.whiteCell ? 1 : 0);
  return html`<ul class="teams-strip" aria-label="Teams">${v.teams.map(
    (t) => html`<li style="--team:${t.color}">
    <span class="dot" aria-hidden="true"></span><strong>${t.short}</strong>
    ${
      people(t) > 0 || !(t.bot || t.whiteCell)
        ? html`<span class="muted">${people(t)} ${people(t) === 1 ? 'player' : 'players'}</span>`
        : nothing
    }
    ${t.bot ? html`<span class="badge bot" title="A bot plays this team">bot</span>` : nothing}
    ${t.whiteCell ? html`<span class="badge wc" title="The White Cell plays this team">White Cell</span>` : nothing}
    ${
      t.submitted === null
        ? nothing
        : t.submitted
          ? html`<span class="badge ok">locked</span>`
          : html`<span class="badge">drafting</span>`
    }
  </li>`,
  )}</ul>`;
}

// ---- the record ---------------------------------------------------------------------------------------------

/** `tools`: the White Cell's buttons and forms for the line, drawn inside its card so they read as its own. */
export function lineItem(
  v: GameView,
  l: LineView,
  opts: { control?: boolean; tools?: TemplateResult | typeof nothing } = {},
) {
  return html`<li class="line kind-${l.kind} ${l.cancelled ? 'cancelled' : ''} ${l.counts ? '' : 'void'}"
    style="--team:${teamColor(v, l.team)}">
    <div class="l-head">${l.team ? teamChip(v, l.team) : nothing} <span class="l-text">${l.text}</span>
      ${l.kind === 'covert' ? html`<span class="badge secret">covert</span>` : nothing}
      ${
        l.cancelled
          ? html`<span class="badge warn">cancelled</span>`
          : l.freeform && !l.freeform.ruled
            ? html`<span class="badge warn">awaiting a ruling</span>`
            : !l.counts
              ? html`<span class="badge">did not apply</span>`
              : nothing
      }</div>
    ${l.why ? html`<div class="l-why">${l.why}</div>` : nothing}
    ${effectsList(v, l.effects, { unapplied: !l.counts })}
    ${
      l.later.length
        ? html`<div class="muted">Later: ${l.later
            // A step due after the last round is never played: the debrief's scores count it as landed.
            .map(
              (x) =>
                `${meterName(v, x.meter)} ${signed(x.delta)} ${
                  x.round > v.game.rounds ? 'after the last round (counted in the scores)' : `in round ${x.round}`
                }`,
            )
            .join('; ')}</div>`
        : nothing
    }
    ${l.roll ? html`<div class="roll">Roll for ${l.roll.what}: <strong>${rollSaid(l.roll)}</strong></div>` : nothing}
    ${
      l.freeform
        ? html`<details class="ff"><summary>The free-form argument</summary>
      <p><strong>What:</strong> <span dir="auto">${l.freeform.text}</span></p><p><strong>Aim:</strong> <span
        dir="auto">${l.freeform.intent}</span></p><p><strong>Why it should work:</strong> <span
        dir="auto">${l.freeform.rationale}</span></p>
      ${
        Object.keys(l.freeform.estimates).length
          ? html`<p><strong>Estimates:</strong> ${Object.entries(l.freeform.estimates)
              .map(([t, p]) => `${teamName(v, t, true)} ${pct(p)}`)
              .join(', ')}</p>`
          : nothing
      }
    </details>`
        : nothing
    }
    ${
      amendmentsBeyondWhy(l).length
        ? html`<div class="amend">${amendmentsBeyondWhy(l).map(
            (a) => html`<div>Amended by ${a.by}: ${a.rationale}</div>`,
          )}</div>`
        : nothing
    }
    ${
      opts.control && l.visibleTo !== undefined
        ? html`<div class="muted small">Seen by: ${visibility(v, l.visibleTo)}</div>`
        : nothing
    }
    ${opts.tools ?? nothing}
  </li>`;
}

function visibility(v: GameView, vis: unknown): string {
  if (vis === 'all') return 'everyone';
  if (vis === 'control') return 'the White Cell only';
  if (Array.isArray(vis)) return vis.map((t) => teamName(v, String(t), true)).join(', ');
  return String(vis);
}
export const audienceText = visibility;

/** The private intelligence a team was handed with an inject it can read (the White Cell's copy is not text). */
export const privateIntel = (v: GameView, i: GameView['injects'][number]) =>
  v.audience.kind === 'team' && i.kind !== 'intel' && i.status === 'published' ? i.intel : null;

/** Reveals and published injects, newest round first. */
export function recordTimeline(v: GameView, opts: { big?: boolean; limit?: number } = {}) {
  const rounds = new Set<number>();
  for (const r of v.reveals) rounds.add(r.round);
  // Older reveals are summed up in a whole view until the user asks for them (docs/client.md, "The record").
  const summed = new Map(v.earlierReveals.map((r) => [r.round, r]));
  for (const r of v.earlierReveals) rounds.add(r.round);
  for (const i of v.injects) if (i.status === 'published' && i.round !== null) rounds.add(i.round);
  const sorted = [...rounds].sort((a, b) => b - a).slice(0, opts.limit ?? 99);
  if (!sorted.length)
    return html`<p class="muted">Nothing has happened yet. Injects and each round’s reveal will appear here.</p>`;
  return html`<ol class="timeline ${opts.big ? 'big' : ''}">${sorted.map((round) => {
    const injects = v.injects.filter((i) => i.status === 'published' && i.round === round);
    const reveal = v.reveals.find((r) => r.round === round);
    const later = summed.get(round);
    // The projector's card is headed "Latest round": its round number is there for a screen reader, and keeps the
    // headings in order (h2, h3, then the reveal's h4).
    return html`<li class="t-round"><h3 class=${opts.big ? 'sr-only' : nothing}>Round ${round}</h3>
      ${
        injects.length
          ? html`<ul class="injects">${injects.map(
              (i) => html`<li class="inject ${i.kind === 'intel' ? 'intel' : ''}">
        <strong>${i.kind === 'intel' ? 'Intelligence' : 'Event'}: ${i.title}</strong><p>${i.text}</p>${effectsList(
          v,
          i.effects,
        )}
        ${
          privateIntel(v, i)
            ? html`<p class="intel-note"><span class="badge secret">for your team only</span> ${privateIntel(v, i)}</p>`
            : nothing
        }</li>`,
            )}</ul>`
          : nothing
      }
      ${reveal ? html`<h4 data-reveal=${round} tabindex="-1">Reveal</h4><ul class="lines">${reveal.lines.map((l) => lineItem(v, l))}</ul>` : nothing}
      ${
        !reveal && later
          ? html`<h4>Reveal</h4><p class="muted">${`${later.lines} ${later.lines === 1 ? 'outcome' : 'outcomes'}, not loaded.`}</p>`
          : nothing
      }
    </li>`;
  })}</ol>${
    v.earlierReveals.length && !opts.limit
      ? html`<p><button type="button" class="link earlier-reveals" @click=${showEarlierReveals}>${'Show earlier rounds'}</button></p>`
      : nothing
  }`;
}

async function showEarlierReveals() {
  if (!(await loadEarlierReveals())) notify('Earlier rounds could not be loaded; try again.', 'error');
}

// ---- deals --------------------------------------------------------------------------------------------------

export function obligationState(v: GameView, d: DealView, o: DealView['obligations'][number]): string {
  if (o.fulfilledRound !== null) return `done in round ${o.fulfilledRound}`;
  // A deal never agreed bound nobody: its obligations were never owed, so they were not left undone.
  if (d.status === 'rejected' || d.status === 'withdrawn' || d.status === 'expired') return 'never owed';
  if (d.status === 'broken') return 'not done';
  if (v.game.round > o.byRound) return 'overdue';
  // A step its tier keeps closed cannot be taken until the tier opens again: whoever reads the deal is told.
  const closed = v.actions.find((a) => a.id === o.action)?.open === false;
  return `due by round ${o.byRound}${closed ? ' (its tier is closed now)' : ''}`;
}

export function dealSummary(v: GameView, d: DealView, actions?: TemplateResult | typeof nothing) {
  // Named as a reader would tell deals apart: who to whom, and its state (its id means nothing to a person).
  const label = `Deal from ${teamName(v, d.from, true)} to ${d.to.map((t) => teamName(v, t, true)).join(', ')}, proposed in round ${d.proposedRound}: ${DEAL_STATUS[d.status] ?? d.status}`;
  return html`<article class="deal status-${d.status}" aria-label=${label} data-deal=${d.id}>
    <header>
      ${teamChip(v, d.from)} <span aria-hidden="true">→</span> ${d.to.map((t) => teamChip(v, t))}
      <span class="badge status">${DEAL_STATUS[d.status] ?? d.status}</span>
      ${d.secret ? html`<span class="badge secret">secret</span>` : nothing}
      ${d.snapback ? html`<span class="badge">${d.snappedBack ? 'snapped back' : 'snapback armed'}</span>` : nothing}
    </header>
    <ul class="obligations">${d.obligations.map(
      (o) => html`<li class=${o.fulfilledRound !== null ? 'done' : ''}>
      ${teamChip(v, o.team)} <span>${o.actionName}</span> <span class="muted">${obligationState(v, d, o)}</span></li>`,
    )}</ul>
    ${d.note ? html`<p class="note" dir="auto">“${d.note}”</p>` : nothing}
    <p class="muted small">Proposed in round ${d.proposedRound}${
      d.acceptedRound !== null ? `, in force from round ${d.acceptedRound}` : ''
    }${
      d.status === 'proposed' ? ` · agreed so far: ${d.acceptedBy.map((t) => teamName(v, t, true)).join(', ')}` : ''
    }${d.breakers.length ? ` · broken by ${d.breakers.map((t) => teamName(v, t, true)).join(', ')}` : ''}</p>
    ${actions ?? nothing}
  </article>`;
}

/**
 * The deals in force (docs/rules.md): accepted by every party and still running, obligations still to be met. A
 * fulfilled deal has run its course and a broken one has ended; the deals tab and the record tell of both.
 */
export const dealsInForce = (v: GameView) => v.deals.filter((d) => d.status === 'accepted');

// ---- debrief ------------------------------------------------------------------------------------------------

/** Saves the after-action report built from this screen's own view (so it holds nothing this seat may not see). */
async function downloadReport(held: GameView) {
  // The report tells every round: the older reveals the view sums up are fetched first.
  const v = held.earlierReveals.length ? await loadEarlierReveals() : held;
  if (!v) return notify('Earlier rounds could not be loaded for the report; try again.', 'error');
  const url = URL.createObjectURL(new Blob([afterActionReport(v)], { type: 'text/markdown' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: `flywheel-${v.game.id}-report.md` });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The debrief. `projector`: the wall's copy, with no download (nobody at a projector saves a file). */
export function debriefView(v: GameView, opts: { projector?: boolean } = {}) {
  const d = v.debrief;
  if (!d) return nothing;
  const pending = underWayText(v);
  const past = pastEndingsText(v);
  // On the projector each team's score card and the rest (covert moves, meters, dice) are parts that turn their own
  // pages (screens/board.ts), under the ending, so the wall shows everything with nobody scrolling.
  const pages = !!opts.projector;
  return html`<section class="debrief" aria-labelledby="debrief-h">
    <h2 id="debrief-h" tabindex="-1">Debrief: ${d.ending.name}</h2>
    <p class="lead">${d.ending.debrief} <span class="muted">${d.ending.round >= 1 ? `(Round ${d.ending.round}.)` : '(Before the first round.)'}</span></p>
    ${past ? html`<p class="past-endings">${past}</p>` : nothing}
    ${
      opts.projector
        ? nothing
        : html`<p><button type="button" @click=${() => void downloadReport(v)}>Download the after-action report</button>
      <span class="muted small">Markdown, with what this screen may show: the board round by round,
        every outcome and why, deals, scores.</span></p>`
    }
    <section class="deb-scores" aria-labelledby="deb-scores-h"><h3 id="deb-scores-h">How each team did</h3>
    ${pending ? html`<p class="small">${pending}</p>` : nothing}
    <div class="scores">${d.scores.map(
      // On the projector each team's card turns its own pages: side by side, its objectives break at other heights
      // than its neighbours', so no one turn of them all could start every card at an objective.
      (s) => html`<div class="card score" style="--team:${teamColor(v, s.team)}" tabindex=${pages ? 0 : nothing}
        data-pages=${pages ? '' : nothing} role=${pages ? 'group' : nothing}
        aria-labelledby=${pages ? `score-h-${s.team}` : nothing}>
      <h4 id="score-h-${s.team}">${teamChip(v, s.team, false)} <span class="total">${s.total} / ${s.max}</span></h4>
      <ul class="objectives">${s.objectives.map(
        (o) => html`<li class=${o.achieved ? 'achieved' : 'missed'}>
        <span class="mark" aria-hidden="true">${o.achieved ? '✔' : '✘'}</span><span class="sr-only">${
          o.achieved ? 'Achieved:' : 'Missed:'
        }</span>
        ${o.text} <span class="muted">(${o.points} pts)</span></li>`,
      )}</ul>
    </div>`,
    )}</div></section>
    <section class="deb-more" aria-labelledby="deb-covert-h" tabindex=${pages ? 0 : nothing}
      data-pages=${pages ? '' : nothing}><h3 id="deb-covert-h">Covert moves, now revealed</h3>
    ${
      d.covertLog.length
        ? html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="deb-covert-h"><table
        class="table"><thead><tr><th scope="col">Round</th><th scope="col">Team</th><th
        scope="col">Move</th><th scope="col">Exposed</th></tr></thead>
      <tbody>${d.covertLog.map(
        (c) =>
          html`<tr><td>${c.round}</td><td>${teamChip(v, c.team)}</td><td>${c.name}</td><td>${
            c.exposedRound === null ? 'never' : `round ${c.exposedRound}`
          }</td></tr>`,
      )}</tbody></table></div>`
        : html`<p class="muted">No covert moves were made.</p>`
    }
    <h3>Every meter, round by round</h3>
    ${meterGrid(v, { compact: true })}
    <h3>The dice</h3>
    <p class="small dice">Committed at the start: <code>${d.dice.commitment}</code><br />
      Seed, revealed now: <code>${d.dice.seed ?? '(not revealed)'}</code>${
        d.dice.chosen ? ' (chosen by the organizer)' : ''
      }${d.dice.salt ? html`, salted with <code>${d.dice.salt}</code>` : nothing}.
      With the seed out, every roll of the game can be checked: the White Cell's export, given to
      <code>npm run verify-dice</code>, recomputes each one (docs/export.md).</p></section>
  </section>`;
}
