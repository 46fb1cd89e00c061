// The White Cell's Seats tab: who has joined and whether they are online, the join codes, and new codes when one
// has leaked.
import { html, nothing } from 'lit';
import type { JoinCodes } from '../../../shared/protocol.ts';
import { sameName } from '../../../shared/format.ts';
import type { GameView } from '../../../shared/views.ts';
import { fetchCodes, movePlayer, removePlayer, renamePlayer, rotateCodes } from '../../lib/api.ts';
import { rerender } from '../../lib/app.ts';
import type { LiveState } from '../../lib/connection.ts';
import { teamName, time } from '../../lib/format.ts';
import { notify } from '../../lib/notify.ts';
import { getCodes, type Seat } from '../../lib/seats.ts';
import { codesPanel } from '../../parts/codes.ts';
import type { Sender } from '../../parts/console.ts';
import { SeatMenu } from './seat-menu.ts';

export class SeatsTab {
  private codes: JoinCodes | null = null;
  private revokeSeats = false;
  private menu: SeatMenu;
  private removing: string | null = null;
  /** The player whose name or seat is being changed, and what was typed or picked so far. */
  private renaming: { id: string; name: string } | null = null;
  private moving: { id: string; to: string } | null = null;

  constructor(
    private seat: Seat,
    private sender: Sender,
  ) {
    this.menu = new SeatMenu(seat, sender);
    fetchCodes(seat.gameId, seat.token).then(
      (c) => {
        this.codes = c;
        rerender();
      },
      () => {
        /* another facilitator's seat may not read them */
      },
    );
  }

  view(v: GameView, s: LiveState) {
    const c = v.control!;
    const kept = getCodes(this.seat.gameId);
    const codes = this.codes ?? kept?.codes ?? null;
    const presence = new Map((s.presence ?? []).map((p) => [p.playerId, p]));
    const role = (r: string) => (r === 'control' ? 'White Cell' : r === 'observer' ? 'Observer' : teamName(v, r));
    return html`${this.menu.view(v)}<section class="card"><h2>Who is here</h2>
        ${
          c.players.length
            ? html`<div class="table-fit"><table class="table players-table"><thead><tr><th scope="col">Name</th><th scope="col">Seat</th><th
            scope="col">Connection</th><th scope="col">Seated since</th><th scope="col"><span
            class="sr-only">Actions</span></th></tr></thead>
          <tbody>${c.players.map((p) => {
            const on = presence.get(p.id);
            return html`<tr><td>${p.name}</td><td>${role(p.role)}</td>
              <td>${
                !p.seated
                  ? html`<span class="muted">left</span>`
                  : p.bot
                    ? html`<span class="online">bot, on the server</span>`
                    : on
                      ? html`<span class="online">online${on.sockets > 1 ? ` (${on.sockets} tabs)` : ''}</span>`
                      : s.presence
                        ? html`<span class="offline">offline</span>`
                        : html`<span class="muted">unknown</span>`
              }</td>
              <td>${time(p.joinedAt)}${p.bot ? html` <span class="badge bot">bot: ${p.bot}</span>` : nothing}${
                p.whiteCell ? html` <span class="badge wc">White Cell</span>` : nothing
              }</td>
              <td>${
                p.seated && !p.bot
                  ? html`<span class="seat-tools">${this.renameTools(p)}${this.moveTools(v, p)}${
                      // The server refuses to remove the White Cell member asking (it answers "no such player").
                      this.isMe(p) ? nothing : this.removeTools(p)
                    }</span>`
                  : nothing
              }</td></tr>`;
          })}</tbody></table></div>`
            : html`<p class="muted">No one has joined yet.</p>`
        }
        <p class="muted small">Seats held now, by team (a bot's and the White Cell's included): ${v.teams
          .map((t) => `${t.short} ${t.players}`)
          .join(' · ')}</p>
      </section>
      ${
        codes
          ? html`<section><h2>Join codes</h2>${codesPanel({
              codes,
              title: v.game.title,
              teams: v.teams.map((t) => ({ id: t.id, name: t.name, color: t.color })),
            })}</section>`
          : html`<section class="card"><h2>Join codes</h2><p class="help">This seat cannot read the current codes
              (it joined with a recovery code, or was moved to the White Cell). Ask a White Cell member who joined
              with the White Cell code, or press <strong>Issue new codes</strong> below: you get fresh codes for
              every seat, players already seated keep their seats, and the other White Cell members can no longer
              read the codes.</p></section>`
      }
      <section class="card" aria-labelledby="rotate-h"><h2 id="rotate-h">If a code has leaked</h2>
        <p class="help">New codes stop the old ones from seating anyone.
          Players already seated stay, unless you also sign them out.</p>
        <label><input type="checkbox" .checked=${this.revokeSeats} @change=${(e: Event) => {
          this.revokeSeats = (e.target as HTMLInputElement).checked;
        }}>
          Also sign out every other seat (they must join again with the new codes)</label>
        <p><button type="button" ?disabled=${this.sender.busy} @click=${() => this.rotate()}
          >Issue new codes</button></p>
      </section>`;
  }

  /**
   * This browser's own player. A seat kept before its creator's player id was known (an older game, a fork) knows
   * only its name: at the White Cell, names are unique (capitals aside), so the name finds the row.
   */
  private isMe(p: { id: string; name: string; role: string }) {
    const mine = this.seat.playerId;
    return mine ? p.id === mine : p.role === 'control' && sameName(p.name, this.seat.name);
  }

  /** Remove, asked about first: the player's links stop working (they may join again with the code as someone new). */
  private removeTools(p: { id: string; name: string }) {
    if (this.removing !== p.id)
      return html`<button type="button" class="small" aria-label="Remove ${p.name}" @click=${() => {
        this.removing = p.id;
        this.renaming = null;
        this.moving = null;
        rerender();
      }}>Remove</button>`;
    return html`<span class="confirm" role="alertdialog" aria-label="Remove ${p.name}?">Remove ${p.name}?
      <button type="button" class="danger small" ?disabled=${this.sender.busy} @click=${() => this.remove(p)}
        >Yes, remove</button>
      <button type="button" class="small" @click=${() => {
        this.removing = null;
        rerender();
      }}>No</button></span>`;
  }

  /** Rename: the new name is typed in place; every screen that shows the player shows it. */
  private renameTools(p: { id: string; name: string }) {
    const r = this.renaming;
    if (r?.id !== p.id)
      return html`<button type="button" class="small" aria-label="Rename ${p.name}" @click=${() => {
        this.renaming = { id: p.id, name: p.name };
        this.moving = null;
        this.removing = null;
        rerender();
      }}>Rename</button>`;
    return html`<form class="confirm" aria-label="Rename ${p.name}" @submit=${(e: Event) => {
      e.preventDefault();
      void this.rename(p);
    }}><label>New name for ${p.name} <input type="text" name="name" required maxlength="40" .value=${r.name}
        @input=${(e: Event) => {
          r.name = (e.target as HTMLInputElement).value;
        }}></label>
      <button type="submit" class="small" ?disabled=${this.sender.busy}>Save name</button>
      <button type="button" class="small" @click=${() => {
        this.renaming = null;
        rerender();
      }}>Cancel</button></form>`;
  }

  /** Move, asked about first: the player's screen reloads as the new seat's, with the same link. */
  private moveTools(v: GameView, p: { id: string; name: string; role: string }) {
    const m = this.moving;
    if (m?.id !== p.id)
      return html`<button type="button" class="small" @click=${() => {
        this.moving = { id: p.id, to: '' };
        this.renaming = null;
        this.removing = null;
        rerender();
      }}>Move to…<span class="sr-only"> (${p.name})</span></button>`;
    const seats = [
      ...v.teams.map((t) => ({ id: t.id, name: t.name })),
      { id: 'control', name: 'White Cell' },
      { id: 'observer', name: 'Observers' },
    ].filter((x) => x.id !== p.role);
    return html`<form class="confirm" aria-label="Move ${p.name}" @submit=${(e: Event) => {
      e.preventDefault();
      void this.move(p);
    }}><label>Move ${p.name} to <select name="to" required @change=${(e: Event) => {
      m.to = (e.target as HTMLSelectElement).value;
      rerender();
    }}><option value="" ?selected=${m.to === ''}>Pick a seat…</option>${seats.map(
      (x) => html`<option value=${x.id} ?selected=${m.to === x.id}>${x.name}</option>`,
    )}</select></label>
      <button type="submit" class="small" ?disabled=${this.sender.busy || !m.to}>Yes, move</button>
      <button type="button" class="small" @click=${() => {
        this.moving = null;
        rerender();
      }}>Cancel</button></form>`;
  }

  private async rename(p: { id: string; name: string }) {
    const name = this.renaming?.name.trim() ?? '';
    if (!name) return notify('Type a name.', 'error');
    await this.busyWith(async () => {
      const res = await renamePlayer(this.seat.gameId, this.seat.token, p.id, name);
      notify(`${p.name} is now ${res.name}.`);
      this.renaming = null;
    }, 'The player could not be renamed.');
  }

  private async move(p: { id: string; name: string }) {
    const to = this.moving?.to;
    if (!to) return;
    await this.busyWith(async () => {
      await movePlayer(this.seat.gameId, this.seat.token, p.id, to);
      notify(`${p.name} has been moved.`);
      this.moving = null;
    }, 'The player could not be moved.');
  }

  /** Runs a seat change with the console busy, and says what went wrong if it failed (the form stays open). */
  private async busyWith(run: () => Promise<void>, fallback: string) {
    this.sender.busy = true;
    rerender();
    try {
      await run();
    } catch (err) {
      notify(err instanceof Error ? err.message : fallback, 'error');
    } finally {
      this.sender.busy = false;
      rerender();
    }
  }

  private async remove(p: { id: string; name: string }) {
    this.sender.busy = true;
    rerender();
    try {
      await removePlayer(this.seat.gameId, this.seat.token, p.id);
      notify(`${p.name} has been removed.`);
    } catch (err) {
      notify(err instanceof Error ? err.message : 'The player could not be removed.', 'error');
    } finally {
      this.sender.busy = false;
      this.removing = null;
      rerender();
    }
  }

  private async rotate() {
    this.sender.busy = true;
    rerender();
    try {
      const res = await rotateCodes(this.seat.gameId, this.seat.token, this.revokeSeats);
      this.codes = res.codes;
      notify(
        `New codes issued${res.revoked ? `; ${res.revoked} seat(s) signed out` : ''}.${
          res.rekeyed ? ' Only you can read them: print or share them now.' : ''
        }`,
      );
    } catch (err) {
      notify(err instanceof Error ? err.message : 'The codes could not be rotated.', 'error');
    } finally {
      this.sender.busy = false;
      rerender();
    }
  }
}
