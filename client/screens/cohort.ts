// The instructor's dashboard: every cell at a glance (phase, clock, seats, locks, key meters), commands for all cells
// or a chosen set, one announcement to all, students placed and moved, and a way into any cell's White Cell console.
// It polls the server every two seconds: a handful of small JSON answers however many cells there are.
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { CellSummary, CohortActBody, CohortSummary } from '../../shared/cohorts.ts';
import { serverNow } from '../lib/api.ts';
import { rerender, type Screen } from '../lib/app.ts';
import {
  cellConsole,
  cohortAct,
  cohortAnnounce,
  cohortSummary,
  instructorToken,
  moveStudent,
  rejoinStudent,
  removeStudent,
  setJoining,
} from '../lib/cohort-api.ts';
import { clock as clockText } from '../lib/format.ts';
import { endsEarly } from '../../shared/phases.ts';
import { notify } from '../lib/notify.ts';
import { putSeat } from '../lib/seats.ts';
import { addressHint, copy, qr, seminarUrl } from '../parts/codes.ts';

const POLL_MS = 2000;
const cells = (n: number) => `${n} cell${n === 1 ? '' : 's'}`;
const PHASE: Record<string, string> = {
  lobby: 'Waiting to start',
  briefing: 'Briefing',
  injects: 'Injects',
  negotiation: 'Negotiation',
  submission: 'Submission',
  adjudication: 'Adjudication',
  reveal: 'Reveal',
  debrief: 'Debrief',
  ended: 'Ended',
};
const COMMANDS: { command: CohortActBody['command']; label: string }[] = [
  { command: 'game.start', label: 'Start' },
  { command: 'game.pause', label: 'Pause' },
  { command: 'game.resume', label: 'Resume' },
  { command: 'phase.advance', label: 'Advance' },
];

function clock(c: CellSummary): string {
  // A paused clock shows what it had left when it stopped, as the cell's own consoles do.
  if (c.paused) return c.remaining === null ? 'stopped' : `${clockText(c.remaining)} left, stopped`;
  if (c.deadline === null) return '—';
  return clockText(c.deadline - serverNow());
}

export class CohortScreen implements Screen {
  private token: string | null;
  private data: CohortSummary | null = null;
  private error: string | null = null;
  private selected = new Set<number>();
  private text = '';
  private busy = false;
  private move = { student: '', cell: 0, team: '' };
  /** Ways back in the instructor has made this visit, by student: links to hand over, one each. */
  private wayBack = new Map<string, string>();
  /** The student whose removal is being asked about. */
  private removing: string | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private cohortId: string) {
    this.token = instructorToken(cohortId);
    document.title = 'Flywheel: seminar dashboard';
    if (!this.token) return;
    void this.refresh();
    this.timer = setInterval(() => {
      if (document.visibilityState === 'visible') void this.refresh();
    }, POLL_MS);
  }

  dispose() {
    clearInterval(this.timer);
  }

  private async refresh() {
    try {
      this.data = await cohortSummary(this.cohortId, this.token!);
      this.error = null;
      document.title = `${this.data.title} · seminar dashboard`;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
    rerender();
  }

  /** `done`: the message when every cell answered ok (else "<what>: done in N cells."). */
  private async run(
    what: string,
    job: () => Promise<{ cell: number; ok: boolean; error?: { message: string } }[]>,
    done?: string,
  ) {
    this.busy = true;
    rerender();
    try {
      const out = await job();
      const failed = out.filter((o) => !o.ok);
      const label = (i: number) => this.data?.cells[i]?.label ?? String(i);
      if (failed.length)
        notify(
          `${what}: ${cells(out.length - failed.length)} done; ` +
            failed.map((f) => `${label(f.cell)}: ${f.error?.message}`).join('; '),
          'error',
        );
      else notify(done ?? `${what}: done in ${cells(out.length)}.`);
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), 'error');
    } finally {
      this.busy = false;
      await this.refresh();
    }
  }

  private act(command: CohortActBody['command'], label: string) {
    const cells = this.selected.size ? [...this.selected] : undefined;
    return this.run(label, () => cohortAct(this.cohortId, this.token!, { command, ...(cells ? { cells } : {}) }));
  }

  /**
   * Moves the student the form's selects show as it is submitted: read from the form itself, not from anything
   * rendered earlier, so a choice made just before pressing Move (by mouse or keyboard) is the one sent, whatever the
   * two-second poll redrew meanwhile.
   */
  private submitMove(e: SubmitEvent) {
    e.preventDefault();
    const d = this.data;
    const form = e.currentTarget as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLSelectElement).value;
    const move = { student: value('student'), cell: Number(value('cell')), team: value('team') };
    this.move = move;
    const name = d?.students.find((s) => s.id === move.student)?.name ?? move.student;
    const label = d?.cells[move.cell]?.label ?? String(move.cell);
    const team = d?.teams.find((t) => t.id === move.team)?.name ?? move.team;
    void this.run(
      'Move',
      async () => {
        await moveStudent(this.cohortId, this.token!, move.student, { cell: move.cell, team: move.team });
        return [{ cell: move.cell, ok: true }];
      },
      `Moved ${name} to cell ${label} as ${team}.`,
    );
  }

  private async openConsole(cell: number) {
    try {
      const seat = await cellConsole(this.cohortId, this.token!, cell);
      putSeat('control', seat);
      window.open(`/game/${encodeURIComponent(seat.gameId)}/control`, '_blank');
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), 'error');
    }
  }

  private cellCard(c: CellSummary) {
    const d = this.data!;
    const id = `cell-${c.cell}`;
    return html`<article class="card cell-card ${c.paused ? 'paused' : ''}" aria-labelledby=${`${id}-h`}
      data-cell=${c.cell}>
      <h2 id=${`${id}-h`}><label><input type="checkbox" .checked=${this.selected.has(c.cell)} @change=${(e: Event) => {
        if ((e.target as HTMLInputElement).checked) this.selected.add(c.cell);
        else this.selected.delete(c.cell);
        rerender();
      }} /> Cell ${c.label}</label></h2>
      <p class="cell-phase"><strong>${c.paused ? 'Paused' : (PHASE[c.phase] ?? c.phase)}</strong>${
        c.paused && c.pausedFrom ? ` (from ${PHASE[c.pausedFrom] ?? c.pausedFrom})` : nothing
      }${c.round ? html` · round ${c.round}/${c.rounds}` : nothing}</p>
      <p class="small">Clock <span class="mono">${clock(c)}</span> · seated ${c.seated}/${c.teams.length}
        · locked ${c.locked}/${c.seated}
        · ${c.students}\u00a0student${c.students === 1 ? '' : 's'}${
          c.online !== null && c.students ? ` (${c.online}\u00a0online)` : ''
        }</p>
      <ul class="cell-teams" aria-label="Teams in cell ${c.label}">${c.teams.map((t) => {
        const team = d.teams.find((x) => x.id === t.id);
        return html`<li style="--team:${team?.color ?? '#888'}" title=${team?.name ?? t.id}><span class="dot"
          aria-hidden="true"></span>${t.short}
          ${
            t.bot
              ? html`<span class="badge bot">bot</span>`
              : t.whiteCell
                ? html`<span class="badge wc">WC</span>`
                : t.players
                  ? nothing
                  : html`<span class="badge warn">empty</span>`
          }
          ${t.submitted ? html`<span class="badge ok">locked</span>` : nothing}</li>`;
      })}</ul>
      <dl class="cell-meters">${c.meters.map((m) => html`<div><dt>${m.name}</dt><dd>${m.value}</dd></div>`)}</dl>
      ${c.ending ? html`<p><span class="badge ok">${c.ending.name}</span> in round ${c.ending.round}</p>` : nothing}
      ${
        // An ending before the last round holds the reveal, with no clock, until someone decides (docs/seminars.md).
        endsEarly(c) && c.phase === 'reveal' && c.deadline === null
          ? html`<p class="callout small held">Waiting for you: <em>advance</em> ends this cell here; its White Cell
              console can play on.</p>`
          : nothing
      }
      <p><button type="button" class="link" @click=${() => this.openConsole(c.cell)}
        >Open cell ${c.label}'s White Cell console</button></p>
    </article>`;
  }

  /**
   * Joining open or closed. Closed once everyone is in, the link seats nobody new, so nobody can join again under
   * other names to reach another team; students already in keep finding their seats.
   */
  private joiningControl(open: boolean) {
    const toggle = () =>
      void (async () => {
        this.busy = true;
        rerender();
        try {
          await setJoining(this.cohortId, this.token!, !open);
          notify(open ? 'Joining closed: the link seats nobody new.' : 'Joining open: the link seats new students.');
        } catch (err) {
          notify(err instanceof Error ? err.message : String(err), 'error');
        } finally {
          this.busy = false;
          await this.refresh();
        }
      })();
    return html`<p class="joining">${
      open
        ? html`<strong>Joining is open.</strong> Once everyone is in, close it: a name typed later gets no seat, so
            nobody can join again under other names to reach another team.`
        : html`<strong>Joining is closed.</strong> Students already in find their seats; new names are turned away.`
    }
      <button type="button" class="small" ?disabled=${this.busy} @click=${toggle}
        >${open ? 'Close joining' : 'Open joining'}</button></p>`;
  }

  /** Remove, asked about first: the student's seat closes for good. */
  private removeCell(student: string, name: string) {
    if (this.removing !== student)
      // The row names the student: the button says what it does, and tells a screen reader whom to.
      return html`<button type="button" class="small" aria-label="Remove ${name}" ?disabled=${this.busy} @click=${() => {
        this.removing = student;
        rerender();
      }}>Remove</button>`;
    return html`<span class="confirm" role="alertdialog" aria-label="Remove ${name}?">Remove ${name}?
      <button type="button" class="danger small" ?disabled=${this.busy} @click=${async () => {
        this.busy = true;
        rerender();
        try {
          await removeStudent(this.cohortId, this.token!, student);
          notify(`${name} has been removed.`);
        } catch (err) {
          notify(err instanceof Error ? err.message : String(err), 'error');
        } finally {
          this.busy = false;
          this.removing = null;
          await this.refresh();
        }
      }}>Yes, remove</button>
      <button type="button" class="small" @click=${() => {
        this.removing = null;
        rerender();
      }}>No</button></span>`;
  }

  /** A student's way back in: a button, then the link to hand over (it opens their seat, so to them alone). */
  private wayBackCell(student: string, name: string) {
    const link = this.wayBack.get(student);
    if (link)
      return html`<button type="button" class="small" aria-label="Copy link for ${name}" @click=${() =>
        copy(link, `${name}'s way back in`)}>Copy link</button>`;
    return html`<button type="button" class="small" ?disabled=${this.busy} @click=${async () => {
      const d = this.data;
      if (!d?.joinCode) return notify('The seminar link cannot be read with this token.', 'error');
      try {
        const { studentToken } = await rejoinStudent(this.cohortId, this.token!, student);
        this.wayBack.set(student, `${seminarUrl(d.joinCode)}#student=${encodeURIComponent(studentToken)}`);
        rerender();
      } catch (err) {
        notify(err instanceof Error ? err.message : String(err), 'error');
      }
    }} aria-label="Way back in for ${name}">Way back in</button>`;
  }

  view() {
    const top = html`<header class="top"><div class="brand">Flywheel</div></header>`;
    if (!this.token)
      return html`${top}<main id="main" class="page narrow"><h1>No instructor's seat here</h1>
        <p>This browser does not hold the instructor's token for this seminar.
          Open the dashboard in the browser that created it.</p></main>`;
    const d = this.data;
    if (!d)
      return html`${top}<main id="main" class="page narrow"><h1>Seminar dashboard</h1><p>${
        this.error ?? 'Loading…'
      }</p></main>`;
    // The server's PUBLIC_URL when it is set, as on a game's codes page: "localhost" reaches no student's phone.
    const link = d.joinCode ? seminarUrl(d.joinCode) : null;
    const scope = this.selected.size
      ? `${this.selected.size} selected cell${this.selected.size === 1 ? '' : 's'}`
      : 'every cell';
    const moveTeam = this.move.team || d.teams[0]?.id || '';
    return html`${top}<main id="main" class="page wide cohort">
      <h1>${d.title}</h1>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <section class="card" aria-labelledby="join-h"><h2 id="join-h">Students join here</h2>
        ${
          link
            ? html`<div class="seminar-link"><div><p><code class="big-code">${link}</code></p>
                <p><button type="button" class="small" @click=${() => copy(link, 'The seminar link')}>Copy the
                  link</button> <span class="help">Put it on the screen or in the course chat; students can also
                  scan the code.</span></p>${addressHint()}</div>${qr(link)}</div>`
            : html`<p class="muted">The link cannot be read with this token.</p>`
        }
        ${
          // Read aloud or written on the board: a student opens /join and types it, as with a game's short code.
          d.shortCode
            ? html`<p class="seminar-code">Or open <strong>/join</strong> and type the seminar code
                <code class="short-code">${d.shortCode}</code>
                <button type="button" class="small" @click=${() => copy(d.shortCode!, 'The seminar code')}>Copy the
                  code</button></p>`
            : nothing
        }
        <p class="small">${d.students.length} joined · ${d.cells.length} cells · bots in empty seats: ${
          d.bots ?? 'none'
        }
          · <a href="/cohort/${d.cohortId}/debrief">Comparative debrief</a></p>
        ${this.joiningControl(d.joiningOpen)}</section>
      <div class="cols cohort-top"><section class="card cohort-controls" aria-labelledby="ctl-h"><h2 id="ctl-h">Commands for ${scope}</h2>
        <div class="button-row">${COMMANDS.map(
          (x) =>
            html`<button type="button" ?disabled=${this.busy} @click=${() => this.act(x.command, x.label)}
              >${x.label} ${scope}</button>`,
        )}
          ${
            this.selected.size
              ? html`<button type="button" class="link" @click=${() => {
                  this.selected.clear();
                  rerender();
                }}>Clear the selection</button>`
              : nothing
          }</div></section>
      <section class="card" aria-labelledby="announce-h"><h2 id="announce-h">Announce</h2>
        ${
          // The server posts an announcement in every cell (its route takes no cells): so it stands apart from the
          // commands beside it, which go to the ticked cells, and says so when some are ticked.
          this.selected.size ? html`<p class="small muted">Goes to every cell, not only the ticked ones.</p>` : nothing
        }
        <form class="announce-form" @submit=${(e: Event) => {
          e.preventDefault();
          const text = this.text.trim();
          if (!text) return;
          void this.run('Announcement', () => cohortAnnounce(this.cohortId, this.token!, { text })).then(() => {
            this.text = '';
            rerender();
          });
        }}>
          <label for="announce-text">Announcement to every cell</label>
          <input id="announce-text" maxlength="2000" .value=${live(this.text)} @input=${(e: Event) => {
            this.text = (e.target as HTMLInputElement).value;
          }} />
          <button type="submit" ?disabled=${this.busy}>Announce to every cell</button>
        </form></section></div>
      <div class="cell-grid">${d.cells.map((c) => this.cellCard(c))}</div>
      <section class="card" aria-labelledby="students-h"><h2 id="students-h">Students</h2>
        ${
          d.students.length
            ? html`<div class="table-fit"><table class="table students-table"><thead><tr><th scope="col">Name</th><th scope="col">Cell</th><th
            scope="col">Team</th><th scope="col">On another device</th><th scope="col">Remove</th></tr></thead>
          <tbody>${d.students.map(
            (s) =>
              // Whether the student is connected goes under the name: a column of its own was too wide for a phone.
              html`<tr><td>${s.name}${
                s.online === null
                  ? nothing
                  : html`<br /><span class="small ${s.online ? 'online' : 'offline'}">${
                      s.online ? 'online' : 'offline'
                    }</span>`
              }</td><td>${d.cells[s.cell]?.label}</td><td>${
                d.teams.find((t) => t.id === s.team)?.short ?? s.team
              }</td><td>${this.wayBackCell(s.id, s.name)}</td><td>${this.removeCell(s.id, s.name)}</td></tr>`,
          )}</tbody></table></div>
        <p class="help">A name opens no seat a second time: a student on another device (a lost phone, a cleared
          browser) asks you for a way back in, a link for them alone. Remove a name someone joined only to reach
          another team, or a student who has left: their seat closes and the seminar's bot takes the team back.</p>
        <form class="move" @submit=${(e: SubmitEvent) => this.submitMove(e)}>
          <label for="mv-student">Move</label>
          <select id="mv-student" name="student" @change=${(e: Event) => {
            this.move.student = (e.target as HTMLSelectElement).value;
          }}>${repeat(
            d.students,
            (s) => s.id,
            (s) => html`<option value=${s.id} ?selected=${s.id === this.move.student}>${s.name}</option>`,
          )}</select>
          <label for="mv-cell">to cell</label>
          <select id="mv-cell" name="cell" @change=${(e: Event) => {
            this.move.cell = Number((e.target as HTMLSelectElement).value);
          }}>${d.cells.map(
            (c) => html`<option value=${c.cell} ?selected=${c.cell === this.move.cell}>${c.label}</option>`,
          )}</select>
          <label for="mv-team">as</label>
          <select id="mv-team" name="team" @change=${(e: Event) => {
            this.move.team = (e.target as HTMLSelectElement).value;
          }}>${repeat(
            d.teams,
            (t) => t.id,
            (t) => html`<option value=${t.id} ?selected=${t.id === moveTeam}>${t.name}</option>`,
          )}</select>
          <button type="submit" ?disabled=${this.busy}>Move</button>
        </form>`
            : html`<p class="muted">Nobody has joined yet.</p>`
        }
        ${
          // A removed name stays taken (a student cannot join under it again): listed, so that "name taken" has a why.
          d.removed?.length
            ? html`<h3 id="removed-h">Removed</h3>
              <p class="help">Their seats are closed and their names stay taken: nobody can join under them again.</p>
              <ul class="removed-list" aria-labelledby="removed-h">${d.removed.map((r) => html`<li>${r.name}</li>`)}</ul>`
            : nothing
        }
      </section>
    </main>`;
  }
}
