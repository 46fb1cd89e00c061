// The record of an exercise, on the seat's own screen: exports and the printable report (of this seat's own
// audience, built by the server), the replay, rapporteur notes, the hot wash and fork. Forms keep their state here.
import type { ClientCommandInput } from '../../shared/commands.ts';

type NoteTargetKind = 'deal' | 'inject' | 'line' | 'move' | 'round';
import { html, nothing, type TemplateResult } from 'lit';
import type { FormView, GameView, NoteView } from '../../shared/views.ts';
import { isOverPhase } from '../../shared/phases.ts';
import { ApiError, fetchFile, forkGame } from '../lib/api.ts';
import { navigate, rerender } from '../lib/app.ts';
import type { Connection } from '../lib/connection.ts';
import { teamName, time } from '../lib/format.ts';
import { notify } from '../lib/notify.ts';
import { putCodes, putSeat, type Seat } from '../lib/seats.ts';

const TAGS = ['insight', 'friction', 'misperception', 'decision', 'surprise'];
const HOTWASH = { strength: 'Strength', improvement: 'Area for improvement', action: 'Corrective action' } as const;

function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

const fail = (err: unknown) => notify(err instanceof ApiError ? err.message : String(err), 'error');

export class RecordPanel {
  private pseudonymise = false;
  private note = { text: '', tags: [] as string[], target: '', shared: false };
  private hw = { kind: 'strength' as keyof typeof HOTWASH, text: '', owner: '', due: '' };
  private forkRound = 0;
  private busy = false;

  constructor(
    private conn: Connection,
    private seat: Seat,
    private key: string,
  ) {}

  private async send(command: ClientCommandInput, ok: string): Promise<boolean> {
    this.busy = true;
    rerender();
    const res = await this.conn.send(command);
    this.busy = false;
    if (!res.ok) notify(res.error.message, 'error');
    else notify(ok);
    rerender();
    return res.ok;
  }

  private async download(rest: string, name: string) {
    try {
      const p = this.pseudonymise ? `${rest.includes('?') ? '&' : '?'}pseudonymise=1` : '';
      // A pseudonymised file says so in its name, so that it is not taken for (or mixed up with) the named one.
      const file = this.pseudonymise ? name.replace(/(\.[a-z]+)$/, '-pseudonymised$1') : name;
      save(await fetchFile(this.seat.gameId, rest + p, this.seat.token), file);
    } catch (err) {
      fail(err);
    }
  }

  private async openReport() {
    // Opened now, while the click still counts as the user's, and filled once the report has arrived.
    const w = window.open('', '_blank');
    try {
      const p = this.pseudonymise ? '?pseudonymise=1' : '';
      const blob = await fetchFile(this.seat.gameId, `report${p}`, this.seat.token);
      const url = URL.createObjectURL(new Blob([blob], { type: 'text/html' }));
      if (w) w.location.href = url;
      else save(blob, `flywheel-${this.seat.gameId}-report.html`);
    } catch (err) {
      w?.close();
      fail(err);
    }
  }

  /** Exports, the report and the replay: each of this seat's own audience. */
  exports(v: GameView, opts: { replay: boolean }): TemplateResult {
    const id = this.seat.gameId;
    return html`<section class="card record-exports" aria-labelledby="rec-exp-h">
      <h2 id="rec-exp-h">The record</h2>
      <p class="muted small">Everything here holds only what ${
        v.audience.kind === 'team' ? 'your team' : 'this seat'
      } may see.</p>
      <p><label><input type="checkbox" .checked=${this.pseudonymise}
        @change=${(e: Event) => {
          this.pseudonymise = (e.target as HTMLInputElement).checked;
          rerender();
        }}> Pseudonymise player names (for research)</label></p>
      <div class="row wrap">
        <button type="button" @click=${() => this.openReport()}>Open the printable report</button>
        <button type="button" @click=${() => this.download('report?format=md', `flywheel-${id}-report-with-timings.md`)}
          >Report as Markdown</button>
        <button type="button" @click=${() => this.download('export', `flywheel-${id}-export.zip`)}
          >Research export (CSV, zip)</button>
        <button type="button" @click=${() => this.download('export?format=json', `flywheel-${id}-export.json`)}
          >Research export (JSON)</button>
        ${
          opts.replay
            ? html`<a class="button" href=${`/replay/${encodeURIComponent(id)}/${encodeURIComponent(this.key)}`}
                >Replay the game</a>`
            : nothing
        }
      </div>
    </section>`;
  }

  // ---- rapporteur notes ----------------------------------------------------------------------------------

  private targets(v: GameView) {
    const rounds = Array.from({ length: v.game.round }, (_, i) => i + 1);
    const lines = v.reveals.flatMap((r) => r.lines.map((l) => ({ id: l.id, text: `R${r.round}: ${l.text}` })));
    return html`<option value="">The exercise as a whole</option>
      <optgroup label="Rounds">${rounds.map((r) => html`<option value=${`round:${r}`}>Round ${r}</option>`)}</optgroup>
      <optgroup label="Outcomes">${lines.map(
        (l) => html`<option value=${`line:${l.id}`}>${l.text.slice(0, 80)}</option>`,
      )}</optgroup>
      <optgroup label="Deals">${v.deals.map(
        (d) =>
          html`<option value=${`deal:${d.id}`}>${d.parties.map((p) => teamName(v, p, true)).join('–')}: ${
            d.status
          }</option>`,
      )}</optgroup>
      <optgroup label="Injects">${v.injects.map(
        (i) => html`<option value=${`inject:${i.id}`}>${i.title}</option>`,
      )}</optgroup>`;
  }

  private noteItem(v: GameView, n: NoteView) {
    const mine = n.authorId === this.seat.playerId || v.audience.kind === 'control';
    return html`<li class="note-item">
      <p><strong>${n.author}</strong> <span class="muted small">${time(n.at)} · round ${n.round}${
        n.target ? ` · on ${n.target.kind} ${n.target.id}` : ''
      }
        · ${
          n.shared ? 'shared with everyone' : n.role === 'control' ? 'White Cell only' : 'observers and White Cell'
        }</span></p>
      <p>${n.text} ${n.tags.map((t) => html`<span class="badge">${t}</span>`)}</p>
      ${
        !n.shared && mine
          ? html`<button type="button" class="small" ?disabled=${this.busy}
              @click=${() => this.send({ type: 'note.share', noteId: n.id }, 'Shared with everyone.')}
              >Share with everyone</button>`
          : nothing
      }
    </li>`;
  }

  notes(v: GameView): TemplateResult {
    const n = this.note;
    const submit = async (e: Event) => {
      e.preventDefault();
      const [kind, ...rest] = n.target.split(':') as [NoteTargetKind, ...string[]];
      const ok = await this.send(
        {
          type: 'note.add',
          text: n.text,
          tags: n.tags,
          target: n.target ? { kind, id: rest.join(':') } : null,
          shared: n.shared,
        },
        'Note kept.',
      );
      if (ok) this.note = { text: '', tags: [], target: '', shared: false };
    };
    return html`<section class="card notes" aria-labelledby="notes-h">
      <h2 id="notes-h">Rapporteur notes</h2>
      <form class="stack" @submit=${submit}>
        <label>Note <textarea dir="auto" rows="3" maxlength="2000" required .value=${n.text}
          @input=${(e: Event) => (n.text = (e.target as HTMLTextAreaElement).value)}></textarea></label>
        <label>About <select .value=${n.target}
          @change=${(e: Event) => (n.target = (e.target as HTMLSelectElement).value)}
          >${this.targets(v)}</select></label>
        <fieldset class="row wrap"><legend>Tags</legend>${TAGS.map(
          (t) =>
            html`<label><input type="checkbox" .checked=${n.tags.includes(t)} @change=${(e: Event) => {
              n.tags = (e.target as HTMLInputElement).checked ? [...n.tags, t] : n.tags.filter((x) => x !== t);
            }}> ${t}</label>`,
        )}</fieldset>
        <label><input type="checkbox" .checked=${n.shared}
          @change=${(e: Event) => (n.shared = (e.target as HTMLInputElement).checked)}>
          Share with everyone now (otherwise ${
            v.audience.kind === 'control' ? 'the White Cell' : 'observers and the White Cell'
          } only)</label>
        <p><button type="submit" class="primary" ?disabled=${this.busy}>Keep the note</button></p>
      </form>
      ${
        v.record.notes.length
          ? html`<ul class="notes-list">${[...v.record.notes].reverse().map((x) => this.noteItem(v, x))}</ul>`
          : html`<p class="muted">No notes yet.</p>`
      }
    </section>`;
  }

  // ---- the hot wash (White Cell) -------------------------------------------------------------------------

  hotwash(v: GameView): TemplateResult {
    const h = this.hw;
    const items = v.record.hotwash ?? [];
    const submit = async (e: Event) => {
      e.preventDefault();
      const action = h.kind === 'action';
      const ok = await this.send(
        { type: 'hotwash.record', kind: h.kind, text: h.text, ...(action ? { owner: h.owner, due: h.due } : {}) },
        'Recorded.',
      );
      if (ok) this.hw = { kind: h.kind, text: '', owner: '', due: '' };
    };
    return html`<section class="card hotwash" aria-labelledby="hw-h">
      <h2 id="hw-h">Hot wash and improvement plan</h2>
      <p class="muted small">Recorded during the debrief; the players see it once the exercise is over,
        and it closes the report.</p>
      <form class="stack" @submit=${submit}>
        <label>Kind <select .value=${h.kind} @change=${(e: Event) => {
          h.kind = (e.target as HTMLSelectElement).value as keyof typeof HOTWASH;
          rerender();
        }}>${Object.entries(HOTWASH).map(([k, label]) => html`<option value=${k}>${label}</option>`)}</select></label>
        <label>What was said <textarea dir="auto" rows="2" maxlength="1000" required .value=${h.text}
          @input=${(e: Event) => (h.text = (e.target as HTMLTextAreaElement).value)}></textarea></label>
        ${
          h.kind === 'action'
            ? html`<div class="row wrap"><label>Owner <input required maxlength="80" .value=${h.owner}
                @input=${(e: Event) => (h.owner = (e.target as HTMLInputElement).value)}></label>
              <label>Due <input type="date" required .value=${h.due}
                @input=${(e: Event) => (h.due = (e.target as HTMLInputElement).value)}></label></div>`
            : nothing
        }
        <p><button type="submit" class="primary" ?disabled=${this.busy}>Record</button></p>
      </form>
      ${(['strength', 'improvement', 'action'] as const).map((kind) => {
        const xs = items.filter((x) => x.kind === kind);
        return xs.length
          ? html`<h3>${HOTWASH[kind]}s</h3><ul class="hotwash-list">${xs.map(
              (x) => html`<li>${x.text}${
                x.owner ? html` <span class="muted">(owner: ${x.owner}, due ${x.due})</span>` : nothing
              }
              <button type="button" class="small" ?disabled=${this.busy} aria-label=${`Remove: ${x.text}`}
                @click=${() => this.send({ type: 'hotwash.remove', itemId: x.id }, 'Removed.')}>Remove</button></li>`,
            )}</ul>`
          : nothing;
      })}
    </section>`;
  }

  // ---- fork (White Cell) ---------------------------------------------------------------------------------

  fork(v: GameView): TemplateResult {
    const played = [...v.earlierReveals, ...v.reveals].map((r) => r.round);
    const submit = async (e: Event) => {
      e.preventDefault();
      this.busy = true;
      rerender();
      try {
        const res = await forkGame(this.seat.gameId, this.seat.token, this.forkRound, this.seat.name);
        putCodes(res.gameId, {
          codes: res.codes,
          title: `${v.game.title} (from round ${this.forkRound})`,
          teams: v.teams.map((t) => ({ id: t.id, name: t.name, color: t.color })),
        });
        putSeat('control', {
          token: res.controlToken,
          gameId: res.gameId,
          playerId: null,
          role: 'control',
          team: null,
          name: this.seat.name,
        });
        navigate(`/codes/${encodeURIComponent(res.gameId)}`);
      } catch (err) {
        fail(err);
      } finally {
        this.busy = false;
        rerender();
      }
    };
    return html`<section class="card fork" aria-labelledby="fork-h">
      <h2 id="fork-h">Fork: play on from a past round</h2>
      <p class="muted small">A new game with this one’s history up to the end of the round you pick, new join codes and
        new dice. It is linked to this game on the record, and cannot see or change it.</p>
      ${
        isOverPhase(v.game.phase)
          ? nothing
          : html`<p class="callout warn" role="note"><strong>This game is still running.</strong> At the fork’s
            debrief its players see all of the copied rounds, hidden moves and objectives included: give its codes
            only to people who are not playing this game, or fork after the debrief.</p>`
      }
      <form class="row wrap" @submit=${submit}>
        <label>From the end of <select .value=${String(this.forkRound)}
          @change=${(e: Event) => (this.forkRound = Number((e.target as HTMLSelectElement).value))}>
          <option value="0">the briefing (before round 1)</option>
          ${played.map((r) => html`<option value=${r}>round ${r}</option>`)}
        </select></label>
        <button type="submit" ?disabled=${this.busy}>Start the fork</button>
      </form>
    </section>`;
  }
}

type Answers = Record<string, number | string>;

/** Feedback forms: players answer the open ones; the White Cell watches the counts and sends manual forms. */
/** How everyone answered a form, once the view carries it (after the game): the mean or the split per question. */
function formResults(f: FormView) {
  if (!f.results?.length) return nothing;
  return html`<p>How everyone answered:</p><ul class="form-results small">${f.results.map((r) => {
    const split = r.withheld
      ? 'too few answers to show how they split'
      : r.mean !== undefined
        ? `mean ${r.mean.toFixed(1)} of 5`
        : r.counts
          ? Object.entries(r.counts)
              .map(([o, n]) => `${o}: ${n}`)
              .join('; ')
          : '';
    const text = f.questions.find((q) => q.id === r.question)?.text ?? r.question;
    return html`<li>${text} — ${split}${split ? ' ' : ''}<span class="muted">(${r.n} answer${
      r.n === 1 ? '' : 's'
    })</span></li>`;
  })}</ul>`;
}

export class FormsPanel {
  private drafts: Record<string, Answers> = {};
  private busy = false;

  constructor(
    private conn: Connection,
    private seat: Seat,
  ) {}

  private async send(command: ClientCommandInput, ok: string) {
    this.busy = true;
    rerender();
    const res = await this.conn.send(command);
    this.busy = false;
    notify(res.ok ? ok : res.error.message, res.ok ? 'info' : 'error');
    rerender();
    return res.ok;
  }

  private question(key: string, q: FormView['questions'][number]) {
    if (!this.drafts[key]) this.drafts[key] = {};
    const d = this.drafts[key];
    const name = `${key}-${q.id}`;
    if (q.kind === 'text')
      return html`<label>${q.text} <textarea dir="auto" rows="2" maxlength="1000" .value=${String(d[q.id] ?? '')}
        @input=${(e: Event) => (d[q.id] = (e.target as HTMLTextAreaElement).value)}></textarea></label>`;
    const options =
      q.kind === 'likert'
        ? [1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) }))
        : (q.options ?? []).map((o) => ({ value: o, label: o }));
    const ends = q.kind === 'likert' ? (q.options?.length === 2 ? q.options : ['Not at all', 'Completely']) : null;
    return html`<fieldset class="question"><legend>${q.text}${
      ends ? html` <span class="muted small">(1: ${ends[0]}; 5: ${ends[1]})</span>` : nothing
    }</legend>
      <div class="row wrap">${options.map(
        (o) => html`<label><input type="radio" name=${name} .checked=${d[q.id] === o.value}
          @change=${() => {
            d[q.id] = o.value;
            rerender();
          }}> ${o.label}</label>`,
      )}</div></fieldset>`;
  }

  /**
   * On a team's Record tab the results come first (on a phone a long form would push them screens down); this line
   * at the top says a form waits below, and takes the player to it.
   */
  waiting(v: GameView): TemplateResult | typeof nothing {
    if (v.audience.kind !== 'team') return nothing;
    const open = v.record.forms.filter((f) => !f.answeredBy.includes(this.seat.playerId ?? '')).length;
    if (!open) return nothing;
    const go = () => {
      const h = document.getElementById('forms-h');
      h?.scrollIntoView({ block: 'start' });
      h?.focus({ preventScroll: true });
    };
    return html`<p class="callout">The White Cell asks for your feedback: ${open} form${open === 1 ? '' : 's'} below the
      record. <button type="button" class="link" @click=${go}>Go to the form${open === 1 ? '' : 's'}</button></p>`;
  }

  view(v: GameView): TemplateResult | typeof nothing {
    const forms = v.record.forms;
    const control = v.audience.kind === 'control';
    const answered = (f: FormView) => v.audience.kind === 'team' && f.answeredBy.includes(this.seat.playerId ?? '');
    if (!forms.length && !control) return nothing;
    return html`<section class="card forms" aria-labelledby="forms-h">
      <h2 id="forms-h" tabindex="-1">Feedback</h2>
      ${forms.length ? nothing : html`<p class="muted">No form is open.</p>`}
      ${
        // A player's open forms first; those answered fold to one line each under them, so a tab that has gathered a
        // form a round keeps what still needs doing (and the results above) near its top.
        [...forms.filter((f) => !answered(f)), ...forms.filter(answered)].map((f) => {
          const key = `${f.id}-${f.round}`;
          const title = `${f.title}${f.round ? ` (round ${f.round})` : ''}`;
          const head = html`<h3>${title}</h3>`;
          if (control)
            return html`${head}<p><strong>${f.responses}</strong> answer${f.responses === 1 ? '' : 's'} so far.</p>`;
          if (v.audience.kind !== 'team') return head;
          if (answered(f))
            return html`<details class="answered-form"><summary>Answered: ${title}</summary>
              <p class="muted">Thank you: your answers are in.</p>${formResults(f)}</details>`;
          const submit = async (e: Event) => {
            e.preventDefault();
            const answers = Object.fromEntries(
              Object.entries(this.drafts[key] ?? {}).filter(([, x]) => typeof x === 'number' || String(x).trim()),
            );
            await this.send({ type: 'form.answer', formId: f.id, round: f.round, answers }, 'Answers sent.');
          };
          return html`${head}<form class="stack" @submit=${submit}>${f.questions.map((q) => this.question(key, q))}
          <p><button type="submit" class="primary" ?disabled=${this.busy}>Send answers</button></p></form>`;
        })
      }
      ${
        control
          ? html`<p class="row wrap">${v.record.sendable.map(
              (f) => html`<button type="button" ?disabled=${this.busy}
                @click=${() => this.send({ type: 'form.send', formId: f.id }, `Sent “${f.title}”.`)}
                >Send “${f.title}” now</button>`,
            )}</p>`
          : nothing
      }
    </section>`;
  }
}
