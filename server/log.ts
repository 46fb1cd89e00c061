// Structured logs: one JSON object per line on stdout, so any log shipper can read them without a parser.
export const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type Level = (typeof LEVELS)[number];

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(
  level: Level,
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const at =
    (lvl: Exclude<Level, 'silent'>) =>
    (msg: string, fields: Fields = {}) => {
      if (RANK[lvl] < RANK[level]) return;
      // time, level and msg come first, and a field of the same name cannot overwrite them.
      const { time: _t, level: _l, msg: _m, ...rest } = fields;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...rest }, errorsAsJson)}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Errors have no enumerable fields; log their name, message and stack instead of `{}`. */
function errorsAsJson(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

export const silentLogger: Logger = createLogger('silent');
