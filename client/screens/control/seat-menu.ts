// Who plays each team: its own people, a bot with a strategy, or the White Cell itself. A team that did not come is
// handed to a bot or played by a facilitator, and handed back at any time.
import { html, nothing } from 'lit';
import type { BotStrategyInfo, SeatAssignBody } from '../../../shared/seat-assignment.ts';
import type { GameView } from '../../../shared/views.ts';
import { rerender } from '../../lib/app.ts';
import { assignSeat, gameStrategies } from '../../lib/cohort-api.ts';
import { notify } from '../../lib/notify.ts';
import { putSeat, type Seat } from '../../lib/seats.ts';
import { teamChip } from '../../parts/common.ts';
import type { Sender } from '../../parts/console.ts';

export class SeatMenu {
  private strategies: BotStrategyInfo[] = [];
  private pickStrategy: Record<string, string> = {};

  constructor(
    private seat: Seat,
    private sender: Sender,
  ) {
    // The strategies that fit the scenario this game was made with.
    gameStrategies(seat.gameId, seat.token).then(
      (list) => {
        this.strategies = list;
        rerender();
      },
      () => {
        /* the seat menu then offers no bots */
      },
    );
  }

  view(v: GameView) {
    const c = v.control!;
    const over = v.game.phase === 'ended';
    const busy = this.sender.busy;
    return html`<section class="card" aria-labelledby="seat-menu-h"><h2 id="seat-menu-h">Who plays each team</h2>
      <p class="help">A team that did not come can be played by a bot or by you.
        Hand it back to its people at any time.</p>
      <div class="table-fit"><table class="table seat-menu"><thead><tr><th scope="col">Team</th><th scope="col">Played by</th>
        <th scope="col">Change</th></tr></thead>
      <tbody>${v.teams.map((t) => {
        const bot = c.players.find((p) => p.seated && p.role === t.id && p.bot);
        const pick = this.pickStrategy[t.id] ?? this.strategies[0]?.id ?? '';
        const by = bot
          ? html`<span class="badge bot">bot</span> ${this.strategies.find((x) => x.id === bot.bot)?.name ?? bot.bot}`
          : t.whiteCell
            ? html`<span class="badge wc">White Cell</span>`
            : t.players
              ? `${t.players} player${t.players === 1 ? '' : 's'}`
              : html`<span class="warn">nobody</span>`;
        return html`<tr data-team=${t.id}><th scope="row">${teamChip(v, t.id, false)}</th><td>${by}</td>
          <td class="seat-actions">
            <label class="sr-only" for="strategy-${t.id}">Bot strategy for ${t.name}</label>
            <select id="strategy-${t.id}" ?disabled=${over || !this.strategies.length} @change=${(e: Event) => {
              this.pickStrategy[t.id] = (e.target as HTMLSelectElement).value;
              rerender();
            }}>${this.strategies.map(
              (x) => html`<option value=${x.id} ?selected=${x.id === pick} title=${x.summary}>${x.name}</option>`,
            )}</select>
            <button type="button" ?disabled=${busy || over || !pick}
              @click=${() => this.assign(t.id, { by: 'bot', strategy: this.pickStrategy[t.id] ?? pick })}>
              Give to a bot</button>
            <button type="button" ?disabled=${busy || over} @click=${() => this.assign(t.id, { by: 'whiteCell' })}>
              Play it yourself</button>
            ${
              bot || t.whiteCell
                ? html`<button type="button" ?disabled=${busy || over}
                    @click=${() => this.assign(t.id, { by: 'players' })}>Hand back to its players</button>`
                : nothing
            }
          </td></tr>`;
      })}</tbody></table></div></section>`;
  }

  private async assign(team: string, body: SeatAssignBody) {
    this.sender.busy = true;
    rerender();
    try {
      const res = await assignSeat(this.seat.gameId, team, this.seat.token, body);
      if (res.seat) {
        // The team's console opens in a tab of its own, on a seat this browser now holds.
        putSeat(team, { ...res.seat, playerId: res.seat.playerId });
        window.open(`/game/${encodeURIComponent(res.seat.gameId)}/${encodeURIComponent(team)}`, '_blank');
        notify('You play this team now: its console opened in a new tab.');
      } else notify(body.by === 'bot' ? 'A bot plays this team now.' : 'The seat is back with its players.');
    } catch (err) {
      notify(err instanceof Error ? err.message : 'The seat could not be changed.', 'error');
    } finally {
      this.sender.busy = false;
      rerender();
    }
  }
}
