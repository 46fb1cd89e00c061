// Several Flywheel processes sharing one private Redis (STORE=redis), as `npm start` runs them behind a load
// balancer. Everything started here is stopped by destroy(), and killed anyway when the test process exits.
import { RedisStore } from '../../server/store/redis-store.ts';
import { startRedis, type RedisServer } from './redis-server.ts';
import { startServer, type SpawnedServer } from './spawn-server.ts';

export interface Cluster {
  redis: RedisServer;
  servers: SpawnedServer[];
  /** A store on the same Redis, to read the event log as the servers wrote it. */
  store: RedisStore;
  destroy(): Promise<void>;
}

export interface ClusterOptions {
  processes: number;
  /** AOF with fsync on every write: acknowledged commands survive a Redis stop or crash. */
  appendOnly?: boolean;
  env?: Record<string, string>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const redis = await startRedis({ appendOnly: options.appendOnly });
  const servers: SpawnedServer[] = [];
  const store = new RedisStore(redis.url);
  const destroy = async () => {
    await store.close().catch(() => undefined);
    await Promise.all(servers.map((s) => s.destroy()));
    await redis.destroy();
  };
  try {
    for (let i = 0; i < options.processes; i++) {
      servers.push(await startServer({ env: { STORE: 'redis', REDIS_URL: redis.url, ...options.env } }));
    }
  } catch (err) {
    await destroy();
    throw err;
  }
  return { redis, servers, store, destroy };
}
