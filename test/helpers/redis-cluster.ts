// A private Redis Cluster for one test file: three masters (and, if asked, one replica each) on free loopback ports,
// each in its own dir under one temp dir, joined with `redis-cli --cluster create`. Nodes can be killed (SIGKILL) and
// restarted on the same port and dir, where a restarted node finds its cluster config and rejoins. Every node
// started here is SIGKILLed when the process exits.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, ping, terminate } from './redis-server.ts';

const run = promisify(execFile);

export interface RedisClusterOptions {
  /** One replica per master (six nodes), so that a master's death fails over. */
  replicas?: boolean;
  /** AOF with fsync on every write. */
  appendOnly?: boolean;
  /**
   * cluster-node-timeout: how long a node may be unreachable before it is failed (and its replica promoted). Redis's
   * default is 15 s; tests use less so a failover does not take most of the test.
   */
  nodeTimeoutMs?: number;
}

export interface ClusterNode {
  port: number;
  /** host:port, as REDIS_CLUSTER lists it. */
  address: string;
  dir: string;
  alive(): boolean;
  /** SIGKILL, then wait for the exit: a crash. */
  kill(): Promise<void>;
  /** Starts again on the same port and dir; resolves once it answers PING. */
  restart(): Promise<void>;
}

export interface NodeRole {
  port: number;
  id: string;
  role: 'master' | 'replica';
  /** For a replica: the id of its master. */
  masterId: string | null;
  failed: boolean;
  /** Slot ranges it serves, [from, to] inclusive (masters). */
  slots: Array<[number, number]>;
}

export interface RedisCluster {
  nodes: ClusterNode[];
  /** host:port of every node, comma-separated: the value of REDIS_CLUSTER. */
  spec: string;
  /** A redis-cli command against one live node, its output. */
  cli(args: string[], port?: number): Promise<string>;
  /** The roles as a live node sees them (CLUSTER NODES). */
  roles(port?: number): Promise<NodeRole[]>;
  /** The node that serves a key's slot now, as a live node sees it. */
  masterOf(key: string): Promise<ClusterNode>;
  /** Resolves once every live node says cluster_state:ok and agrees who serves each slot; bounded by `ms`. */
  waitOk(ms?: number): Promise<void>;
  destroy(): Promise<void>;
}

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const root = mkdtempSync(join(tmpdir(), 'flywheel-redis-cluster-'));
  dirs.add(root);
  const count = options.replicas ? 6 : 3;
  const nodes: ClusterNode[] = [];
  const destroy = async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    rmSync(root, { recursive: true, force: true });
    dirs.delete(root);
  };
  try {
    for (let i = 0; i < count; i++) nodes.push(await startNode(root, options));
    const cli = async (args: string[], port = nodes.find((n) => n.alive())?.port) => {
      const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
        timeout: 20_000,
      });
      return stdout;
    };
    // redis-cli warns that masters and replicas share a host (loopback here) and proceeds with --cluster-yes.
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((n) => n.address),
        ...(options.replicas ? ['--cluster-replicas', '1'] : []),
        '--cluster-yes',
      ],
      { timeout: 60_000 },
    );
    const roles = async (port?: number) => parseNodes(await cli(['CLUSTER', 'NODES'], port));
    const cluster: RedisCluster = {
      nodes,
      spec: nodes.map((n) => n.address).join(','),
      cli,
      roles,
      async masterOf(key) {
        const slot = Number((await cli(['CLUSTER', 'KEYSLOT', key])).trim());
        const owner = (await roles()).find(
          (r) => r.role === 'master' && !r.failed && r.slots.some(([a, b]) => a <= slot && slot <= b),
        );
        const node = nodes.find((n) => n.port === owner?.port);
        if (!node) throw new Error(`no live master serves slot ${slot}`);
        return node;
      },
      async waitOk(ms = 60_000) {
        const deadline = Date.now() + ms;
        let last = '';
        while (Date.now() < deadline) {
          try {
            const up = nodes.filter((n) => n.alive());
            const infos = await Promise.all(up.map((n) => cli(['CLUSTER', 'INFO'], n.port)));
            const views = await Promise.all(up.map((n) => roles(n.port)));
            const owners = views.map((v) =>
              v
                .filter((r) => r.role === 'master' && !r.failed && r.slots.length)
                .map((r) => `${r.port}:${JSON.stringify(r.slots)}`)
                .sort()
                .join(' '),
            );
            last = infos.map((i) => /cluster_state:\w+/.exec(i)?.[0]).join(', ');
            // A replica counts once its link to its master is up (the first sync done): before that, a write that
            // waits for one replica (WAIT) would wait in vain.
            const replicaPorts = views[0].filter((r) => r.role === 'replica' && !r.failed).map((r) => r.port);
            const links = await Promise.all(
              up.filter((n) => replicaPorts.includes(n.port)).map((n) => cli(['INFO', 'replication'], n.port)),
            );
            const linked = links.every((i) => i.includes('master_link_status:up'));
            if (!linked) last = 'a replica is still syncing';
            if (linked && infos.every((i) => i.includes('cluster_state:ok')) && owners.every((o) => o === owners[0]))
              return;
          } catch (err) {
            last = String(err);
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`the cluster did not settle within ${ms} ms (${last})`);
      },
      destroy,
    };
    await cluster.waitOk();
    return cluster;
  } catch (err) {
    await destroy();
    throw err;
  }
}

async function startNode(root: string, options: RedisClusterOptions): Promise<ClusterNode> {
  let child: ChildProcess | undefined;
  let port = 0;
  let dir = '';
  // Another process may grab the free port between probe and bind: try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    dir = join(root, String(port));
    mkdirSync(dir, { recursive: true });
    try {
      child = await launch(port, dir, options);
      break;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
  return {
    port,
    address: `127.0.0.1:${port}`,
    dir,
    alive: () => !!child && child.exitCode === null && child.signalCode === null,
    async kill() {
      if (child) await terminate(child, 'SIGKILL');
    },
    async restart() {
      if (child) await terminate(child, 'SIGKILL');
      child = await launch(port, dir, options);
    },
  };
}

async function launch(port: number, dir: string, options: RedisClusterOptions): Promise<ChildProcess> {
  if (port === 6379) throw new Error('refusing to run a test redis on 6379');
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    join(dir, 'nodes.conf'),
    '--cluster-node-timeout',
    String(options.nodeTimeoutMs ?? 1000),
    '--save',
    '',
    '--dir',
    dir,
    '--logfile',
    join(dir, 'redis.log'),
    ...(options.appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
  ];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.unref();
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await Promise.race([ping(port), spawnError])) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  await terminate(child, 'SIGKILL');
  let log = '(no log)';
  try {
    log = readFileSync(join(dir, 'redis.log'), 'utf8').split('\n').slice(-20).join('\n');
  } catch {}
  throw new Error(`cluster node on port ${port} did not answer PING:\n${log}`);
}

/** CLUSTER NODES: `<id> <ip:port@cport> <flags> <master> <ping> <pong> <epoch> <link> <slot> <slot>...` */
function parseNodes(text: string): NodeRole[] {
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, address, flags, master, , , , , ...slots] = line.trim().split(' ');
      const port = Number(/:(\d+)@/.exec(address)?.[1]);
      const flagSet = new Set(flags.split(','));
      return {
        id,
        port,
        role: flagSet.has('master') ? 'master' : 'replica',
        masterId: master === '-' ? null : master,
        failed: flagSet.has('fail') || flagSet.has('fail?') || flagSet.has('noaddr'),
        slots: slots
          .filter((s) => !s.startsWith('['))
          .map((s) => {
            const [a, b] = s.split('-').map(Number);
            return [a, b ?? a] as [number, number];
          }),
      } satisfies NodeRole;
    });
}
