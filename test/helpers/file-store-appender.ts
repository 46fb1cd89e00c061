// Child process for the file store's crash test: appends batches to one game in a loop and prints each
// acknowledged version on its own line. The parent kill -9s it mid-way and checks every printed version survived.
// Usage: node --import tsx test/helpers/file-store-appender.ts <dataDir> <gameId>
import { FileStore } from '../../server/store/file-store.ts';

const [dataDir, gameId] = process.argv.slice(2);
if (!dataDir || !gameId) {
  console.error('usage: file-store-appender.ts <dataDir> <gameId>');
  process.exit(2);
}

const store = new FileStore(dataDir);
let version = await store.version(gameId);
// Bounded, so an orphan stops by itself even if nobody kills it.
const deadline = Date.now() + 120_000;
for (let i = 0; i < 100_000 && Date.now() < deadline; i++) {
  const size = 1 + (i % 3);
  const end = version + size;
  // Events of varied, sometimes large size, so a kill can land in the middle of a write.
  const events = Array.from({ length: size }, (_, k) => ({
    n: version + k + 1,
    batchEnd: end,
    pad: 'x'.repeat((i * 7919) % 40_000),
  }));
  version = await store.append(gameId, version, events);
  // A pipe write is synchronous on Linux: once this returns, the parent will read it even after a SIGKILL.
  process.stdout.write(`${version}\n`);
}
await store.close();
