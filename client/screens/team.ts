// A team's console: briefing, the board, the action menu and the team's shared draft, deals, channels and the record.
import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { ActionView, GameView } from '../../shared/views.ts';
import { rerender } from '../lib/app.ts';
import type { Connection, LiveState } from '../lib/connection.ts';
import { pct, teamName } from '../lib/format.ts';
import { notify } from '../lib/notify.ts';
import type { Seat } from '../lib/seats.ts';
import { FormsPanel, RecordPanel } from '../parts/record.ts';
import { ChatPanel } from '../parts/chat.ts';
import {
  connectionBanner,
  dealSummary,
  dealsInForce,
  debriefView,
  effectsList,
  meterGrid,
  phaseBar,
  phaseHint,
  recordTimeline,
  teamChip,
  teamsStrip,
  tiersList,
} from '../parts/common.ts';
import { tabBar, type Tab } from '../parts/tabs.ts';

type TabId = 'brief' | 'board' | 'moves' | 'deals' | 'talk' | 'record' | 'debrief';
interface Draft {
  overt: string[];
  covert: string[];
  freeform: FF | null;
}
interface Obligation {
  team: string;
  action: string;
  byRound: number;
}
type FF = { text: string; intent: string; rationale: string; open: boolean };

export class TeamConsole {
  private tab: TabId;
  private chat: ChatPanel;
  private pending: Draft | null = null;
  private inflight = 0;
  private ff: FF = { text: '', intent: '', rationale: '', open: false };
  private ffDirty = false;
  private ffTimer: ReturnType<typeof setTimeout> | null = null;
  private dealTo: string[] = [];
  private dealRows: Obligation[] = [];
  private dealSecret = false;
  private dealSnapback = false;
  private dealNote = '';
  private dealBusy = false;
  private estimates: Record<string, number> = {};
  private seenReveals = -1;
  private busy = false;
  private recordPanel: RecordPanel;
  private formsPanel: FormsPanel;

  constructor(
    private conn: Connection,
    private seat: Seat,
    key: string,
  ) {
    this.chat = new ChatPanel(conn, seat.gameId, key, rerender);
    this.recordPanel = new RecordPanel(conn, seat, key);
    this.formsPanel = new FormsPanel(conn, seat);
    const fromHash = location.hash.slice(1) as TabId;
    this.tab = ['brief', 'board', 'moves', 'deals', 'talk', 'record', 'debrief'].includes(fromHash)
      ? fromHash
      : 'brief';
  }

  private go(tab: string) {
    this.tab = tab as TabId;
    history.replaceState(null, '', `#${tab}`);
    rerender();
  }

  view(s: LiveState): TemplateResult {
    const v = s.view!;
    const me = v.me!;
    const team = v.teams.find((t) => t.id === me.team)!;
    if (v.debrief && this.seenReveals !== -2) {
      this.tab = 'debrief';
      this.seenReveals = -2;
    }
    if (this.seenReveals === -1) this.seenReveals = v.reveals.length;
    if (this.tab === 'record' && this.seenReveals >= 0) this.seenReveals = v.reveals.length;
    const incoming = v.deals.filter(
      (d) =>
        d.status === 'proposed' && d.from !== me.team && d.parties.includes(me.team) && !d.acceptedBy.includes(me.team),
    );
    const unread = this.chat.totalUnread(v);
    const newReveal = this.seenReveals >= 0 && v.reveals.length > this.seenReveals;
    const tabs: Tab[] = [
      ...(v.debrief ? [{ id: 'debrief', label: 'Debrief' }] : []),
      { id: 'brief', label: 'Briefing' },
      { id: 'board', label: 'Board' },
      {
        id: 'moves',
        label: 'Moves',
        badge: me.estimating.some((l) => l.freeform && !l.freeform.ruled && l.freeform.estimates[me.team] === undefined)
          ? '!'
          : undefined,
        badgeLabel: 'an estimate is asked of you',
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
    switch (this.tab) {
      case 'debrief':
        body = html`${this.recordPanel.exports(v, { replay: true })}${this.formsPanel.view(v)}${debriefView(v)}`;
        break;
      case 'board':
        body = this.boardTab(v);
        break;
      case 'moves':
        body = this.movesTab(v);
        break;
      case 'deals':
        body = this.dealsTab(v);
        break;
      case 'talk':
        body = this.chat.view(v, true);
        break;
      case 'record':
        body = html`${this.formsPanel.view(v)}${this.recordTab(v)}`;
        break;
      default:
        body = this.briefTab(v);
    }
    return html`
      ${connectionBanner(s)}
      <header class="top team-top" style="--team:${team.color}">
        <div class="brand">Flywheel</div>
        <div class="who"><span class="dot" aria-hidden="true"></span><strong>${team.name}</strong> <span class="muted">· ${this.seat.name}</span></div>
      </header>
      ${phaseBar(v)}
      ${v.game.phase === 'lobby' || v.game.phase === 'briefing' || v.game.paused ? html`<p class="callout">${phaseHint(v)}</p>` : nothing}
      ${
        v.reveals.length && v.game.phase === 'reveal' && this.tab !== 'record'
          ? html`<div class="callout reveal-callout">
        Round ${v.reveals[v.reveals.length - 1].round} has been revealed. <button type="button" class="link" @click=${() => this.go('record')}>See what happened and why</button></div>`
          : nothing
      }
      ${tabBar(tabs, this.tab, (id) => this.go(id), 'Team console')}
      <main id="main" class="page wide" role="tabpanel" aria-label=${tabs.find((t) => t.id === this.tab)?.label ?? ''}>${body}</main>`;
  }

  // ---- briefing ------------------------------------------------------------------------------------------

  private briefTab(v: GameView) {
    const me = v.me!;
    const team = v.teams.find((t) => t.id === me.team)!;
    const b = me.privateBriefing;
    return html`<div class="cols">
      <section class="card" aria-labelledby="situation-h">
        <h2 id="situation-h">Your situation <span class="badge secret">for your team only</span></h2>
        <p>${b.situation}</p>
        ${b.wants.length ? html`<h3>What you want</h3><ul>${b.wants.map((w) => html`<li>${w}</li>`)}</ul>` : nothing}
        ${b.redLines.length ? html`<h3>Red lines</h3><ul>${b.redLines.map((w) => html`<li>${w}</li>`)}</ul>` : nothing}
        <h3>Objectives</h3>
        <ul class="objectives">${me.objectives.map((o) => html`<li>${o.text} <span class="muted">(${o.points} pts)</span></li>`)}</ul>
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
          <p class="source">Source: ${f.source.url ? html`<a href=${f.source.url} target="_blank" rel="noopener">${f.source.title}</a>` : f.source.title}</p>
        </article>`,
              )}</div>`
            : html`<p class="muted">No fact cards.</p>`
        }
        <h2>Your team</h2>
        <ul class="plain">${me.teammates.map((p) => html`<li>${p.name} ${p.seated ? nothing : html`<span class="muted">(left)</span>`}</li>`)}</ul>
        ${me.intel.length ? html`<h2>Intelligence</h2><ul class="intel">${[...me.intel].reverse().map((r) => html`<li><strong>Round ${r.round}:</strong> ${r.text}</li>`)}</ul>` : nothing}
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
        <section class="card"><h2>Deals in force</h2>${inForce.length ? inForce.map((d) => dealSummary(v, d)) : html`<p class="muted">None yet.</p>`}</section>
      </div>`;
  }

  // ---- moves ---------------------------------------------------------------------------------------------

  private draft(v: GameView): Draft {
    const d = v.me!.draft;
    return this.pending ?? { overt: d.overt, covert: d.covert, freeform: d.freeform };
  }

  private canDraft(v: GameView) {
    return !v.game.paused && (v.game.phase === 'negotiation' || v.game.phase === 'submission') && !v.me!.draft.locked;
  }

  private async setDraft(next: Draft) {
    this.pending = next;
    this.inflight++;
    rerender();
    const res = await this.conn.send({
      type: 'draft.set',
      overt: next.overt,
      covert: next.covert,
      freeform: next.freeform,
    });
    this.inflight--;
    if (!res.ok) notify(res.error.message, 'error');
    if (this.inflight === 0) this.pending = null;
    rerender();
  }

  private toggle(v: GameView, a: ActionView) {
    const d = this.draft(v);
    const slot = a.covert ? 'covert' : 'overt';
    const has = d[slot].includes(a.id);
    void this.setDraft({ ...d, [slot]: has ? d[slot].filter((x) => x !== a.id) : [...d[slot], a.id] });
  }

  private ffInput<K extends keyof FF>(field: K, value: FF[K], v: GameView) {
    if (!this.ffDirty)
      this.ff = { ...(this.draft(v).freeform ?? { text: '', intent: '', rationale: '', open: false }) };
    this.ff = { ...this.ff, [field]: value };
    this.ffDirty = true;
    if (this.ffTimer) clearTimeout(this.ffTimer);
    this.ffTimer = setTimeout(() => this.ffSave(v), 900);
    rerender();
  }

  private ffSave(v: GameView) {
    if (this.ffTimer) {
      clearTimeout(this.ffTimer);
      this.ffTimer = null;
    }
    if (!this.ffDirty) return;
    const f = {
      text: this.ff.text.trim(),
      intent: this.ff.intent.trim(),
      rationale: this.ff.rationale.trim(),
      open: this.ff.open,
    };
    const empty = !f.text && !f.intent && !f.rationale;
    if (!empty && (!f.text || !f.intent || !f.rationale)) return; // incomplete: stays here until all three are written
    this.ffDirty = false;
    void this.setDraft({ ...this.draft(v), freeform: empty ? null : f });
  }

  private async lock(locking: boolean) {
    this.busy = true;
    rerender();
    const res = await this.conn.send({ type: locking ? 'draft.lock' : 'draft.unlock' });
    this.busy = false;
    if (!res.ok) notify(res.error.message, 'error');
    else
      notify(
        locking
          ? 'Your moves are locked. The other teams see only that you have submitted.'
          : 'Unlocked: your team can change its moves again.',
      );
    rerender();
  }

  private movesTab(v: GameView) {
    const me = v.me!;
    const d = this.draft(v);
    const server = me.draft;
    const canDraft = this.canDraft(v);
    const mine = v.actions.filter((a) => a.team === me.team);
    const byId = new Map(v.actions.map((a) => [a.id, a]));
    const phase = v.game.phase;
    const ff = this.ffDirty ? this.ff : (d.freeform ?? { text: '', intent: '', rationale: '', open: false });
    const ffIncomplete =
      this.ffDirty &&
      [ff.text, ff.intent, ff.rationale].some((x) => !x.trim()) &&
      [ff.text, ff.intent, ff.rationale].some((x) => x.trim());
    const chosen = (ids: string[], covert: boolean) =>
      ids.length
        ? html`<ul class="chosen">${ids.map(
            (id) => html`<li><span>${byId.get(id)?.name ?? id}</span>
          ${
            canDraft
              ? html`<button type="button" class="small" aria-label="Remove ${byId.get(id)?.name ?? id}" @click=${() => {
                  const a = byId.get(id);
                  if (a) this.toggle(v, a);
                }}>Remove</button>`
              : nothing
          }</li>`,
          )}</ul>`
        : html`<p class="muted">${covert ? 'No covert move.' : 'None chosen yet.'}</p>`;

    return html`<div class="moves">
      <aside class="card draft ${server.locked ? 'locked' : ''}" aria-labelledby="draft-h">
        <h2 id="draft-h">Our moves this round</h2>
        <p class="help">Everything here is shared live with your teammates, and hidden from other teams until the reveal.</p>
        <h3>Overt <span class="muted small">(${d.overt.length} of ${v.game.slots.overt})</span></h3>${chosen(d.overt, false)}
        <h3>Covert <span class="muted small">(${d.covert.length} of ${v.game.slots.covert})</span></h3>${chosen(d.covert, true)}
        <h3>Free-form</h3>${d.freeform ? html`<p>${d.freeform.text}</p>` : html`<p class="muted">None.</p>`}
        <p class="muted small" aria-live="polite">${this.inflight ? 'Saving…' : server.updatedBy ? `Last change by ${server.updatedBy}.` : ''}</p>
        ${
          server.locked
            ? html`<p class="locked-note" role="status"><strong>Locked.</strong> The other teams see that you have submitted.</p>
              ${phase === 'submission' ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.lock(false)}>Unlock to change</button>` : nothing}`
            : phase === 'submission'
              ? html`<button type="button" class="primary big" ?disabled=${this.busy || this.inflight > 0 || v.game.paused !== null} @click=${() => this.lock(true)}>Lock our moves</button>
                <p class="help">When every team has locked, the round goes to adjudication. Unlocked drafts are taken as they stand when the clock runs out.</p>`
              : html`<p class="help">${phase === 'negotiation' ? 'You can draft now; locking opens in the submission phase.' : 'Moves are drafted during negotiation and submission.'}</p>`
        }
      </aside>

      <div class="menu">
        ${me.estimating.length ? this.estimatingView(v) : nothing}
        ${this.menuNotes(v)}
        ${v.tiers.map((t) => {
          const actions = mine.filter((a) => a.tier === t.tier).sort((a, b) => Number(a.covert) - Number(b.covert));
          if (!actions.length) return nothing;
          const reason = actions.find((a) => a.lockReason)?.lockReason;
          return html`<section class="tier ${t.open ? 'open' : 'closed'}" aria-labelledby="tier-${t.tier}">
            <h2 id="tier-${t.tier}">Tier ${t.tier}: ${t.name} ${t.open ? html`<span class="badge ok">open</span>` : html`<span class="badge">closed</span>`}</h2>
            ${!t.open && reason ? html`<p class="lock-reason">${reason}</p>` : nothing}
            <div class="actions">${actions.map((a) => this.actionCard(v, a, d, canDraft))}</div>
          </section>`;
        })}
        <section class="card freeform" aria-labelledby="ff-h">
          <h2 id="ff-h">A move of your own (free-form)</h2>
          <p class="help">Something the menu lacks. The White Cell sets its effects and its chance of success; the dice decide, and everything goes on the record.</p>
          <div class="field"><label for="ff-text">What you do</label>
            <textarea id="ff-text" rows="2" maxlength="1000" ?disabled=${!canDraft} .value=${live(ff.text)} @input=${(e: Event) => this.ffInput('text', (e.target as HTMLTextAreaElement).value, v)} @blur=${() => this.ffSave(v)}></textarea></div>
          <div class="field"><label for="ff-intent">The result you want</label>
            <textarea id="ff-intent" rows="2" maxlength="500" ?disabled=${!canDraft} .value=${live(ff.intent)} @input=${(e: Event) => this.ffInput('intent', (e.target as HTMLTextAreaElement).value, v)} @blur=${() => this.ffSave(v)}></textarea></div>
          <div class="field"><label for="ff-why">Why it should work</label>
            <textarea id="ff-why" rows="3" maxlength="1000" ?disabled=${!canDraft} .value=${live(ff.rationale)} @input=${(e: Event) => this.ffInput('rationale', (e.target as HTMLTextAreaElement).value, v)} @blur=${() => this.ffSave(v)}></textarea></div>
          <label class="check"><input type="checkbox" ?disabled=${!canDraft} .checked=${live(ff.open)}
            @change=${(e: Event) => {
              this.ffInput('open', (e.target as HTMLInputElement).checked, v);
              this.ffSave(v);
            }}>
            Argue it in the open: at adjudication every team reads it and may estimate its chance (matrix-game style)</label>
          ${ffIncomplete ? html`<p class="help warn">Fill in all three boxes to add it to your moves.</p>` : nothing}
          ${
            d.freeform && canDraft
              ? html`<button type="button" class="small" @click=${() => {
                  this.ffDirty = false;
                  void this.setDraft({ ...this.draft(v), freeform: null });
                }}>Remove the free-form move</button>`
              : nothing
          }
        </section>
      </div>
    </div>`;
  }

  /** The scenario's note on where its ladder comes from, next to the menu; its other notes fold away. */
  private menuNotes(v: GameView) {
    const notes = v.game.notes;
    if (!notes.length) return nothing;
    const ladder = notes.filter((n) => /figure 1|precedent|reconstruct/i.test(n));
    const shown = ladder.length ? ladder : notes.slice(0, 1);
    const rest = notes.filter((n) => !shown.includes(n));
    return html`<aside class="notes" aria-label="Where these moves come from">
      ${shown.map((n) => html`<p><strong>About this menu:</strong> ${n}</p>`)}
      ${rest.length ? html`<details><summary>More notes on this scenario</summary>${rest.map((n) => html`<p>${n}</p>`)}</details>` : nothing}
    </aside>`;
  }

  private actionCard(v: GameView, a: ActionView, d: Draft, canDraft: boolean) {
    const picked = (a.covert ? d.covert : d.overt).includes(a.id);
    return html`<article class="action ${picked ? 'picked' : ''} ${a.covert ? 'covert' : ''}" data-action=${a.id} aria-label=${a.name}>
      <header><h3>${a.name}</h3>
        <div class="badges">${a.covert ? html`<span class="badge secret">covert</span>` : nothing}${a.relief ? html`<span class="badge">relief</span>` : nothing}</div></header>
      <p>${a.summary}</p>
      ${effectsList(v, a.effects)}
      ${a.exposure ? html`<p class="muted small">Risk of exposure: ${pct(a.exposure.chance)} at each reveal for ${a.exposure.window} round${a.exposure.window > 1 ? 's' : ''}${a.exposure.cheating ? '; exposure counts as cheating and fires snapback' : ''}.</p>` : nothing}
      ${a.precedent ? html`<p class="precedent">Precedent: ${a.precedent}</p>` : nothing}
      <button type="button" class=${picked ? '' : 'primary'} aria-pressed=${picked ? 'true' : 'false'} ?disabled=${!canDraft || !a.open}
        @click=${() => this.toggle(v, a)}>${picked ? 'Remove from our moves' : a.covert ? 'Add as our covert move' : 'Add to our moves'}</button>
    </article>`;
  }

  private estimatingView(v: GameView) {
    const me = v.me!;
    return html`<section class="card estimating" aria-labelledby="est-h">
      <h2 id="est-h">Free-form moves to weigh</h2>
      <p class="help">The White Cell may ask each team how likely it thinks these moves are to work before it rules.</p>
      ${me.estimating.map((l) => {
        const mineEst = l.freeform?.estimates[me.team];
        const val = this.estimates[l.id] ?? (mineEst !== undefined ? Math.round(mineEst * 100) : 50);
        return html`<article class="fact">
          <p>${teamChip(v, l.team)} <strong>${l.freeform?.text}</strong></p>
          <p class="muted">Aim: ${l.freeform?.intent}</p>
          ${
            l.freeform?.ruled
              ? html`<p>The White Cell has ruled.</p>`
              : html`<form class="row" @submit=${async (e: Event) => {
                  e.preventDefault();
                  const res = await this.conn.send({ type: 'freeform.estimate', lineId: l.id, probability: val / 100 });
                  notify(res.ok ? 'Estimate sent.' : res.error.message, res.ok ? 'info' : 'error');
                }}>
            <label for="est-${l.id}">Chance it works (%)</label>
            <input id="est-${l.id}" type="number" min="0" max="100" .value=${live(String(val))} @input=${(e: Event) => {
              this.estimates[l.id] = Number((e.target as HTMLInputElement).value);
            }} />
            <button type="submit">Send estimate</button>
            ${mineEst !== undefined ? html`<span class="muted">Sent: ${pct(mineEst)}</span>` : nothing}
          </form>`
          }
        </article>`;
      })}
    </section>`;
  }

  // ---- deals ---------------------------------------------------------------------------------------------

  private async dealAct(type: 'deal.accept' | 'deal.reject' | 'deal.withdraw', dealId: string) {
    const res = await this.conn.send({ type, dealId });
    if (!res.ok) notify(res.error.message, 'error');
    else
      notify(type === 'deal.accept' ? 'Deal accepted.' : type === 'deal.reject' ? 'Deal rejected.' : 'Deal withdrawn.');
  }

  private dealsTab(v: GameView) {
    const me = v.me!.team;
    const negotiating = !v.game.paused && (v.game.phase === 'negotiation' || v.game.phase === 'submission');
    const incoming = v.deals.filter(
      (d) => d.status === 'proposed' && d.from !== me && d.parties.includes(me) && !d.acceptedBy.includes(me),
    );
    const waiting = v.deals.filter(
      (d) => d.status === 'proposed' && (d.from === me || d.acceptedBy.includes(me)) && !incoming.includes(d),
    );
    const rest = v.deals.filter((d) => d.status !== 'proposed');
    return html`<div class="deals-layout">
      <div>
        <section class="card" aria-labelledby="inbox-h">
          <h2 id="inbox-h">Waiting for your answer</h2>
          ${
            incoming.length
              ? incoming.map((d) =>
                  dealSummary(
                    v,
                    d,
                    html`<div class="row">
            <button type="button" class="primary" ?disabled=${!negotiating} @click=${() => this.dealAct('deal.accept', d.id)}>Accept</button>
            <button type="button" ?disabled=${!negotiating} @click=${() => this.dealAct('deal.reject', d.id)}>Reject</button></div>`,
                  ),
                )
              : html`<p class="muted">No proposals waiting.</p>`
          }
        </section>
        <section class="card" aria-labelledby="out-h">
          <h2 id="out-h">Waiting for the others</h2>
          ${
            waiting.length
              ? waiting.map((d) =>
                  dealSummary(
                    v,
                    d,
                    d.from === me
                      ? html`<div class="row">
            <button type="button" ?disabled=${!negotiating} @click=${() => this.dealAct('deal.withdraw', d.id)}>Withdraw</button></div>`
                      : nothing,
                  ),
                )
              : html`<p class="muted">None.</p>`
          }
        </section>
        <section class="card" aria-labelledby="deals-h">
          <h2 id="deals-h">Deals</h2>
          <p class="help">Once a deal is in force, each reveal marks its obligations done, pending or broken. A matched pair of moves keeps the wheel turning.</p>
          ${rest.length ? [...rest].reverse().map((d) => dealSummary(v, d)) : html`<p class="muted">None yet.</p>`}
        </section>
      </div>
      ${this.proposeForm(v, negotiating)}
    </div>`;
  }

  private proposeForm(v: GameView, negotiating: boolean) {
    const me = v.me!.team;
    const parties = [me, ...this.dealTo];
    const minRound = Math.max(1, v.game.round);
    if (!this.dealRows.length) this.dealRows = [{ team: me, action: '', byRound: minRound }];
    const rows = this.dealRows.map((r) => (parties.includes(r.team) ? r : { ...r, team: me, action: '' }));
    this.dealRows = rows;
    const menu = (team: string) =>
      v.actions.filter((a) => a.team === team && !a.covert).sort((a, b) => a.tier - b.tier);
    const relief = rows.some((r) => v.actions.find((a) => a.id === r.action)?.relief);
    const update = (i: number, patch: Partial<Obligation>) => {
      this.dealRows = this.dealRows.map((r, j) => (i === j ? { ...r, ...patch } : r));
      rerender();
    };
    const submit = async (e: Event) => {
      e.preventDefault();
      if (!this.dealTo.length) return notify('Choose at least one team to propose to.', 'error');
      if (rows.some((r) => !r.action))
        return notify('Pick an action for every obligation (or remove the empty row).', 'error');
      this.dealBusy = true;
      rerender();
      const res = await this.conn.send({
        type: 'deal.propose',
        to: this.dealTo,
        obligations: rows,
        secret: this.dealSecret,
        snapback: this.dealSnapback && relief,
        note: this.dealNote.trim(),
      });
      this.dealBusy = false;
      if (!res.ok) notify(res.error.message, 'error');
      else {
        notify('Deal proposed. It waits for the other side’s answer.');
        this.dealTo = [];
        this.dealRows = [];
        this.dealSecret = false;
        this.dealSnapback = false;
        this.dealNote = '';
      }
      rerender();
    };
    return html`<form class="card form propose" aria-labelledby="propose-h" @submit=${submit}>
      <h2 id="propose-h">Propose a deal</h2>
      <fieldset class="field"><legend>With</legend>
        <div class="row wrap">${v.teams
          .filter((t) => t.id !== me)
          .map(
            (t) => html`<label class="check"><input type="checkbox" name="deal-to" value=${t.id}
          .checked=${live(this.dealTo.includes(t.id))} @change=${(e: Event) => {
            const on = (e.target as HTMLInputElement).checked;
            this.dealTo = on ? [...this.dealTo, t.id] : this.dealTo.filter((x) => x !== t.id);
            if (on && !this.dealRows.some((r) => r.team === t.id))
              this.dealRows = [...this.dealRows, { team: t.id, action: '', byRound: minRound }];
            rerender();
          }} /> ${t.name}</label>`,
          )}</div>
      </fieldset>
      <fieldset class="field"><legend>Who does what, by when</legend>
        ${rows.map(
          (r, i) => html`<div class="obligation" data-row=${i}>
          <div class="field inline"><label for="ob-team-${i}">Team</label>
            <select id="ob-team-${i}" @change=${(e: Event) => update(i, { team: (e.target as HTMLSelectElement).value, action: '' })}>
              ${parties.map((p) => html`<option value=${p} ?selected=${p === r.team}>${teamName(v, p, true)}</option>`)}</select></div>
          <div class="field inline grow"><label for="ob-action-${i}">Action</label>
            <select id="ob-action-${i}" @change=${(e: Event) => update(i, { action: (e.target as HTMLSelectElement).value })}>
              <option value="" ?selected=${!r.action}>Choose…</option>
              ${menu(r.team).map((a) => html`<option value=${a.id} ?selected=${a.id === r.action}>Tier ${a.tier}: ${a.name}${a.open ? '' : ' (tier closed)'}${a.relief ? ' (relief)' : ''}</option>`)}
            </select></div>
          <div class="field inline"><label for="ob-round-${i}">By round</label>
            <input id="ob-round-${i}" type="number" min=${minRound} max=${v.game.rounds} .value=${live(String(r.byRound))}
              @input=${(e: Event) => {
                const n = Number((e.target as HTMLInputElement).value);
                this.dealRows[i] = { ...this.dealRows[i], byRound: Number.isFinite(n) ? n : minRound };
              }} /></div>
          ${
            rows.length > 1
              ? html`<button type="button" class="small" aria-label="Remove obligation ${i + 1}" @click=${() => {
                  this.dealRows = this.dealRows.filter((_, j) => j !== i);
                  rerender();
                }}>Remove</button>`
              : nothing
          }
        </div>`,
        )}
        <button type="button" class="small" ?disabled=${rows.length >= 8} @click=${() => {
          this.dealRows = [...this.dealRows, { team: me, action: '', byRound: minRound }];
          rerender();
        }}>Add an obligation</button>
      </fieldset>
      <div class="field">
        <label class="check"><input type="checkbox" .checked=${live(this.dealSecret)} @change=${(e: Event) => {
          this.dealSecret = (e.target as HTMLInputElement).checked;
        }} /> Secret deal</label>
        <p class="help">Only its parties and the White Cell will know of it.</p>
        <label class="check"><input type="checkbox" ?disabled=${!relief} .checked=${live(this.dealSnapback && relief)} @change=${(
          e: Event,
        ) => {
          this.dealSnapback = (e.target as HTMLInputElement).checked;
          rerender();
        }} /> Arm snapback</label>
        <p class="help">${relief ? 'If the deal breaks or cheating is exposed, the relief in it is reversed at the next reveal. It earns less trust.' : 'Only for deals that include a relief action.'}</p>
      </div>
      <div class="field"><label for="deal-note">Note to the other side <span class="muted">(optional)</span></label>
        <textarea id="deal-note" rows="2" maxlength="1000" .value=${live(this.dealNote)} @input=${(e: Event) => {
          this.dealNote = (e.target as HTMLTextAreaElement).value;
        }}></textarea></div>
      <button type="submit" class="primary" ?disabled=${!negotiating || this.dealBusy}>Propose</button>
      ${negotiating ? nothing : html`<p class="help">Deals are made during negotiation and submission.</p>`}
    </form>`;
  }

  // ---- record --------------------------------------------------------------------------------------------

  private recordTab(v: GameView) {
    return html`<div class="cols">
      <section class="card span-2" aria-labelledby="record-h"><h2 id="record-h">What happened, round by round</h2>${recordTimeline(v)}</section>
    </div>`;
  }
}
