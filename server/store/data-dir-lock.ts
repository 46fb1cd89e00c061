// One server process owns a data directory: the file store keeps each game's version in memory, so a second server
// started on the same directory (a forgotten STORE=redis, or a process manager starting the new process before the
// old one has gone) would acknowledge the same versions twice and damage the logs. The owner holds
// <dataDir>/owner.lock, naming its host and process, for as long as it runs. Operators' scripts (export, White Cell
// recovery) only visit, and take no lock.
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'owner.lock';

interface Owner {
  host: string;
  pid: number;
  /**
   * When the process started (Linux: the boot's id and the start time in /proc), so that a process id given to
   * another program since (after a reboot, or ids wrapping round) is not taken for the owner. Absent where /proc is
   * not, and in locks written before it: the process id alone then decides.
   */
  started?: string;
}

/** The boot's id and a process's start time since boot, or undefined where /proc cannot tell (or it is gone). */
function startedOf(pid: number): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command's name, which is in parentheses and may hold spaces: the 22nd, starttime, is 20th.
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return ticks ? `${boot}/${ticks}` : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the owner, a process of this host, is alive (EPERM: alive, but another user's) and is still itself. */
function alive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.started === undefined) return true;
  const now = startedOf(owner.pid);
  return now === undefined || now === owner.started;
}

function readOwner(path: string): Owner | null {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>;
    if (o.started !== undefined && typeof o.started !== 'string') return null;
    return typeof o.host === 'string' && Number.isInteger(o.pid) ? (o as Owner) : null;
  } catch {
    return null;
  }
}

/**
 * Takes the data directory for this process, or throws saying who holds it. A lock left by a process that died
 * (kill -9, a crash) on this host is taken over; one naming another host is not, since its process cannot be
 * checked from here. Returns the release, for a clean stop.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, LOCK_FILE);
  const started = startedOf(process.pid);
  const me: Owner = { host: hostname(), pid: process.pid, ...(started ? { started } : {}) };
  for (let attempt = 0; ; attempt++) {
    // Written whole beside it, then linked into place (link fails if the lock exists): nobody ever reads a lock
    // half-written, which would look unreadable, and be taken over, while its maker is alive.
    const draft = `${path}.${process.pid}.new`;
    writeFileSync(draft, `${JSON.stringify(me)}\n`, { mode: 0o600 });
    try {
      linkSync(draft, path);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(path);
      const mine = owner?.host === me.host && owner.pid === me.pid;
      // A second EEXIST: another process took the lock over between our two tries.
      if (owner && !mine && (attempt > 0 || owner.host !== me.host || alive(owner)))
        throw new Error(
          `the data directory ${dataDir} is in use by process ${owner.pid} on ${owner.host}: one server owns a ` +
            `data directory (run several on Redis, docs/operations.md). If that process is gone, remove ${path}`,
        );
      // Ours already, unreadable, or left by a process of this host that is gone (or whose id another now holds).
      if (attempt > 0) throw err;
      unlinkSync(path);
    } finally {
      unlinkSync(draft);
    }
  }
  return () => {
    const owner = readOwner(path);
    if (owner?.host === me.host && owner.pid === me.pid) unlinkSync(path);
  };
}
