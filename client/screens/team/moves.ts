// The team's Moves tab: the shared draft (chosen moves and a free-form move of its own), the action menu by tier,
// locking at submission, and estimates for other teams' free-form moves argued in the open.
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { ActionView, GameView } from '../../../shared/views.ts';
import { rerender } from '../../lib/app.ts';
import type { Connection } from '../../lib/connection.ts';
import { draftIsEmpty, pct, underlyingPhase } from '../../lib/format.ts';
import { notify } from '../../lib/notify.ts';
import { recall, remember } from '../../lib/tab-memory.ts';
import { effectsList, teamChip } from '../../parts/common.ts';
import { Sender } from '../../parts/console.ts';

interface Draft {
  overt: string[];
  covert: string[];
  freeform: FF | null;
}
type FF = { text: string; intent: string; rationale: string; open: boolean };
/** A free-form move being written and not yet sent (it goes once all three boxes hold text), and its round. */
type KeptFF = { round: number; ff: FF };

export class MovesTab {
  private pending: Draft | null = null;
  private inflight = 0;
  private ff: FF = { text: '', intent: '', rationale: '', open: false };
  private ffDirty = false;
  private ffTimer: ReturnType<typeof setTimeout> | null = null;
  /** What the team has typed in each estimate box, or "" once cleared. */
  private estimates: Record<string, number | ''> = {};
  private sender: Sender;
  private estimator: Sender;

  /** A free-form move half written before a refresh, put back in its boxes by the first drawing of its round. */
  private keptFF: KeptFF | null;

  constructor(
    private conn: Connection,
    private keepKey = '',
  ) {
    this.sender = new Sender(conn);
    this.estimator = new Sender(conn);
    // A refresh (or a phone that drops the tab while asleep) keeps a free-form move half written, as the chat keeps
    // a half-typed line: it reaches the shared draft only once complete, so until then this tab alone holds it.
    this.keptFF = keepKey ? recall<KeptFF>(keepKey) : null;
  }

  /** Keeps the free-form boxes while they hold what the shared draft does not; forgets them once sent or cleared. */
  private keepFF(v: GameView) {
    if (this.keepKey) remember(this.keepKey, this.ffDirty ? { round: v.game.round, ff: this.ff } : null);
  }

  /**
   * Puts back the half-written free-form move kept before a refresh, if it is of this round and its drafting phases
   * (paused or not: a pause must not cost it).
   */
  private restoreFF(v: GameView) {
    const kept = this.keptFF;
    if (!kept) return;
    this.keptFF = null;
    const drafting = ['negotiation', 'submission'].includes(underlyingPhase(v));
    if (kept.round === v.game.round && drafting && !this.ffDirty) {
      this.ff = kept.ff;
      this.ffDirty = true;
    } else this.keepFF(v);
  }

  private draft(v: GameView): Draft {
    const d = v.me!.draft;
    return this.pending ?? { overt: d.overt, covert: d.covert, freeform: d.freeform };
  }

  private canDraft(v: GameView) {
    return !v.game.paused && (v.game.phase === 'negotiation' || v.game.phase === 'submission') && !v.me!.draft.locked;
  }

  private async setDraft(next: Draft, from: Draft) {
    this.pending = next;
    this.inflight++;
    rerender();
    // The draft is a working copy that the next edit replaces, so an edit made offline waits ("Saving…") and goes
    // once the link is back, where a deal or a lock (acts the player should see land) is refused at once. It carries
    // the draft it was made from: if a teammate has changed the draft meanwhile, the server refuses it
    // (DRAFT_CHANGED) rather than undo their change.
    const offline = this.conn.state.link !== 'online';
    const res = await this.conn.send(
      {
        type: 'draft.set',
        overt: next.overt,
        covert: next.covert,
        freeform: next.freeform,
        ...(offline ? { base: { overt: from.overt, covert: from.covert, freeform: from.freeform } } : {}),
      },
      { whenBack: true },
    );
    this.inflight--;
    if (!res.ok) notify(res.error.message, 'error');
    if (this.inflight === 0) this.pending = null;
    rerender();
  }

  /**
   * Puts an action in the draft or takes it out. Each button says which, so a double click (or two teammates
   * clicking at once) repeats the same wish instead of undoing it.
   */
  private choose(v: GameView, a: ActionView, want: boolean) {
    const d = this.draft(v);
    const slot = a.covert ? 'covert' : 'overt';
    if (d[slot].includes(a.id) === want) return;
    void this.setDraft({ ...d, [slot]: want ? [...d[slot], a.id] : d[slot].filter((x) => x !== a.id) }, d);
  }

  private ffInput<K extends keyof FF>(field: K, value: FF[K], v: GameView) {
    if (!this.ffDirty)
      this.ff = { ...(this.draft(v).freeform ?? { text: '', intent: '', rationale: '', open: false }) };
    this.ff = { ...this.ff, [field]: value };
    this.ffDirty = true;
    this.keepFF(v);
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
    this.keepFF(v);
    const d = this.draft(v);
    void this.setDraft({ ...d, freeform: empty ? null : f }, d);
  }

  private lock(locking: boolean) {
    void this.sender.send(
      { type: locking ? 'draft.lock' : 'draft.unlock' },
      locking
        ? 'Your moves are locked. The other teams see only that you have submitted.'
        : 'Unlocked: your team can change its moves again.',
    );
  }

  view(v: GameView) {
    this.restoreFF(v);
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
              ? html`<button type="button" class="small" aria-label="Remove ${byId.get(id)?.name ?? id}"
                @click=${() => {
                  const a = byId.get(id);
                  if (a) this.choose(v, a, false);
                }}>Remove</button>`
              : nothing
          }</li>`,
          )}</ul>`
        : html`<p class="muted">${covert ? 'No covert move.' : canDraft ? 'None chosen yet.' : 'None.'}</p>`;

    // A round the team let pass with nothing drafted is not dressed as a success: it reads as a warning.
    const missed = server.locked && server.taken && draftIsEmpty(server);
    return html`<div class="moves">
      <aside class="card draft ${missed ? 'missed' : server.locked ? 'locked' : ''}" aria-labelledby="draft-h">
        <h2 id="draft-h">Our moves this round</h2>
        <p class="help">Everything here is shared live with your teammates,
          and hidden from other teams until the reveal.</p>
        <h3>Overt <span class="muted small">(${d.overt.length} of ${v.game.slots.overt})</span></h3>${chosen(
          d.overt,
          false,
        )}
        <h3>Covert <span class="muted small">(${d.covert.length} of ${v.game.slots.covert})</span></h3>${chosen(
          d.covert,
          true,
        )}
        <h3>Free-form</h3>${d.freeform ? html`<p>${d.freeform.text}</p>` : html`<p class="muted">None.</p>`}
        <p class="muted small" aria-live="polite">${
          this.inflight ? 'Saving…' : server.updatedBy ? `Last change by ${server.updatedBy}.` : ''
        }</p>
        ${
          server.locked
            ? html`${
                server.taken
                  ? missed
                    ? html`<p class="locked-note missed" role="status"><strong>No moves this round.</strong>
                        Your team had not locked, nor drafted anything, when submissions closed.</p>`
                    : html`<p class="locked-note" role="status"><strong>Taken as it stood.</strong>
                        Your team had not locked when submissions closed: these moves are the ones adjudicated.</p>`
                  : html`<p class="locked-note" role="status"><strong>Locked.</strong>
                      The other teams see that you have submitted.</p>`
              }
              ${
                phase === 'submission'
                  ? html`<button type="button" ?disabled=${this.sender.busy} @click=${() => this.lock(false)}
                      >Unlock to change</button>`
                  : nothing
              }`
            : phase === 'submission'
              ? html`<button type="button" class="primary big"
                  ?disabled=${this.sender.busy || this.inflight > 0 || v.game.paused !== null}
                  @click=${() => this.lock(true)}>Lock our moves</button>
                <p class="help">When every team has locked, the round goes to adjudication.
                  Unlocked drafts are taken as they stand when the clock runs out.</p>`
              : html`<p class="help">${
                  v.game.paused
                    ? 'The game is paused: the draft stays as it is until the White Cell resumes play.'
                    : phase === 'negotiation'
                      ? 'You can draft now; locking opens in the submission phase.'
                      : phase === 'reveal'
                        ? `Round ${v.game.round} is revealed: what your team and the others did is in the Record. The
                          draft is empty again; drafting opens at the next round's negotiation.`
                        : 'Moves are drafted during negotiation and submission.'
                }</p>`
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
            <h2 id="tier-${t.tier}">Tier ${t.tier}: ${t.name} ${
              t.open ? html`<span class="badge ok">open</span>` : html`<span class="badge">closed</span>`
            }</h2>
            ${!t.open && reason ? html`<p class="lock-reason">${reason}</p>` : nothing}
            <div class="actions">${actions.map((a) => this.actionCard(v, a, d, canDraft))}</div>
          </section>`;
        })}
        <section class="card freeform" aria-labelledby="ff-h">
          <h2 id="ff-h">A move of your own (free-form)</h2>
          <p class="help">Something the menu lacks. The White Cell sets its effects and its chance of success;
            the dice decide, and everything goes on the record. It is not a covert move: the other teams learn of
            it at the reveal, unless the White Cell rules its outcome private.</p>
          <div class="field"><label for="ff-text">What you do</label>
            <textarea dir="auto" id="ff-text" rows="2" maxlength="1000" ?disabled=${!canDraft} .value=${live(ff.text)}
              @input=${(e: Event) => this.ffInput('text', (e.target as HTMLTextAreaElement).value, v)}
              @blur=${() => this.ffSave(v)}></textarea></div>
          <div class="field"><label for="ff-intent">The result you want</label>
            <textarea dir="auto" id="ff-intent" rows="2" maxlength="500" ?disabled=${!canDraft} .value=${live(ff.intent)}
              @input=${(e: Event) => this.ffInput('intent', (e.target as HTMLTextAreaElement).value, v)}
              @blur=${() => this.ffSave(v)}></textarea></div>
          <div class="field"><label for="ff-why">Why it should work</label>
            <textarea dir="auto" id="ff-why" rows="3" maxlength="1000" ?disabled=${!canDraft} .value=${live(ff.rationale)}
              @input=${(e: Event) => this.ffInput('rationale', (e.target as HTMLTextAreaElement).value, v)}
              @blur=${() => this.ffSave(v)}></textarea></div>
          <label class="check"><input type="checkbox" ?disabled=${!canDraft} .checked=${live(ff.open)}
            @change=${(e: Event) => {
              this.ffInput('open', (e.target as HTMLInputElement).checked, v);
              this.ffSave(v);
            }}>
            Argue it in the open: at adjudication every team reads it
            and may estimate its chance (matrix-game style)</label>
          ${ffIncomplete ? html`<p class="help warn">Fill in all three boxes to add it to your moves.</p>` : nothing}
          ${
            d.freeform && canDraft
              ? html`<button type="button" class="small" @click=${() => {
                  this.ffDirty = false;
                  this.keepFF(v);
                  const d = this.draft(v);
                  void this.setDraft({ ...d, freeform: null }, d);
                }}>Remove the free-form move</button>`
              : nothing
          }
        </section>
        ${this.lockFoot(v, d)}
      </div>
    </div>`;
  }

  /**
   * On a phone the draft stands above a long menu and does not follow it down: where the menu ends, what the team
   * has chosen and the lock are given again, so nobody scrolls back up to lock (styles.css shows it on narrow
   * screens only; beside the menu the draft stays in sight).
   */
  private lockFoot(v: GameView, d: Draft) {
    if (v.game.phase !== 'submission' || v.me!.draft.locked) return nothing;
    const count = (n: number, of: number, what: string) => `${n} of ${of} ${what}`;
    return html`<section class="card lock-foot" aria-labelledby="lock-foot-h">
      <h2 id="lock-foot-h">Ready to submit?</h2>
      <p>Our moves: ${count(d.overt.length, v.game.slots.overt, 'overt')}, ${count(
        d.covert.length,
        v.game.slots.covert,
        'covert',
      )}${d.freeform ? ', and a free-form move' : ''}.</p>
      <button type="button" class="primary big"
        ?disabled=${this.sender.busy || this.inflight > 0 || v.game.paused !== null}
        @click=${() => this.lock(true)}>Lock our moves</button>
    </section>`;
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
      ${
        rest.length
          ? html`<details><summary>More notes on this scenario</summary>${rest.map((n) => html`<p>${n}</p>`)}</details>`
          : nothing
      }
    </aside>`;
  }

  /** "Risk of exposure: 30% at each reveal for 2 rounds": how a covert move may come out. */
  private exposure(x: NonNullable<ActionView['exposure']>) {
    return html`<p class="muted small">Risk of exposure: ${x.partial ? 'at least about ' : ''}${pct(x.chance)} at each
      reveal for ${x.window} round${x.window > 1 ? 's' : ''}${
        x.cheating ? '; exposure counts as cheating and fires snapback' : ''
      }.</p>`;
  }

  private actionCard(v: GameView, a: ActionView, d: Draft, canDraft: boolean) {
    const picked = (a.covert ? d.covert : d.overt).includes(a.id);
    return html`<article class="action ${picked ? 'picked' : ''} ${a.covert ? 'covert' : ''}" data-action=${a.id}
      aria-label=${a.name}>
      <header><h3>${a.name}</h3>
        <div class="badges">${a.covert ? html`<span class="badge secret">covert</span>` : nothing}${
          a.relief ? html`<span class="badge">relief</span>` : nothing
        }</div></header>
      <p>${a.summary}</p>
      ${effectsList(v, a.effects)}
      ${a.exposure ? this.exposure(a.exposure) : nothing}
      ${a.precedent ? html`<p class="precedent">Precedent: ${a.precedent}</p>` : nothing}
      <button type="button" class=${picked ? '' : 'primary'} aria-pressed=${picked ? 'true' : 'false'}
        aria-label=${`${picked ? 'Remove from our moves' : a.covert ? 'Add as our covert move' : 'Add to our moves'}: ${a.name}`}
        ?disabled=${!canDraft || !a.open}
        @click=${(e: MouseEvent) => {
          // The second click of a double click lands on the button already relabelled: it is not a new wish.
          if (e.detail > 1) return;
          this.choose(v, a, !picked);
        }}>${picked ? 'Remove from our moves' : a.covert ? 'Add as our covert move' : 'Add to our moves'}</button>
    </article>`;
  }

  private estimatingView(v: GameView) {
    const me = v.me!;
    return html`<section class="card estimating" aria-labelledby="est-h">
      <h2 id="est-h">Free-form moves to weigh</h2>
      <p class="help">The White Cell may ask each team how likely it thinks these moves are to work before it rules.</p>
      ${me.estimating.map((l) => {
        const mineEst = l.freeform?.estimates[me.team];
        // Empty until the team says: a box that started at 50 sent a 50 nobody chose with a careless press.
        const val = this.estimates[l.id] ?? (mineEst !== undefined ? Math.round(mineEst * 100) : '');
        return html`<article class="fact">
          <p>${teamChip(v, l.team)} <strong>${l.freeform?.text}</strong></p>
          <p class="muted">Aim: ${l.freeform?.intent}</p>
          <p><span class="muted">Why it should work:</span> ${l.freeform?.rationale}</p>
          ${
            l.freeform?.ruled
              ? html`<p>The White Cell has ruled.</p>`
              : html`<form class="row" @submit=${async (e: Event) => {
                  e.preventDefault();
                  // The value in the box now, not the one of the last render (which may predate the typing).
                  const box = (e.currentTarget as HTMLFormElement).querySelector('input')!;
                  const typed = Math.max(0, Math.min(100, Number(box.value)));
                  if (box.value.trim() === '' || !Number.isFinite(typed))
                    return notify('Give a chance between 0 and 100.', 'error');
                  this.estimates[l.id] = typed;
                  await this.estimator.send(
                    { type: 'freeform.estimate', lineId: l.id, probability: typed / 100 },
                    'Estimate sent.',
                  );
                }}>
            <label for="est-${l.id}">Chance it works (%)</label>
            <input id="est-${l.id}" type="number" min="0" max="100" required placeholder="0–100"
              .value=${live(String(val))} @input=${(e: Event) => {
                const typed = (e.target as HTMLInputElement).value;
                this.estimates[l.id] = typed.trim() === '' ? '' : Number(typed);
              }} />
            <button type="submit">Send estimate</button>
            ${mineEst !== undefined ? html`<span class="muted">Sent: ${pct(mineEst)}</span>` : nothing}
          </form>`
          }
        </article>`;
      })}
    </section>`;
  }
}
