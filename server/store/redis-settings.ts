// Redis settings that would quietly break what an ack promises, read once when the server starts (docs/operations.md,
// "Redis persistence"): eviction loses whole games, a Redis without an append-only file loses what it acknowledged
// since its last snapshot, and REDIS_WAIT_REPLICAS above the replicas a master has refuses every append. Each is
// a warning in the log, not a refusal: a replica may be on its way, and a managed Redis may hide CONFIG.

/** One Redis server to ask: a single Redis, or each master of a cluster. */
export interface RedisNode {
  name: string;
  send(args: string[]): Promise<unknown>;
}

/** A CONFIG GET reply's value: an array [name, value] (RESP2) or a map (RESP3). */
function configValue(reply: unknown, name: string): string | null {
  if (Array.isArray(reply)) return reply.length >= 2 ? String(reply[1]) : null;
  if (reply instanceof Map) return reply.has(name) ? String(reply.get(name)) : null;
  if (reply && typeof reply === 'object' && name in reply) return String((reply as Record<string, unknown>)[name]);
  return null;
}

export async function redisSettingsWarnings(nodes: readonly RedisNode[], waitReplicas: number): Promise<string[]> {
  const warnings: string[] = [];
  for (const node of nodes) {
    try {
      const policy = configValue(await node.send(['CONFIG', 'GET', 'maxmemory-policy']), 'maxmemory-policy');
      if (policy !== null && policy !== 'noeviction')
        warnings.push(
          `Redis ${node.name} has maxmemory-policy ${policy}: it may evict a game's log to make room, which loses the game; set noeviction`,
        );
      const aof = configValue(await node.send(['CONFIG', 'GET', 'appendonly']), 'appendonly');
      if (aof === 'no')
        warnings.push(
          `Redis ${node.name} has appendonly no: what it acknowledged since its last snapshot is lost if it stops; set appendonly yes and appendfsync always`,
        );
    } catch (err) {
      warnings.push(
        `Redis ${node.name} did not answer CONFIG GET (${err instanceof Error ? err.message : String(err)}): check by hand that it has maxmemory-policy noeviction and appendonly yes`,
      );
    }
    if (waitReplicas > 0) {
      const info = String(await node.send(['INFO', 'replication']).catch(() => ''));
      const replicas = /connected_slaves:(\d+)/.exec(info);
      if (replicas && Number(replicas[1]) < waitReplicas)
        warnings.push(
          `REDIS_WAIT_REPLICAS=${waitReplicas} but Redis ${node.name} has ${replicas[1]} connected replica(s): every append will be refused with STORE_UNAVAILABLE until enough replicas connect`,
        );
    }
  }
  return warnings;
}
