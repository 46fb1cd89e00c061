// A bot's next command, decided from its own team's view alone: the first thing its strategy still wants to do in
// this phase, or null when it has done everything. What it has already done is read back from the view (its deal of
// the round, its statement, its draft), so the answer is the same however often, and after however many restarts,
// it is asked. The command is a plain payload: the runner sends it through the players' own parser.
import type { BotLines } from '../../shared/scenario.ts';
import type { DealView } from '../../shared/views.ts';
import { dealSeenByAll, type Dice } from '../engine/index.ts';
import type { BotStrategy, BotTurn } from './strategy.ts';

export type BotPayload = { type: string } & Record<string, unknown>;

/** Where bots speak: the channel every team and the observers read. */
export const PUBLIC_CHANNEL = 'plenary';

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * `diceFor(purpose)` gives the dice for one kind of decision: each draws from its own stream, so a public choice (the
 * statement) and a hidden one (the moves) never share a draw.
 */
export function nextMove(
  strategy: BotStrategy,
  turn: Omit<BotTurn, 'dice'>,
  diceFor: (purpose: string) => Dice,
  botName: string,
  lines?: BotLines,
): BotPayload | null {
  const { view, team } = turn;
  const t = (purpose: string): BotTurn => ({ ...turn, dice: diceFor(purpose) });
  const round = view.game.round;
  const phase = view.game.phase;
  if (view.game.paused || !view.me) return null;

  if (phase === 'submission') {
    // The statement comes first, before anything the bot does in private, so when it is said tells nothing either.
    const said = view.messages.some(
      (m) => m.channel === PUBLIC_CHANNEL && m.from === team && m.round === round && m.name === botName,
    );
    const statement = said ? null : pickLine(t('statement'), lines);
    if (statement) return { type: 'chat.post', channel: PUBLIC_CHANNEL, text: statement };
  }

  if (phase === 'negotiation' || phase === 'submission') {
    // Answer every proposal addressed to this team, oldest first.
    const pending = view.deals.find(
      (d) => d.status === 'proposed' && d.from !== team && d.parties.includes(team) && !d.acceptedBy.includes(team),
    );
    if (pending)
      return {
        type: strategy.accepts(t(`accepts:${dealKey(pending)}`), pending) ? 'deal.accept' : 'deal.reject',
        dealId: pending.id,
      };
  }

  if (phase === 'negotiation') {
    const offered = view.deals.some((d) => d.from === team && d.proposedRound === round);
    const offer = offered ? null : strategy.offer(t('offer'));
    if (offer) return { type: 'deal.propose', ...offer };
    return null;
  }

  if (phase === 'submission') {
    const draft = view.me.draft;
    if (draft.locked) return null;
    const moves = strategy.moves(t('moves'));
    if (!sameSet(draft.overt, moves.overt) || !sameSet(draft.covert, moves.covert) || draft.freeform)
      return { type: 'draft.set', overt: moves.overt, covert: moves.covert, freeform: null };
    return { type: 'draft.lock' };
  }

  if (phase === 'adjudication') {
    const line = view.me.estimating.find((l) => l.freeform && !l.freeform.ruled && !(team in l.freeform.estimates));
    if (line) {
      const p = Math.min(1, Math.max(0, strategy.estimate(t(`estimate:${line.team}:${line.freeform!.text}`), line)));
      return { type: 'freeform.estimate', lineId: line.id, probability: Math.round(p * 100) / 100 };
    }
  }
  return null;
}

/**
 * A proposal as its dice know it: by what it says, not by its id, which is drawn at random (as are line ids), so
 * the same seed and the same play give a bot the same answers. Two proposals saying the same get the same answer.
 */
function dealKey(d: DealView): string {
  const obligations = d.obligations.map((o) => `${o.team}/${o.action}/${o.byRound}`).join(',');
  return `${d.from}>${d.parties.join(',')}:${obligations}:${d.secret ? 's' : 'p'}${d.snapback ? 'b' : ''}`;
}

/**
 * This round's statement, said in public, so chosen from what every seat sees (a secret deal or a turned-down
 * proposal is known to its parties alone, and a line that followed it would tell everyone): agreement if the team
 * is in a public deal made this round, refusal if another party broke a public deal with it, else an opening.
 */
function pickLine(t: BotTurn, lines: BotLines | undefined): string | null {
  if (!lines) return null;
  const round = t.view.game.round;
  const mine = t.view.deals.filter((d) => d.parties.includes(t.team) && dealSeenByAll(d));
  const pool = mine.some((d) => d.proposedRound === round)
    ? lines.agreed
    : mine.some((d) => d.breakers.some((b) => b !== t.team))
      ? lines.refused
      : lines.opening;
  const from = pool.length ? pool : lines.opening;
  return from.length ? from[Math.floor(t.dice.next() * from.length)] : null;
}
