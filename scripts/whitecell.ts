// A facilitator lost the White Cell code (and every White Cell seat): the operator mints a recovery code on the
// server machine, with the server's own STORE, DATA_DIR, REDIS_URL or REDIS_CLUSTER (docs/facilitation.md, "Lost the
// White Cell code?"). Usage: npm run game:whitecell -- <gameId>
//
// The code is short (read it out over the phone), seats one new White Cell member, once, within 24 hours. It reads
// no existing code and changes none: the game's auth record is only read, and the code gets a stream of its own,
// which is why this is safe beside a running server even on the file store.
import { readConfig } from '../server/config.ts';
import { GAME_ID } from '../server/games/ids.ts';
import { AuthBook } from '../server/lobby/auth-book.ts';
import { openStore } from '../server/open-store.ts';

const USAGE =
  'usage: npm run game:whitecell -- <gameId>   (with the server’s STORE, DATA_DIR, REDIS_URL or REDIS_CLUSTER, PUBLIC_URL)';

async function main(): Promise<number> {
  const gameId = process.argv[2]?.trim().toLowerCase();
  if (!gameId || !GAME_ID.test(gameId)) {
    console.error(USAGE);
    return 2;
  }
  const config = readConfig(process.env);
  if (config.store === 'memory') {
    console.error('STORE=memory keeps games inside the server process: there is nothing here to recover.');
    return 2;
  }
  // The server's own store, Redis Cluster included; the file store only visited.
  const { store } = openStore(config, { visitor: true });
  try {
    const minted = await new AuthBook(store).mintRecovery(gameId);
    if (!minted) {
      console.error(`No game ${gameId} in this store (${config.store === 'file' ? config.dataDir : 'Redis'}).`);
      return 1;
    }
    const path = `/join/${minted.code}`;
    const link = config.publicUrl ? `${config.publicUrl}${path}` : null;
    console.log(`White Cell recovery code for game ${gameId}: ${minted.code}`);
    console.log(
      link
        ? `Join link: ${link}`
        : `Join link: ${path} on this server's address (set PUBLIC_URL to print the whole link)`,
    );
    console.log(`It seats one new White Cell member, once, until ${new Date(minted.expiresAt).toISOString()}.`);
    console.log('Existing join codes and seats are unchanged.');
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
