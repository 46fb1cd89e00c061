// The team's Deals tab: proposals waiting for this team's answer, its own waiting for others, every other deal,
// and the form to propose one (who does what by which round, secret or not, snapback on relief).
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { GameView } from '../../../shared/views.ts';
import { rerender } from '../../lib/app.ts';
import type { Connection } from '../../lib/connection.ts';
import { teamName } from '../../lib/format.ts';
import { notify } from '../../lib/notify.ts';
import { recall, remember } from '../../lib/tab-memory.ts';
import { isOverPhase } from '../../../shared/phases.ts';
import { dealSummary } from '../../parts/common.ts';
import { Sender } from '../../parts/console.ts';

interface Obligation {
  team: string;
  action: string;
  byRound: number;
}

/** An action as the deal form lists it: its name, and whether its tier is closed or it is a relief. */
const actionLabel = (a: GameView['actions'][number]) =>
  `${a.name}${a.open ? '' : ' (tier closed)'}${a.relief ? ' (relief)' : ''}`;

/** Proposals that wait for this team's answer. */
export const incomingDeals = (v: GameView, me: string) =>
  v.deals.filter(
    (d) => d.status === 'proposed' && d.from !== me && d.parties.includes(me) && !d.acceptedBy.includes(me),
  );

interface KeptForm {
  to: string[];
  rows: Obligation[];
  secret: boolean;
  snapback: boolean;
  note: string;
  countering: string | null;
}

export class DealsTab {
  private dealTo: string[] = [];
  private dealRows: Obligation[] = [];
  private dealSecret = false;
  private dealSnapback = false;
  private dealNote = '';
  /** The round the rows were last drawn in: when it moves on, rows due by a past round are moved up. */
  private rowsRound: number | null = null;
  private answers: Sender;
  private askingDeal: string | null = null;
  /** The deal this form counters, if any. */
  private countering: string | null = null;
  private proposer: Sender;

  constructor(
    conn: Connection,
    private keepKey = '',
  ) {
    this.answers = new Sender(conn);
    this.proposer = new Sender(conn);
    // A refresh keeps a half-written proposal or counter-proposal (this tab only), as the chat keeps its lines.
    const kept = keepKey ? recall<KeptForm>(keepKey) : null;
    if (kept) {
      this.dealTo = kept.to;
      this.dealRows = kept.rows;
      this.dealSecret = kept.secret;
      this.dealSnapback = kept.snapback;
      this.dealNote = kept.note;
      this.countering = kept.countering;
    }
  }

  /** Writes the form as it stands: on every drawing, and on the edits that do not redraw (typing, ticking). */
  private keep() {
    if (!this.keepKey) return;
    const form: KeptForm = {
      to: this.dealTo,
      rows: this.dealRows,
      secret: this.dealSecret,
      snapback: this.dealSnapback,
      note: this.dealNote,
      countering: this.countering,
    };
    remember(this.keepKey, form);
  }

  private dealAct(type: 'deal.accept' | 'deal.reject' | 'deal.withdraw', dealId: string) {
    const done = {
      'deal.accept': 'Deal accepted.',
      'deal.reject': 'Deal rejected.',
      'deal.withdraw': 'Deal withdrawn.',
    };
    const ask = {
      'deal.accept': ['Accept this deal? Your team is then bound by it.', 'Yes, accept'],
      'deal.reject': ['Reject this deal? It cannot be reopened.', 'Yes, reject'],
      'deal.withdraw': ['Withdraw this proposal? It cannot be reopened.', 'Yes, withdraw'],
    }[type];
    this.askingDeal = dealId;
    this.answers.ask(ask[0], ask[1], { type, dealId }, done[type]);
  }

  /**
   * A counter-proposal: the form starts from the deal on the table (same parties, same obligations) to change;
   * sending it proposes the new deal and then rejects the old one, so the other side sees one answer, not two.
   */
  private counter(v: GameView, d: GameView['deals'][number]) {
    const me = v.me!.team;
    this.countering = d.id;
    this.dealTo = d.parties.filter((p) => p !== me);
    this.dealRows = d.obligations.map((o) => ({ team: o.team, action: o.action, byRound: o.byRound }));
    this.dealSecret = d.secret;
    this.dealSnapback = d.snapback;
    this.dealNote = '';
    rerender();
    requestAnimationFrame(() => document.getElementById('propose-h')?.scrollIntoView({ block: 'start' }));
  }

  /** The question about a deal shows under that deal's buttons. */
  private askAbout(dealId: string) {
    return this.answers.asking && this.askingDeal === dealId ? this.answers.askView() : nothing;
  }

  view(v: GameView) {
    // A kept counter-proposal whose deal has since been answered counters nothing: the form stays, as a proposal.
    if (this.countering && !v.deals.some((d) => d.id === this.countering && d.status === 'proposed'))
      this.countering = null;
    this.keep();
    const me = v.me!.team;
    const negotiating = !v.game.paused && (v.game.phase === 'negotiation' || v.game.phase === 'submission');
    const incoming = incomingDeals(v, me);
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
            <button type="button" class="primary" ?disabled=${!negotiating}
              @click=${() => this.dealAct('deal.accept', d.id)}>Accept</button>
            <button type="button" ?disabled=${!negotiating}
              @click=${() => this.dealAct('deal.reject', d.id)}>Reject</button>
            <button type="button" ?disabled=${!negotiating} @click=${() => this.counter(v, d)}>Counter…</button></div>
            ${this.askAbout(d.id)}`,
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
            <button type="button" ?disabled=${!negotiating}
              @click=${() => this.dealAct('deal.withdraw', d.id)}>Withdraw</button></div>
            ${this.askAbout(d.id)}`
                      : nothing,
                  ),
                )
              : html`<p class="muted">None.</p>`
          }
        </section>
        <section class="card" aria-labelledby="deals-h">
          <h2 id="deals-h">Deals</h2>
          <p class="help">Once a deal is in force, each reveal marks its obligations done, pending or broken.
            A matched pair of moves keeps the wheel turning.</p>
          ${rest.length ? [...rest].reverse().map((d) => dealSummary(v, d)) : html`<p class="muted">None yet.</p>`}
        </section>
      </div>
      ${
        // Once the game is over no deal can be made: the form would only look as if one could.
        isOverPhase(v.game.phase) ? nothing : this.proposeForm(v, negotiating)
      }
    </div>`;
  }

  private proposeForm(v: GameView, negotiating: boolean) {
    const me = v.me!.team;
    const parties = [me, ...this.dealTo];
    const minRound = Math.max(1, v.game.round);
    if (!this.dealRows.length) this.dealRows = [{ team: me, action: '', byRound: minRound }];
    const due = (n: number) => Math.min(v.game.rounds, Math.max(minRound, n));
    // A row prepared in an earlier round may name a round now past: when the round moves on, it moves up to the
    // first round it can name. Only then, never while someone is typing in the field.
    const moved = this.rowsRound !== v.game.round;
    this.rowsRound = v.game.round;
    const rows = this.dealRows.map((r) => {
      const byRound = moved ? due(r.byRound) : r.byRound;
      return parties.includes(r.team) ? { ...r, byRound } : { team: me, action: '', byRound };
    });
    this.dealRows = rows;
    const menu = (team: string) =>
      v.actions.filter((a) => a.team === team && !a.covert).sort((a, b) => a.tier - b.tier);
    // Grouped by tier, so each option is the action's name alone: a phone's list is as narrow as the screen.
    const tiers = (team: string) => {
      const byTier = new Map<number, GameView['actions']>();
      for (const a of menu(team)) byTier.set(a.tier, [...(byTier.get(a.tier) ?? []), a]);
      return [...byTier];
    };
    // The closed list cuts a long name at a phone's width: the chosen action is named whole under the row.
    const chosenName = (id: string, i: number) => {
      const a = v.actions.find((x) => x.id === id);
      return a ? html`<p class="chosen-action" id="ob-chosen-${i}">Tier ${a.tier}: ${actionLabel(a)}</p>` : nothing;
    };
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
      if (rows.some((r) => !Number.isInteger(r.byRound) || r.byRound !== due(r.byRound)))
        return notify(`Each obligation is due by a round from ${minRound} to ${v.game.rounds}.`, 'error');
      const ok = await this.proposer.send(
        {
          type: 'deal.propose',
          to: this.dealTo,
          obligations: rows,
          secret: this.dealSecret,
          snapback: this.dealSnapback && relief,
          note: this.dealNote.trim(),
        },
        this.countering
          ? 'Counter-proposal sent; the original is rejected.'
          : 'Deal proposed. It waits for the other side’s answer.',
      );
      if (ok && this.countering) {
        await this.answers.send({ type: 'deal.reject', dealId: this.countering });
        this.countering = null;
      }
      if (ok) {
        this.dealTo = [];
        this.dealRows = [];
        this.dealSecret = false;
        this.dealSnapback = false;
        this.dealNote = '';
      }
      rerender();
    };
    // novalidate: the checks above say what is wrong in words the page shows, not in a bubble that vanishes.
    return html`<form class="card form propose" aria-labelledby="propose-h" novalidate @submit=${submit}>
      <h2 id="propose-h">${this.countering ? 'Counter-proposal' : 'Propose a deal'}</h2>
      ${
        // Said first, where it is read before the fields: a proposal can be prepared now and sent when they open.
        negotiating
          ? nothing
          : html`<p class="callout">Deals are made during negotiation and submission: you can prepare one now and
              send it then.</p>`
      }
      ${
        this.countering
          ? html`<p class="help">Change what you would accept. Sending it rejects the deal you are countering.
            <button type="button" class="link" @click=${() => {
              this.countering = null;
              this.dealTo = [];
              this.dealRows = [];
              rerender();
            }}>Cancel the counter-proposal</button></p>`
          : nothing
      }
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
            <select id="ob-team-${i}"
              @change=${(e: Event) => update(i, { team: (e.target as HTMLSelectElement).value, action: '' })}>
              ${parties.map(
                (p) => html`<option value=${p} ?selected=${p === r.team}>${teamName(v, p, true)}</option>`,
              )}</select></div>
          <div class="field inline grow"><label for="ob-action-${i}">Action</label>
            <select id="ob-action-${i}" aria-describedby=${r.action ? `ob-chosen-${i}` : nothing}
              @change=${(e: Event) => update(i, { action: (e.target as HTMLSelectElement).value })}>
              <option value="" ?selected=${!r.action}>Choose…</option>
              ${tiers(r.team).map(
                ([tier, actions]) =>
                  html`<optgroup label="Tier ${tier}">${actions.map(
                    (a) => html`<option value=${a.id} ?selected=${a.id === r.action}>${actionLabel(a)}</option>`,
                  )}</optgroup>`,
              )}
            </select></div>
          <div class="field inline"><label for="ob-round-${i}">By round</label>
            <input id="ob-round-${i}" type="number" min=${minRound} max=${v.game.rounds}
              .value=${live(String(r.byRound))}
              @input=${(e: Event) => {
                const n = Number((e.target as HTMLInputElement).value);
                this.dealRows[i] = { ...this.dealRows[i], byRound: Number.isFinite(n) ? n : minRound };
                this.keep();
              }} /></div>
          ${
            rows.length > 1
              ? html`<button type="button" class="small" aria-label="Remove obligation ${i + 1}" @click=${() => {
                  this.dealRows = this.dealRows.filter((_, j) => j !== i);
                  rerender();
                }}>Remove</button>`
              : nothing
          }
          ${chosenName(r.action, i)}
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
          this.keep();
        }} /> Secret deal</label>
        <p class="help">Only its parties and the White Cell will know of it. A pair it makes earns its momentum and
          trust, but opens no tier and spares no friction: those count what everyone can see.</p>
        <label class="check"><input type="checkbox" ?disabled=${!relief} .checked=${live(this.dealSnapback && relief)}
          @change=${(e: Event) => {
            this.dealSnapback = (e.target as HTMLInputElement).checked;
            rerender();
          }} /> Arm snapback</label>
        <p class="help">${
          relief
            ? 'If the deal breaks or cheating is exposed, the relief in it is reversed at the next reveal. ' +
              'It earns less trust.'
            : 'Only for deals that include a relief action.'
        }</p>
      </div>
      <div class="field"><label for="deal-note">Note to the other side <span class="muted">(optional)</span></label>
        <textarea dir="auto" id="deal-note" rows="2" maxlength="1000" .value=${live(this.dealNote)} @input=${(
          e: Event,
        ) => {
          this.dealNote = (e.target as HTMLTextAreaElement).value;
          this.keep();
        }}></textarea></div>
      <button type="submit" class="primary" ?disabled=${!negotiating || this.proposer.busy}>${
        this.countering ? 'Send the counter-proposal' : 'Propose'
      }</button>
    </form>`;
  }
}
