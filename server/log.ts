// Structured logs: one JSON object per line on stdout, so any log shipper can read them without a parser. pino
// writes them: it serializes a line several times faster than JSON.stringify plus a blocking write, and writes
// them to stdout in chunks, which matters with one line per command at the default level.
import { pino, stdSerializers, stdTimeFunctions, destination, type DestinationStream } from 'pino';

export const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type Level = (typeof LEVELS)[number];

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

/** How long a line may wait in the buffer before it is written (the buffer is written sooner once it is full). */
const FLUSH_MS = 200;
/** Lines are written to stdout in chunks of at least this many bytes (or every FLUSH_MS). */
const CHUNK_BYTES = 8192;

/**
 * A logger at `level`. By default lines go to stdout asynchronously, a chunk at a time: at the default level a line
 * is written per command, and one write per line cost about 80 µs of a command's CPU, most of it the system call
 * (docs/performance.md). A line waits at most FLUSH_MS; the rest is flushed when the process exits, even by
 * process.exit (a kill -9 loses at most that much of the log, never a command). `write` sends each line to a
 * function instead (tests).
 */
export function createLogger(level: Level, write?: (line: string) => void): Logger {
  let pending = false;
  const out = write ? null : destination({ dest: 1, sync: false, minLength: CHUNK_BYTES });
  const stream: DestinationStream = out ?? { write: write! };
  if (out)
    setInterval(() => {
      if (!pending) return;
      pending = false;
      out.flush();
    }, FLUSH_MS).unref();
  const p = pino(
    {
      level,
      base: undefined,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Errors have no enumerable fields: log their name, message and stack instead of `{}`.
      serializers: { err: stdSerializers.err, error: stdSerializers.err },
    },
    stream,
  );
  // A line written marks the buffer for the next flush; a level that is off writes nothing and marks nothing.
  const at =
    (level: Exclude<Level, 'silent'>) =>
    (msg: string, fields?: Fields): void => {
      if (!p.isLevelEnabled(level)) return;
      p[level](fields ?? {}, msg);
      pending = true;
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const noop = () => {};
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
