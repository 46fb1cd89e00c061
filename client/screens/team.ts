// A team's console: briefing, the board, the action menu and the team's shared draft, deals, channels and the record.
import { html, nothing, type TemplateResult } from 'lit';
import type { GameView } from '../../shared/views.ts';
import { rerender } from '../lib/app.ts';
import type { Connection, LiveState } from '../lib/connection.ts';
import { seminarLink, type Seat } from '../lib/seats.ts';
import { ChatPanel } from '../parts/chat.ts';
import {
  announcementBanner,
  connectionBanner,
  dealSummary,
  dealsInForce,
  debriefView,
  meterGrid,
  phaseBar,
  phaseHint,
  privateIntel,
  recordTimeline,
  teamsStrip,
  tiersList,
} from '../parts/common.ts';
import { TabChoice, type Tab, tabbedMain } from '../parts/console.ts';
import { DealsTab, incomingDeals } from './team/deals.ts';
import { MovesTab } from './team/moves.ts';
import { FormsPanel, RecordPanel } from '../parts/record.ts';
import { reclaimSeat } from '../lib/cohort-api.ts';
import { notify } from '../lib/notify.ts';
import { underlyingPhase } from '../lib/format.ts';

/** The round of the latest reveal (a view holds older ones only once they were asked for). */
const latestReveal = (v: GameView) => v.reveals[v.reveals.length - 1]?.round ?? 0;

const TABS = ['brief', 'board', 'moves', 'deals', 'talk', 'record', 'debrief'] as const;

export class TeamConsole {
  private tab = new TabChoice(TABS, 'brief');
  private chat: ChatPanel;
  private moves: MovesTab;
  private deals: DealsTab;
  private recordPanel: RecordPanel;
  private formsPanel: FormsPanel;
  private seenReveals = -1;

  /** A seminar cell's seat (read once from this browser's storage, not at every drawing). */
  private readonly inSeminar: boolean;

  constructor(
    conn: Connection,
    private seat: Seat,
    private key: string,
  ) {
    this.chat = new ChatPanel(conn, seat.gameId, key, rerender);
    this.inSeminar = seminarLink(seat.gameId) !== null;
    this.moves = new MovesTab(conn, `flywheel:freeform:${seat.gameId}:${key}`);
    this.deals = new DealsTab(conn, `flywheel:deal-form:${seat.gameId}:${key}`);
    this.recordPanel = new RecordPanel(conn, seat, key);
    this.formsPanel = new FormsPanel(conn, seat);
  }

  unread(v: GameView) {
    if (this.tab.current === 'talk') this.chat.seen(v);
    return this.chat.totalUnread(v);
  }

  /** A bot (or the White Cell) plays this team while its own player is here: one press takes the seat back. */
  private takeBack(v: GameView) {
    const mine = v.teams.find((t) => t.id === v.me?.team);
    const me = v.me?.teammates.find((p) => p.id === this.seat.playerId);
    if (!mine || !(mine.bot || mine.whiteCell) || !me || me.bot || me.whiteCell || v.game.phase === 'ended')
      return nothing;
    return html`<p class="callout" role="status">${mine.bot ? 'A bot' : 'The White Cell'} is playing your team.
      <button type="button" @click=${() =>
        reclaimSeat(this.seat.gameId, mine.id, this.seat.token).then(
          () => notify('The seat is yours again.'),
          (err: unknown) => notify(err instanceof Error ? err.message : String(err), 'error'),
        )}>Take the seat back</button></p>`;
  }

  channelOnScreen() {
    return this.tab.current === 'talk' ? this.chat.selected : null;
  }

  view(s: LiveState): TemplateResult {
    const v = s.view!;
    const me = v.me!;
    const team = v.teams.find((t) => t.id === me.team)!;
    if (v.debrief && this.seenReveals !== -2) {
      this.tab.show('debrief', '#debrief-h');
      this.seenReveals = -2;
    }
    if (this.seenReveals === -1) this.seenReveals = latestReveal(v);
    if (this.tab.current === 'record' && this.seenReveals >= 0) this.seenReveals = latestReveal(v);
    const incoming = incomingDeals(v, me.team);
    // The channel on screen is read before the badge counts it (its own messages, a message just sent).
    if (this.tab.current === 'talk') this.chat.seen(v);
    const unread = this.chat.totalUnread(v);
    const newReveal = this.seenReveals >= 0 && latestReveal(v) > this.seenReveals;
    const revealed = v.reveals.length > 0 && underlyingPhase(v) === 'reveal' && this.tab.current !== 'record';
    // At the deadline an unlocked draft is taken as it stands: a player on another tab is told, on Moves and above.
    const unlocked = v.game.phase === 'submission' && !v.game.paused && !me.draft.locked;
    const estimate = me.estimating.some(
      (l) => l.freeform && !l.freeform.ruled && l.freeform.estimates[me.team] === undefined,
    );
    const tabs: Tab[] = [
      ...(v.debrief ? [{ id: 'debrief', label: 'Debrief' }] : []),
      { id: 'brief', label: 'Briefing' },
      { id: 'board', label: 'Board' },
      {
        id: 'moves',
        label: 'Moves',
        badge: unlocked || estimate ? '!' : undefined,
        badgeLabel: [unlocked ? 'submission is open and your moves are not locked' : '']
          .concat(estimate ? 'an estimate is asked of you' : '')
          .filter(Boolean)
          .join('; '),
      },
      {
        id: 'deals',
        label: 'Deals',
        badge: incoming.length ? String(incoming.length) : undefined,
        badgeLabel: `${incoming.length} waiting for your answer`,
      },
      { id: 'talk', label: 'Channels', badge: unread ? String(unread) : undefined, badgeLabel: `${unread} unread` },
      { id: 'record', label: 'Record', badge: newReveal ? 'new' : undefined, badgeLabel: 'new reveal' },
    ];
    let body: TemplateResult;
    switch (this.tab.current) {
      case 'debrief':
        // The ending and the scores first (on a phone, forms first put them screens down); a line at the top points
        // to any form still open, below the record's buttons.
        body = html`${this.formsPanel.waiting(v)}${debriefView(v)}${this.recordPanel.exports(v, {
          replay: true,
        })}${this.formsPanel.view(v)}`;
        break;
      case 'board':
        body = this.boardTab(v);
        break;
      case 'moves':
        body = this.moves.view(v);
        break;
      case 'deals':
        body = this.deals.view(v);
        break;
      case 'talk':
        body = this.chat.view(v, true);
        break;
      case 'record':
        body = html`${this.formsPanel.waiting(v)}${this.recordTab(v)}${this.formsPanel.view(v)}`;
        break;
      default:
        body = this.briefTab(v);
    }
    return html`
      <header class="top team-top" style="--team:${team.color}">
        <div class="brand">Flywheel</div>
        <div class="who"><span class="dot" aria-hidden="true"></span><strong>${team.name}</strong> <span
          class="muted">· ${this.seat.name}${
            // A seminar's cells play the same game side by side: the cell's title ("… · B") says which one this is.
            this.inSeminar ? ` · ${v.game.title}` : ''
          }</span></div>
      </header>
      ${this.takeBack(v)}
      ${
        v.game.phase === 'lobby' || v.game.phase === 'briefing' || v.game.paused
          ? html`<aside class="callout" aria-label="What happens now">${phaseHint(v)}</aside>`
          : nothing
      }
      ${revealed && !newReveal ? this.revealCallout(v) : nothing}
      ${
        unlocked && this.tab.current !== 'moves'
          ? html`<aside class="callout lock-callout" aria-label="Your moves are not locked">
        Submission is open and your team has not locked its moves: at the deadline your draft is taken as it stands.
        <button type="button" class="link" @click=${() => this.tab.go('moves')}>Go to your moves</button></aside>`
          : nothing
      }
      ${tabbedMain(
        // The announcement sits in the part that stays on screen, so a player scrolled down sees it too.
        // So does a reveal the team has not looked at yet: a player scrolled down the moves would miss it above.
        html`${connectionBanner(s)}${announcementBanner(v, this.key, () => this.chat.announcementsRead(v))}${phaseBar(v)}${
          revealed && newReveal ? this.revealCallout(v) : nothing
        }`,
        tabs,
        this.tab.current,
        this.tab.go,
        'Team console',
        body,
      )}`;
  }

  // ---- briefing ------------------------------------------------------------------------------------------

  private briefTab(v: GameView) {
    const me = v.me!;
    const team = v.teams.find((t) => t.id === me.team)!;
    const b = me.privateBriefing;
    // Reports drawn each round, and the private intelligence handed out with injects, newest first.
    const withInjects = v.injects.flatMap((i) => {
      const text = i.kind === 'intel' && i.status === 'published' ? i.text : privateIntel(v, i);
      return text ? [{ round: i.round ?? 0, text }] : [];
    });
    const intel = [...me.intel, ...withInjects].sort((x, y) => y.round - x.round);
    return html`<div class="cols">
      <section class="card" aria-labelledby="situation-h">
        <h2 id="situation-h">Your situation <span class="badge secret">for your team only</span></h2>
        <p>${b.situation}</p>
        ${b.wants.length ? html`<h3>What you want</h3><ul>${b.wants.map((w) => html`<li>${w}</li>`)}</ul>` : nothing}
        ${b.redLines.length ? html`<h3>Red lines</h3><ul>${b.redLines.map((w) => html`<li>${w}</li>`)}</ul>` : nothing}
        <h3>Objectives</h3>
        <ul class="objectives">${me.objectives.map(
          (o) => html`<li>${o.text} <span class="muted">(${o.points} pts)</span></li>`,
        )}</ul>
        <h3>What everyone knows about you</h3>
        <p>${team.publicBriefing}</p>
      </section>
      <section class="card" aria-labelledby="facts-h">
        <h2 id="facts-h">Fact cards</h2>
        ${
          me.factCards.length
            ? html`<div class="facts">${me.factCards.map(
                (f) => html`<article class="fact">
          <h3>${f.title}</h3><p>${f.text}</p>
          <p class="source">Source: ${
            f.source.url
              ? html`<a href=${f.source.url} target="_blank" rel="noopener">${f.source.title}</a>`
              : f.source.title
          }</p>
        </article>`,
              )}</div>`
            : html`<p class="muted">No fact cards.</p>`
        }
        <h2>Your team</h2>
        <ul class="plain">${me.teammates
          // A bot or the White Cell that handed the seat on is no teammate who left: not listed once gone.
          .filter((p) => p.seated || !(p.bot || p.whiteCell))
          .map(
            (p) =>
              html`<li>${p.name} ${p.bot ? html`<span class="badge bot">bot</span>` : nothing}${
                p.whiteCell ? html`<span class="badge wc">White Cell</span>` : nothing
              } ${p.seated ? nothing : html`<span class="muted">(left)</span>`}</li>`,
          )}</ul>
        ${
          intel.length
            ? html`<h2>Intelligence</h2><ul class="intel">${intel.map(
                (r) => html`<li><strong>Round ${r.round}:</strong> ${r.text}</li>`,
              )}</ul>`
            : nothing
        }
      </section>
      <section class="card span-2" aria-labelledby="others-h">
        <h2 id="others-h">The other teams</h2>
        <div class="others">${v.teams
          .filter((t) => t.id !== me.team)
          .map(
            (t) => html`<div class="other" style="--team:${t.color}">
          <h3><span class="dot" aria-hidden="true"></span>${t.name}</h3><p>${t.publicBriefing}</p></div>`,
          )}</div>
      </section>
    </div>`;
  }

  // ---- board ---------------------------------------------------------------------------------------------

  private boardTab(v: GameView) {
    const inForce = dealsInForce(v);
    return html`<p class="hint">${phaseHint(v)}</p>
      ${teamsStrip(v)}
      ${meterGrid(v)}
      <div class="cols">
        <section class="card"><h2>Tiers of the ladder</h2>${tiersList(v)}</section>
        <section class="card"><h2>Deals in force</h2>${
          inForce.length ? inForce.map((d) => dealSummary(v, d)) : html`<p class="muted">None yet.</p>`
        }</section>
      </div>`;
  }

  // ---- record --------------------------------------------------------------------------------------------

  /** The round's reveal is out: one tap to it, a button as large as a finger. */
  private revealCallout(v: GameView) {
    const round = v.reveals[v.reveals.length - 1].round;
    return html`<aside class="callout reveal-callout" aria-label="Round revealed">
      <span class="reveal-text">Round ${round} has been revealed.</span> <button type="button" class="primary"
        @click=${() => this.showReveal(round)}>See what happened and why</button></aside>`;
  }

  /**
   * Opens the record at the round's reveal: the tab begins with any open feedback form and the round's injects, so
   * on a phone the reveal would sit screens below. The frame drawing the tab was asked for first, so it comes first.
   */
  private showReveal(round: number) {
    this.tab.go('record');
    requestAnimationFrame(() => {
      const heading = document.querySelector<HTMLElement>(`[data-reveal="${round}"]`);
      heading?.scrollIntoView({ block: 'start' });
      heading?.focus({ preventScroll: true });
    });
  }

  private recordTab(v: GameView) {
    return html`<div class="cols">
      <section class="card span-2" aria-labelledby="record-h"
        ><h2 id="record-h">What happened, round by round</h2>${recordTimeline(v)}</section>
    </div>`;
  }
}
