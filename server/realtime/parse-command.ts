// The edge of the socket protocol: a payload becomes a command only if its seat's role may send that type and it
// parses. The actor is never read from the payload; it comes from the seat.
import type { z } from 'zod';
import { ControlCommand, ObserverCommand, PlayerCommand } from '../../shared/commands.ts';
import type { ClientCommand, ErrorBody } from '../../shared/protocol.ts';
import type { Seat } from '../games/seat.ts';

export type ParsedCommand = { ok: true; command: ClientCommand } | { ok: false; error: ErrorBody };

// ClientCommand's members by type, so that a bad payload is told what is wrong with it rather than "Invalid input"
// (a union's only message). chat.post is in both unions with the same shape.
const SCHEMAS = new Map<string, z.ZodType<ClientCommand>>();
for (const o of [...PlayerCommand.options, ...ControlCommand.options])
  if (!SCHEMAS.has(o.shape.type.value)) SCHEMAS.set(o.shape.type.value, o);
const PLAYER_TYPES = new Set<string>(PlayerCommand.options.map((o) => o.shape.type.value));
const CONTROL_TYPES = new Set<string>(ControlCommand.options.map((o) => o.shape.type.value));
/** Observers play no part, but keep rapporteur notes. */
const OBSERVER_TYPES = new Set<string>(ObserverCommand.options.map((o) => o.shape.type.value));

export function parseCommand(seat: Seat, payload: unknown): ParsedCommand {
  const type =
    typeof payload === 'object' && payload !== null && !Array.isArray(payload)
      ? (payload as { type?: unknown }).type
      : undefined;
  const schema = typeof type === 'string' ? SCHEMAS.get(type) : undefined;
  if (!schema) return refuse('BAD_COMMAND', 'type: not a command this server knows');
  if (seat.role === 'observer' && !OBSERVER_TYPES.has(type as string))
    return refuse('NOT_ALLOWED', 'Observers cannot act');
  if (seat.role !== 'observer' && !(seat.role === 'control' ? CONTROL_TYPES : PLAYER_TYPES).has(type as string)) {
    return refuse(
      'NOT_ALLOWED',
      seat.role === 'control' ? 'The White Cell does not play a team' : 'Only the White Cell can do that',
    );
  }
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { ok: true, command: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  return refuse('BAD_COMMAND', `${where}${issue?.message ?? 'invalid command'}`.slice(0, 200));
}

const refuse = (code: string, message: string): ParsedCommand => ({ ok: false, error: { code, message } });
