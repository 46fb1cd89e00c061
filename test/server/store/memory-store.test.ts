import { MemoryBacking, MemoryStore } from '../../../server/store/memory-store.ts';
import { contract } from './contract.ts';

// Instances sharing one MemoryBacking stand for restarts over the same database.
const test = contract('MemoryStore', async () => {
  const backing = new MemoryBacking();
  return { open: () => new MemoryStore(backing) };
});

test.run();
