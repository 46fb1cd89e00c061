// npm run export -- <gameId> [--team <id> | --observer] [--pseudonymise] [--format zip|json] [--out <file>]
// Writes a game's research export from the server's own store (STORE, DATA_DIR default ./data, REDIS_URL...): the
// White Cell's whole record unless --team or --observer asks for that audience's own view. A relative DATA_DIR or --out is taken from the
// folder npm runs in: the repository's root. See docs/export.md.
import { writeFileSync } from 'node:fs';
import type { Audience, GameEvent } from '../server/engine/index.ts';
import { buildExport, exportJsonText, exportZip } from '../server/record/export.ts';
import { InvalidGameId } from '../server/store/event-store.ts';
import { readConfig } from '../server/config.ts';
import { openStore } from '../server/open-store.ts';

function usage(message: string): never {
  console.error(`${message}
usage: npm run export -- <gameId> [--team <id> | --observer] [--pseudonymise] [--format zip|json] [--out <file>]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let gameId: string | undefined;
let audience: Audience = { kind: 'control' };
let pseudonymise = false;
let format: 'zip' | 'json' = 'zip';
let out: string | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--team') audience = { kind: 'team', team: args[++i] ?? usage('--team needs a team id') };
  else if (a === '--observer') audience = { kind: 'observer' };
  else if (a === '--pseudonymise' || a === '--pseudonymize') pseudonymise = true;
  else if (a === '--format') {
    const f = args[++i];
    if (f !== 'zip' && f !== 'json') usage('--format is zip or json');
    format = f;
  } else if (a === '--out') out = args[++i] ?? usage('--out needs a file name');
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else if (gameId) usage('one game at a time');
  else gameId = a;
}
if (!gameId) usage('which game?');

const config = readConfig(process.env);
if (config.store === 'memory')
  usage('STORE=memory keeps games inside the server process: there is nothing here to export');
// The server's own store (file or Redis). A visitor: beside a running server it never cuts a log's tail that the
// server may be writing that moment.
const { store } = openStore(config, { visitor: true });
const where = config.store === 'file' ? config.dataDir : 'Redis';
try {
  const log = (await store.load(gameId).catch((err: unknown) => {
    if (err instanceof InvalidGameId) usage(`${JSON.stringify(gameId)} is not a game id`);
    throw err;
  })) as GameEvent[];
  if (!log.length) usage(`no game ${gameId} in ${where}`);
  const teams = log[0].type === 'GameCreated' ? log[0].scenario.teams.map((t) => t.id) : [];
  if (audience.kind === 'team' && !teams.includes(audience.team))
    usage(`no team ${audience.team}; this game's teams: ${teams.join(', ')}`);
  const x = buildExport(log, audience, { pseudonymise });
  const file =
    out ?? `flywheel-${gameId}-${x.json.audience.replace(':', '-')}${pseudonymise ? '-pseudonymised' : ''}.${format}`;
  // Readable by whoever ran it alone: the White Cell's export holds every team's secrets.
  writeFileSync(file, format === 'json' ? exportJsonText(x) : exportZip(x), { mode: 0o600 });
  // What the file holds: the event log for the White Cell only; anyone else's record, its steps.
  const held = x.json.events ? `${x.json.events.length} events` : `${x.json.steps.length} steps, no event log`;
  console.log(`${file}: ${x.json.audience}, ${held}, ${Object.keys(x.tables).length} tables`);
} finally {
  await store.close();
}
