// The edge of the socket protocol: a payload becomes a command only if its seat's role may send that type and it
// parses. The actor is never read from the payload; it comes from the seat.
import type { z } from 'zod';
import {
  CONTROL_COMMAND_TYPES,
  ControlCommand,
  OBSERVER_COMMAND_TYPES,
  PLAYER_COMMAND_TYPES,
  PlayerCommand,
} from '../../shared/commands.ts';
import type { ClientCommand, ErrorBody } from '../../shared/protocol.ts';
import type { Seat } from '../games/seat.ts';
import { inputShapeProblem } from '../input-shape.ts';

/** `id`: the client's id for this command, if it sent one (see docs/protocol.md, "Command ids and retries"). */
export type ParsedCommand = { ok: true; command: ClientCommand; id?: string } | { ok: false; error: ErrorBody };

/** What a command id may be: short, and safe in a log line and a stored event. */
export const COMMAND_ID = /^[A-Za-z0-9_-]{8,64}$/;

// ClientCommand's members by type, so that a bad payload is told what is wrong with it rather than "Invalid input"
// (a union's only message). chat.post is in both unions with the same shape.
const SCHEMAS = new Map<string, z.ZodType<ClientCommand>>();
for (const o of [...PlayerCommand.options, ...ControlCommand.options])
  if (!SCHEMAS.has(o.shape.type.value)) SCHEMAS.set(o.shape.type.value, o);

export function parseCommand(seat: Seat, payload: unknown): ParsedCommand {
  const type =
    typeof payload === 'object' && payload !== null && !Array.isArray(payload)
      ? (payload as { type?: unknown }).type
      : undefined;
  const schema = typeof type === 'string' ? SCHEMAS.get(type) : undefined;
  if (!schema) return refuse('BAD_COMMAND', 'type: not a command this server knows');
  if (seat.role === 'observer' && !OBSERVER_COMMAND_TYPES.has(type as string))
    return refuse('NOT_ALLOWED', 'Observers cannot act');
  if (
    seat.role !== 'observer' &&
    !(seat.role === 'control' ? CONTROL_COMMAND_TYPES : PLAYER_COMMAND_TYPES).has(type as string)
  ) {
    return refuse(
      'NOT_ALLOWED',
      seat.role === 'control' ? 'The White Cell does not play a team' : 'Only the White Cell can do that',
    );
  }
  // The id travels beside the command's own fields; the command schemas are strict, so it is taken off first.
  const { id, ...fields } = payload as { id?: unknown };
  if (id !== undefined && (typeof id !== 'string' || !COMMAND_ID.test(id)))
    return refuse('BAD_COMMAND', 'id: 8 to 64 letters, digits, "-" or "_"');
  const shape = inputShapeProblem(fields);
  if (shape) return refuse('BAD_COMMAND', shape);
  const parsed = schema.safeParse(fields);
  if (parsed.success)
    return id === undefined ? { ok: true, command: parsed.data } : { ok: true, command: parsed.data, id };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  return refuse('BAD_COMMAND', `${where}${issue?.message ?? 'invalid command'}`.slice(0, 200));
}

const refuse = (code: string, message: string): ParsedCommand => ({ ok: false, error: { code, message } });
