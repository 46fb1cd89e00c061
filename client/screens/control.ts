// The White Cell console: the clock, every team's draft, the adjudication table, injects, channels, seats and secrets.
import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { GameView, LineView } from '../../shared/views.ts';
import type { JoinCodes } from '../../shared/protocol.ts';
import { fetchCodes, rotateCodes } from '../lib/api.ts';
import { rerender } from '../lib/app.ts';
import type { Connection, LiveState } from '../lib/connection.ts';
import { phaseName, teamName, time } from '../lib/format.ts';
import { notify } from '../lib/notify.ts';
import { getCodes, type Seat } from '../lib/seats.ts';
import { FormsPanel, RecordPanel } from '../parts/record.ts';
import { ChatPanel } from '../parts/chat.ts';
import { codesPanel } from '../parts/codes.ts';
import {
  audienceText,
  connectionBanner,
  dealSummary,
  debriefView,
  effectsList,
  lineItem,
  meterGrid,
  phaseBar,
  recordTimeline,
  teamChip,
  tiersList,
} from '../parts/common.ts';
import { effectsEditor, type EffectRow } from '../parts/effects-editor.ts';
import { tabBar, type Tab } from '../parts/tabs.ts';

type TabId =
  | 'overview'
  | 'adjudication'
  | 'injects'
  | 'talk'
  | 'deals'
  | 'board'
  | 'secrets'
  | 'seats'
  | 'debrief'
  | 'record';

interface AmendForm {
  effects: EffectRow[];
  success: 'keep' | 'yes' | 'no';
  cancel: boolean;
  rationale: string;
}
interface RuleForm {
  chance: number;
  effects: EffectRow[];
  isPublic: boolean;
  rationale: string;
}
interface InjectForm {
  title: string;
  text: string;
  all: boolean;
  teams: string[];
  effects: EffectRow[];
  publish: boolean;
}

const NEXT: Record<string, string> = {
  briefing: 'Start round 1',
  injects: 'Publish waiting injects, open negotiation',
  negotiation: 'Open submission',
  submission: 'Close submissions and adjudicate',
  adjudication: 'Approve and reveal',
  reveal: 'Next round',
};

export class ControlConsole {
  private tab: TabId;
  private chat: ChatPanel;
  private busy = false;
  private confirmEnd = false;
  private amend: Record<string, AmendForm> = {};
  private rule: Record<string, RuleForm> = {};
  private edit: Record<string, InjectForm> = {};
  private add: InjectForm | null = null;
  private codes: JoinCodes | null = null;
  private revokeSeats = false;
  private sawDebrief = false;
  private record: RecordPanel;
  private forms: FormsPanel;

  constructor(
    private conn: Connection,
    private seat: Seat,
    key: string,
  ) {
    this.chat = new ChatPanel(conn, seat.gameId, key, rerender);
    this.record = new RecordPanel(conn, seat, key);
    this.forms = new FormsPanel(conn, seat);
    const fromHash = location.hash.slice(1) as TabId;
    fetchCodes(seat.gameId, seat.token).then(
      (c) => {
        this.codes = c;
        rerender();
      },
      () => {
        /* another facilitator's seat may not read them */
      },
    );
    this.tab = [
      'overview',
      'adjudication',
      'injects',
      'talk',
      'deals',
      'board',
      'secrets',
      'seats',
      'debrief',
      'record',
    ].includes(fromHash)
      ? fromHash
      : 'overview';
  }

  private go(tab: string) {
    this.tab = tab as TabId;
    history.replaceState(null, '', `#${tab}`);
    rerender();
  }

  private async send(command: { type: string } & Record<string, unknown>, ok?: string): Promise<boolean> {
    this.busy = true;
    rerender();
    const res = await this.conn.send(command);
    this.busy = false;
    if (!res.ok) notify(res.error.message, 'error');
    else if (ok) notify(ok);
    rerender();
    return res.ok;
  }

  view(s: LiveState): TemplateResult {
    const v = s.view!;
    const c = v.control!;
    const queue = c.adjudication?.lines.filter((l) => l.freeform && !l.freeform.ruled) ?? [];
    const pending = v.injects.filter((i) => i.status === 'pending').length;
    const unread = this.chat.totalUnread(v);
    // The moment the debrief opens, show it (once: the White Cell may then look elsewhere).
    if (v.debrief && !this.sawDebrief) {
      this.sawDebrief = true;
      this.tab = 'debrief';
    }
    const tabs: Tab[] = [
      ...(v.debrief ? [{ id: 'debrief', label: 'Debrief' }] : []),
      { id: 'overview', label: 'Teams' },
      {
        id: 'adjudication',
        label: 'Adjudication',
        badge: c.adjudication ? (queue.length ? `${queue.length} free-form` : 'ready') : undefined,
      },
      {
        id: 'injects',
        label: 'Injects',
        badge: pending ? String(pending) : undefined,
        badgeLabel: `${pending} waiting to publish`,
      },
      { id: 'talk', label: 'Channels', badge: unread ? String(unread) : undefined, badgeLabel: `${unread} unread` },
      { id: 'deals', label: 'Deals' },
      { id: 'board', label: 'Board' },
      { id: 'secrets', label: 'Briefings & covert' },
      { id: 'seats', label: 'Seats' },
      { id: 'record', label: 'Record' },
    ];
    let body: TemplateResult;
    switch (this.tab) {
      case 'debrief':
        body = html`${debriefView(v)}${this.record.hotwash(v)}`;
        break;
      case 'record':
        body = html`${this.record.exports(v, { replay: true })}<div class="cols">${this.record.notes(v)}
          <div>${this.forms.view(v)}${this.record.hotwash(v)}${this.record.fork(v)}</div></div>`;
        break;
      case 'adjudication':
        body = this.adjudicationTab(v);
        break;
      case 'injects':
        body = this.injectsTab(v);
        break;
      case 'talk':
        body = this.chat.view(v, true);
        break;
      case 'deals':
        body = this.dealsTab(v);
        break;
      case 'board':
        body = html`${meterGrid(v)}<div class="cols"><section class="card"><h2>Tiers</h2>${tiersList(v)}</section>
        <section class="card"><h2>The record</h2>${recordTimeline(v)}</section></div>`;
        break;
      case 'secrets':
        body = this.secretsTab(v);
        break;
      case 'seats':
        body = this.seatsTab(v, s);
        break;
      default:
        body = this.overviewTab(v, s);
    }
    return html`
      ${connectionBanner(s)}
      <header class="top control-top">
        <div class="brand">Flywheel</div>
        <div class="who"><strong>White Cell</strong> <span class="muted">· ${v.game.title}</span></div>
      </header>
      ${phaseBar(v)}
      ${this.timers(v)}
      ${tabBar(tabs, this.tab, (id) => this.go(id), 'White Cell console')}
      <main id="main" class="page wide" role="tabpanel" aria-label=${tabs.find((t) => t.id === this.tab)?.label ?? ''}>${body}</main>`;
  }

  // ---- the clock -----------------------------------------------------------------------------------------

  private timers(v: GameView) {
    const g = v.game;
    const phase = g.phase;
    const running = !['lobby', 'debrief', 'ended', 'paused'].includes(phase);
    const ext = (
      sec: number,
      label: string,
    ) => html`<button type="button" class="small" ?disabled=${this.busy || g.deadline === null || !!g.paused}
      @click=${() => this.send({ type: 'phase.extend', seconds: sec }, `Clock ${sec > 0 ? 'extended' : 'shortened'} by ${Math.abs(sec / 60)} min.`)}>${label}</button>`;
    return html`<section class="timers" aria-label="Clock and phase controls">
      ${phase === 'lobby' ? html`<button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.send({ type: 'game.start' }, 'The exercise has started: briefing.')}>Start the exercise</button>` : nothing}
      ${
        running && !g.paused
          ? html`<button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.send({ type: 'phase.advance' })}>
        ${phase === 'reveal' && g.round >= g.rounds ? 'Go to the debrief' : (NEXT[phase] ?? 'Advance')} <span aria-hidden="true">→</span></button>`
          : nothing
      }
      ${
        g.paused
          ? html`<button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.send({ type: 'game.resume' }, 'Resumed.')}>Resume</button>`
          : running
            ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.send({ type: 'game.pause' }, 'Paused: the clock has stopped.')}>Pause</button>`
            : nothing
      }
      ${running ? html`<span class="group" role="group" aria-label="Change the clock">${ext(-300, '−5 min')}${ext(-60, '−1 min')}${ext(60, '+1 min')}${ext(300, '+5 min')}</span>` : nothing}
      <span class="spacer"></span>
      ${
        phase !== 'ended' && phase !== 'lobby'
          ? this.confirmEnd
            ? html`<span class="group" role="group" aria-label="Confirm"><span>${phase === 'debrief' ? 'Close the exercise for good?' : 'End the exercise now?'}</span>
            <button type="button" class="danger" @click=${async () => {
              this.confirmEnd = false;
              await this.send({ type: 'game.end' }, phase === 'debrief' ? 'Closed.' : 'Ended: the debrief is open.');
            }}>Yes, ${phase === 'debrief' ? 'close' : 'end'}</button>
            <button type="button" @click=${() => {
              this.confirmEnd = false;
              rerender();
            }}>No</button></span>`
            : html`<button type="button" class="danger-outline" @click=${() => {
                this.confirmEnd = true;
                rerender();
              }}>${phase === 'debrief' ? 'Close the exercise' : 'End the exercise'}</button>`
          : nothing
      }
    </section>`;
  }

  // ---- teams ---------------------------------------------------------------------------------------------

  private overviewTab(v: GameView, s: LiveState) {
    const c = v.control!;
    const online = new Set((s.presence ?? []).map((p) => p.playerId));
    const name = (id: string) => v.actions.find((a) => a.id === id)?.name ?? id;
    return html`
      ${v.game.phase === 'lobby' ? html`<p class="callout">Waiting to start. Hand out the codes (see <button type="button" class="link" @click=${() => this.go('seats')}>Seats</button>), then press “Start the exercise”.</p>` : nothing}
      <div class="team-grid">${v.teams.map((t) => {
        const d = c.drafts[t.id];
        const players = c.players.filter((p) => p.role === t.id);
        return html`<article class="card team-card" style="--team:${t.color}" data-team=${t.id} aria-label=${t.name}>
          <h2><span class="dot" aria-hidden="true"></span>${t.name}
            ${d?.locked ? html`<span class="badge ok">locked</span>` : html`<span class="badge">drafting</span>`}</h2>
          <p class="small">${players.length ? players.map((p, i) => html`${i ? ', ' : ''}<span class=${online.has(p.id) ? 'online' : 'offline'}>${p.name}${online.has(p.id) ? '' : s.presence ? ' (away)' : ''}</span>`) : html`<span class="warn">No one seated</span>`}</p>
          ${
            d
              ? html`<h3>Overt</h3>${d.overt.length ? html`<ul>${d.overt.map((id) => html`<li>${name(id)}</li>`)}</ul>` : html`<p class="muted">none</p>`}
            <h3>Covert</h3>${d.covert.length ? html`<ul>${d.covert.map((id) => html`<li class="secret-text">${name(id)}</li>`)}</ul>` : html`<p class="muted">none</p>`}
            ${d.freeform ? html`<h3>Free-form</h3><p>${d.freeform.text}</p><p class="muted small">Aim: ${d.freeform.intent}</p>` : nothing}
            ${d.updatedBy ? html`<p class="muted small">Last change by ${d.updatedBy}</p>` : nothing}`
              : nothing
          }
        </article>`;
      })}</div>
      ${meterGrid(v, { compact: true })}`;
  }

  // ---- adjudication --------------------------------------------------------------------------------------

  private adjudicationTab(v: GameView) {
    const adj = v.control!.adjudication;
    if (!adj) {
      const last = v.reveals[v.reveals.length - 1];
      return html`<section class="card"><h2>No adjudication under way</h2>
        <p>The engine proposes an outcome when submissions close (when every seated team has locked, at the deadline, or when you advance).</p>
        ${v.game.autoApprove ? html`<p class="callout">This game approves adjudications automatically.</p>` : nothing}
        ${last ? html`<h3>Last reveal: round ${last.round}</h3><ul class="lines">${last.lines.map((l) => lineItem(v, l, { control: true }))}</ul>` : nothing}
      </section>`;
    }
    const queue = adj.lines.filter((l) => l.freeform && !l.freeform.ruled);
    return html`<section class="card adjudication" aria-labelledby="adj-h">
      <h2 id="adj-h">Round ${adj.round}: the engine’s proposed outcome</h2>
      <p class="help">Each line says what happens, why, and which roll decided it. Amend any line with a written reason; rule each free-form move; then approve to reveal.</p>
      ${queue.length ? html`<div class="callout warn" role="status"><strong>${queue.length} free-form move${queue.length > 1 ? 's' : ''} to rule</strong> before approving.</div>` : nothing}
      <ol class="lines adj-lines">${adj.lines.map((l) => html`${lineItem(v, l, { control: true })}${this.lineTools(v, l)}`)}</ol>
      <div class="row">
        <button type="button" class="primary big" ?disabled=${this.busy} @click=${() => this.send({ type: 'adjudication.approve' }, 'Approved: the reveal is out.')}>Approve and reveal</button>
        ${queue.length ? html`<span class="muted">Unruled free-form moves are left out.</span>` : nothing}
      </div>
    </section>`;
  }

  private lineTools(v: GameView, l: LineView) {
    const a = this.amend[l.id];
    const r = this.rule[l.id];
    const ruleable = l.freeform && !l.freeform.ruled;
    return html`<li class="line-tools" aria-label="Tools for this line">
      ${
        !a
          ? html`<button type="button" class="small" @click=${() => {
              this.amend[l.id] = {
                effects: l.effects.map((e) => ({ ...e })),
                success: 'keep',
                cancel: l.cancelled,
                rationale: '',
              };
              rerender();
            }}>Amend…</button>`
          : nothing
      }
      ${
        ruleable && !r
          ? html`<button type="button" class="small primary" @click=${() => {
              this.rule[l.id] = { chance: 50, effects: [], isPublic: true, rationale: '' };
              rerender();
            }}>Rule on this free-form move…</button>`
          : nothing
      }
      ${
        a
          ? html`<form class="subform" @submit=${async (e: Event) => {
              e.preventDefault();
              if (!a.rationale.trim()) return notify('Write down why: every amendment goes on the record.', 'error');
              const cmd: Record<string, unknown> = {
                type: 'adjudication.amend',
                lineId: l.id,
                effects: a.effects,
                rationale: a.rationale.trim(),
              };
              if (l.roll && a.success !== 'keep') cmd.success = a.success === 'yes';
              if (a.cancel !== l.cancelled) cmd.cancel = a.cancel;
              if (await this.send(cmd as { type: string }, 'Line amended.')) {
                delete this.amend[l.id];
                rerender();
              }
            }}>
        <h3>Amend this line</h3>
        ${effectsEditor(v, `am-${l.id}`, a.effects, (rows) => {
          a.effects = rows;
        })}
        ${
          l.roll
            ? html`<div class="field"><label for="am-s-${l.id}">Outcome of the roll</label>
          <select id="am-s-${l.id}" @change=${(e: Event) => {
            a.success = (e.target as HTMLSelectElement).value as AmendForm['success'];
          }}>
            <option value="keep" ?selected=${a.success === 'keep'}>Keep the dice (${l.roll.success ? 'yes' : 'no'})</option>
            <option value="yes" ?selected=${a.success === 'yes'}>Overrule: it happens</option>
            <option value="no" ?selected=${a.success === 'no'}>Overrule: it does not</option></select></div>`
            : nothing
        }
        <label class="check"><input type="checkbox" .checked=${live(a.cancel)} @change=${(e: Event) => {
          a.cancel = (e.target as HTMLInputElement).checked;
        }} /> Cancel this line</label>
        <div class="field"><label for="am-r-${l.id}">Why (goes on the record)</label>
          <textarea id="am-r-${l.id}" rows="2" required maxlength="2000" .value=${live(a.rationale)} @input=${(
            e: Event,
          ) => {
            a.rationale = (e.target as HTMLTextAreaElement).value;
          }}></textarea></div>
        <div class="row"><button type="submit" class="primary" ?disabled=${this.busy}>Save the amendment</button>
          <button type="button" @click=${() => {
            delete this.amend[l.id];
            rerender();
          }}>Cancel</button></div>
      </form>`
          : nothing
      }
      ${
        r
          ? html`<form class="subform" @submit=${async (e: Event) => {
              e.preventDefault();
              if (!r.rationale.trim()) return notify('Write down the reasoning for the ruling.', 'error');
              const ok = await this.send(
                {
                  type: 'freeform.rule',
                  lineId: l.id,
                  chance: Math.max(0, Math.min(100, r.chance)) / 100,
                  effects: r.effects,
                  public: r.isPublic,
                  rationale: r.rationale.trim(),
                },
                'Ruled: the dice have been rolled.',
              );
              if (ok) {
                delete this.rule[l.id];
                rerender();
              }
            }}>
        <h3>Rule on: ${l.freeform?.text}</h3>
        ${
          l.freeform && Object.keys(l.freeform.estimates).length
            ? html`<p class="muted">Teams’ estimates: ${Object.entries(l.freeform.estimates)
                .map(([t, p]) => `${teamName(v, t, true)} ${Math.round(p * 100)}%`)
                .join(', ')}</p>`
            : html`<p class="muted">No team has given an estimate yet.</p>`
        }
        <div class="field"><label for="ru-c-${l.id}">Chance of success (%)</label>
          <input id="ru-c-${l.id}" type="number" min="0" max="100" .value=${live(String(r.chance))} @input=${(
            e: Event,
          ) => {
            r.chance = Number((e.target as HTMLInputElement).value) || 0;
          }} /></div>
        ${effectsEditor(v, `ru-${l.id}`, r.effects, (rows) => {
          r.effects = rows;
        })}
        <label class="check"><input type="checkbox" .checked=${live(r.isPublic)} @change=${(e: Event) => {
          r.isPublic = (e.target as HTMLInputElement).checked;
        }} /> Everyone sees the outcome (otherwise only ${teamName(v, l.team)})</label>
        <div class="field"><label for="ru-r-${l.id}">Reasoning (goes on the record)</label>
          <textarea id="ru-r-${l.id}" rows="2" maxlength="2000" .value=${live(r.rationale)} @input=${(e: Event) => {
            r.rationale = (e.target as HTMLTextAreaElement).value;
          }}></textarea></div>
        <div class="row"><button type="submit" class="primary" ?disabled=${this.busy}>Roll and rule</button>
          <button type="button" @click=${() => {
            delete this.rule[l.id];
            rerender();
          }}>Cancel</button></div>
      </form>`
          : nothing
      }
    </li>`;
  }

  // ---- injects -------------------------------------------------------------------------------------------

  private injectForm(
    v: GameView,
    f: InjectForm,
    id: string,
    submit: () => Promise<void>,
    cancel: () => void,
    isAdd: boolean,
  ) {
    return html`<form class="subform" @submit=${async (e: Event) => {
      e.preventDefault();
      await submit();
    }}>
      <div class="field"><label for="${id}-t">Title</label>
        <input id="${id}-t" maxlength="200" required .value=${live(f.title)} @input=${(e: Event) => {
          f.title = (e.target as HTMLInputElement).value;
        }} /></div>
      <div class="field"><label for="${id}-x">Text</label>
        <textarea id="${id}-x" rows="3" maxlength="4000" required .value=${live(f.text)} @input=${(e: Event) => {
          f.text = (e.target as HTMLTextAreaElement).value;
        }}></textarea></div>
      <fieldset class="field"><legend>Who reads it</legend>
        <label class="check"><input type="checkbox" .checked=${live(f.all)} @change=${(e: Event) => {
          f.all = (e.target as HTMLInputElement).checked;
          rerender();
        }} /> Everyone</label>
        ${
          f.all
            ? nothing
            : html`<div class="row wrap">${v.teams.map(
                (t) => html`<label class="check"><input type="checkbox" .checked=${live(f.teams.includes(t.id))}
          @change=${(e: Event) => {
            f.teams = (e.target as HTMLInputElement).checked ? [...f.teams, t.id] : f.teams.filter((x) => x !== t.id);
          }} /> ${t.name}</label>`,
              )}</div>`
        }
      </fieldset>
      ${effectsEditor(v, `${id}-fx`, f.effects, (rows) => {
        f.effects = rows;
      })}
      ${
        isAdd
          ? html`<label class="check"><input type="checkbox" .checked=${live(f.publish)} @change=${(e: Event) => {
              f.publish = (e.target as HTMLInputElement).checked;
            }} /> Publish it now</label>`
          : nothing
      }
      <div class="row"><button type="submit" class="primary" ?disabled=${this.busy}>${isAdd ? 'Add the inject' : 'Save changes'}</button>
        <button type="button" @click=${cancel}>Cancel</button></div>
    </form>`;
  }

  private injectsTab(v: GameView) {
    const groups: [string, string, GameView['injects']][] = [
      ['pending', 'Due now: waiting to publish', v.injects.filter((i) => i.status === 'pending')],
      [
        'scheduled',
        'Scheduled for later rounds',
        v.injects
          .filter((i) => i.status === 'scheduled' && i.kind === 'scheduled')
          .sort((a, b) => (a.round ?? 0) - (b.round ?? 0)),
      ],
      [
        'contingency',
        'Contingencies: fire when the story calls for it',
        v.injects.filter((i) => i.status === 'scheduled' && i.kind !== 'scheduled'),
      ],
      [
        'published',
        'Published',
        v.injects.filter((i) => i.status === 'published').sort((a, b) => (b.round ?? 0) - (a.round ?? 0)),
      ],
      ['skipped', 'Skipped', v.injects.filter((i) => i.status === 'skipped')],
    ];
    const audience = (f: InjectForm) => (f.all ? 'all' : f.teams);
    return html`<div class="cols">
      <div class="span-2">
        <div class="row"><button type="button" class="primary" ?disabled=${!!this.add} @click=${() => {
          this.add = { title: '', text: '', all: true, teams: [], effects: [], publish: true };
          rerender();
        }}>Write a new inject</button></div>
        ${
          this.add
            ? html`<section class="card"><h2>New inject</h2>${this.injectForm(
                v,
                this.add,
                'add',
                async () => {
                  const f = this.add!;
                  if (!f.all && !f.teams.length) return void notify('Choose who reads it.', 'error');
                  if (
                    await this.send(
                      {
                        type: 'inject.add',
                        title: f.title.trim(),
                        text: f.text.trim(),
                        audience: audience(f),
                        effects: f.effects,
                        publish: f.publish,
                      },
                      f.publish ? 'Published.' : 'Added to the contingencies.',
                    )
                  ) {
                    this.add = null;
                    rerender();
                  }
                },
                () => {
                  this.add = null;
                  rerender();
                },
                true,
              )}</section>`
            : nothing
        }
        ${groups.map(([key, title, list]) =>
          list.length
            ? html`<section class="card injects-group" aria-labelledby="inj-${key}">
          <h2 id="inj-${key}">${title}</h2>
          <ol class="inject-list">${list.map((i) => {
            const f = this.edit[i.id];
            const open = i.status === 'pending' || i.status === 'scheduled';
            const intel = i.intel ? safeIntel(i.intel) : null;
            return html`<li class="inject status-${i.status}" data-inject=${i.id}>
              <div class="l-head"><strong>${i.title}</strong>
                <span class="badge">${i.round !== null ? `round ${i.round}` : 'any round'}</span>
                <span class="badge">${i.status}</span>
                <span class="muted small">for ${audienceText(v, i.audience)}</span></div>
              <p>${i.text}</p>
              ${effectsList(v, i.effects)}
              ${intel ? html`<details><summary>Private intelligence that goes with it</summary><ul>${Object.entries(intel).map(([t, text]) => html`<li>${teamChip(v, t)} ${text}</li>`)}</ul></details>` : nothing}
              ${
                open && !f
                  ? html`<div class="row">
                <button type="button" class="primary small" ?disabled=${this.busy} @click=${() => this.send({ type: 'inject.publish', injectId: i.id }, `Published: ${i.title}`)}>Publish</button>
                <button type="button" class="small" ?disabled=${this.busy} @click=${() => this.send({ type: 'inject.skip', injectId: i.id }, `Skipped: ${i.title}`)}>Skip</button>
                <button type="button" class="small" @click=${() => {
                  this.edit[i.id] = {
                    title: i.title,
                    text: i.text,
                    all: i.audience === 'all',
                    teams: Array.isArray(i.audience) ? i.audience.map(String) : [],
                    effects: i.effects.map((e) => ({ ...e })),
                    publish: false,
                  };
                  rerender();
                }}>Edit</button>
              </div>`
                  : nothing
              }
              ${
                f
                  ? this.injectForm(
                      v,
                      f,
                      `ed-${i.id}`,
                      async () => {
                        if (!f.all && !f.teams.length) return void notify('Choose who reads it.', 'error');
                        if (
                          await this.send(
                            {
                              type: 'inject.edit',
                              injectId: i.id,
                              title: f.title.trim(),
                              text: f.text.trim(),
                              audience: audience(f),
                              effects: f.effects,
                            },
                            'Inject saved.',
                          )
                        ) {
                          delete this.edit[i.id];
                          rerender();
                        }
                      },
                      () => {
                        delete this.edit[i.id];
                        rerender();
                      },
                      false,
                    )
                  : nothing
              }
            </li>`;
          })}</ol>
        </section>`
            : nothing,
        )}
      </div>
    </div>`;
  }

  // ---- deals, secrets, seats -----------------------------------------------------------------------------

  private dealsTab(v: GameView) {
    const open = v.deals.filter((d) => d.status === 'proposed');
    const rest = v.deals.filter((d) => d.status !== 'proposed');
    return html`<div class="cols">
      <section class="card"><h2>Proposals on the table</h2>${open.length ? open.map((d) => dealSummary(v, d)) : html`<p class="muted">None.</p>`}</section>
      <section class="card"><h2>Every other deal</h2>${rest.length ? [...rest].reverse().map((d) => dealSummary(v, d)) : html`<p class="muted">None.</p>`}</section>
    </div>`;
  }

  private secretsTab(v: GameView) {
    const c = v.control!;
    return html`<div class="cols">
      ${v.teams.map((t) => {
        const b = c.briefings[t.id];
        if (!b) return nothing;
        return html`<section class="card" style="--team:${t.color}"><h2>${teamChip(v, t.id, false)}${b.variant ? html` <span class="badge">${b.variant}</span>` : nothing}</h2>
          <p>${b.privateBriefing.situation}</p>
          ${b.privateBriefing.wants.length ? html`<h3>Wants</h3><ul>${b.privateBriefing.wants.map((w) => html`<li>${w}</li>`)}</ul>` : nothing}
          ${b.privateBriefing.redLines.length ? html`<h3>Red lines</h3><ul>${b.privateBriefing.redLines.map((w) => html`<li>${w}</li>`)}</ul>` : nothing}
          <h3>Objectives</h3><ul>${b.objectives.map((o) => html`<li>${o.text} <span class="muted">(${o.points})</span></li>`)}</ul>
        </section>`;
      })}
      <section class="card"><h2>Intelligence handed out</h2>
        ${c.intel.length ? html`<ul>${[...c.intel].reverse().map((r) => html`<li>Round ${r.round}, ${teamChip(v, r.team)}: ${r.text}</li>`)}</ul>` : html`<p class="muted">None yet.</p>`}</section>
      <section class="card"><h2>Covert log</h2>
        ${
          c.covertLog.length
            ? html`<table class="table"><thead><tr><th scope="col">Round</th><th scope="col">Team</th><th scope="col">Move</th><th scope="col">Exposed</th></tr></thead>
          <tbody>${c.covertLog.map((x) => html`<tr><td>${x.round}</td><td>${teamChip(v, x.team)}</td><td>${x.name}</td><td>${x.exposedRound === null ? 'no' : `round ${x.exposedRound}`}</td></tr>`)}</tbody></table>`
            : html`<p class="muted">No covert moves yet.</p>`
        }
        <p class="muted small">Dice seed: <code>${c.seed}</code></p></section>
    </div>`;
  }

  private seatsTab(v: GameView, s: LiveState) {
    const c = v.control!;
    const kept = getCodes(this.seat.gameId);
    const codes = this.codes ?? kept?.codes ?? null;
    const presence = new Map((s.presence ?? []).map((p) => [p.playerId, p]));
    const role = (r: string) => (r === 'control' ? 'White Cell' : r === 'observer' ? 'Observer' : teamName(v, r));
    return html`<section class="card"><h2>Who is here</h2>
        ${
          c.players.length
            ? html`<table class="table"><thead><tr><th scope="col">Name</th><th scope="col">Seat</th><th scope="col">Connection</th><th scope="col">Joined</th></tr></thead>
          <tbody>${c.players.map((p) => {
            const on = presence.get(p.id);
            return html`<tr><td>${p.name}</td><td>${role(p.role)}</td>
              <td>${!p.seated ? html`<span class="muted">left</span>` : on ? html`<span class="online">online${on.sockets > 1 ? ` (${on.sockets} tabs)` : ''}</span>` : s.presence ? html`<span class="offline">offline</span>` : html`<span class="muted">unknown</span>`}</td>
              <td>${time(p.joinedAt)}</td></tr>`;
          })}</tbody></table>`
            : html`<p class="muted">No one has joined yet.</p>`
        }
        <p class="muted small">Phase: ${phaseName(v.game.phase)}. ${v.teams.map((t) => `${t.short}: ${t.players}`).join(' · ')}</p>
      </section>
      ${
        codes
          ? html`<section><h2>Join codes</h2>${codesPanel({ codes, title: v.game.title, teams: v.teams.map((t) => ({ id: t.id, name: t.name, color: t.color })) })}</section>`
          : html`<section class="card"><h2>Join codes</h2><p class="muted">The codes could not be read with this seat. Ask the facilitator who created the game.</p></section>`
      }
      <section class="card" aria-labelledby="rotate-h"><h2 id="rotate-h">If a code has leaked</h2>
        <p class="help">New codes stop the old ones from seating anyone. Players already seated stay, unless you also sign them out.</p>
        <label><input type="checkbox" .checked=${this.revokeSeats} @change=${(e: Event) => {
          this.revokeSeats = (e.target as HTMLInputElement).checked;
        }}>
          Also sign out every other seat (they must join again with the new codes)</label>
        <p><button type="button" ?disabled=${this.busy} @click=${() => this.rotate()}>Issue new codes</button></p>
      </section>`;
  }

  private async rotate() {
    this.busy = true;
    rerender();
    try {
      const res = await rotateCodes(this.seat.gameId, this.seat.token, this.revokeSeats);
      this.codes = res.codes;
      notify(`New codes issued${res.revoked ? `; ${res.revoked} seat(s) signed out` : ''}.`);
    } catch (err) {
      notify(err instanceof Error ? err.message : 'The codes could not be rotated.', 'error');
    } finally {
      this.busy = false;
      rerender();
    }
  }
}

function safeIntel(text: string): Record<string, string> | null {
  try {
    const o = JSON.parse(text) as unknown;
    return o && typeof o === 'object' ? (o as Record<string, string>) : null;
  } catch {
    return { all: text };
  }
}
