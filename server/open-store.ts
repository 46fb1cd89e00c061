// Picks the event store from the configuration: the embedded file store by default.
import type { Config } from './config.ts';
import type { EventStore } from './store/event-store.ts';
import { FileStore } from './store/file-store.ts';
import { MemoryStore } from './store/memory-store.ts';
import { RedisStore } from './store/redis-store.ts';

export function openStore(config: Config): EventStore {
  switch (config.store) {
    case 'file':
      return new FileStore(config.dataDir);
    case 'memory':
      return new MemoryStore();
    case 'redis':
      return new RedisStore(config.redisUrl);
  }
}
