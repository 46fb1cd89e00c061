// Picks the event store from the configuration (the embedded file store by default) and says what it can do, so
// that the rest of the server asks for capabilities instead of testing for a class.
import type { Config } from './config.ts';
import type { Leases } from './games/deadline-clock.ts';
import type { EventStore } from './store/event-store.ts';
import { FileStore } from './store/file-store.ts';
import { MemoryStore } from './store/memory-store.ts';
import { RedisStore } from './store/redis-store.ts';

export interface OpenedStore {
  store: EventStore;
  /** Other processes append to the same games: catch up before deciding, and rooms must span processes. */
  shared: boolean;
  /** Short leases so that one process fires each deadline; present where the store is shared. */
  leases?: Leases;
  /** Settings of the store's servers that would break what an ack promises (Redis), for the log at the start. */
  settingsWarnings?: () => Promise<string[]>;
}

/** `visitor`: for an operator's script beside the running server (it reads the file store's logs, never cuts them). */
export function openStore(config: Config, opts: { visitor?: boolean } = {}): OpenedStore {
  switch (config.store) {
    case 'file': {
      const store = new FileStore(config.dataDir, { openLogs: config.fileStoreOpenLogs, visitor: opts.visitor });
      return { store, shared: false };
    }
    case 'memory':
      return { store: new MemoryStore(), shared: false };
    case 'redis': {
      const target = config.redisCluster ? { cluster: config.redisCluster } : config.redisUrl;
      const store = new RedisStore(target, { waitReplicas: config.redisWaitReplicas });
      return { store, shared: true, leases: store, settingsWarnings: () => store.settingsWarnings() };
    }
  }
}
