// One JSON log line and one metrics sample per command, wherever it ended: refused at the edge or decided.
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';

export interface CommandRecord {
  game: string;
  /** 'team:us', 'control', 'observer' or 'system'. */
  role: string;
  player: string | null;
  command: string;
  /** 'ok' or the error code. */
  outcome: string;
  ms: number;
  version?: number;
  /** The client's address, on commands refused at the edge (docs/operations.md, "Limits"). */
  ip?: string;
}

export function recordCommand(log: Logger, metrics: Metrics, r: CommandRecord): void {
  metrics.commands.inc({ outcome: r.outcome });
  metrics.commandSeconds.observe(r.ms / 1000);
  log.info('command', { ...r, ms: Math.round(r.ms * 1000) / 1000 });
}

/** A command's type for the log, from a payload that may be anything. */
export function commandLabel(payload: unknown): string {
  const type = typeof payload === 'object' && payload !== null ? (payload as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type.slice(0, 40) : `(${payload === null ? 'null' : typeof payload})`;
}
