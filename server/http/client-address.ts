// The client's address behind trusted proxies: X-Forwarded-For is read from the right, each hop accepted only while
// the one that added it is trusted, so that whatever a client writes into the header itself is never taken. The
// same walk as express's req.ip, for Socket.IO handshakes, which do not go through express.
import type { IncomingMessage } from 'node:http';

export type TrustFn = (address: string, hop: number) => boolean;

export function clientAddress(req: IncomingMessage, trust: TrustFn): string {
  const remote = req.socket.remoteAddress ?? 'unknown';
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .reverse();
  const hops = [remote, ...forwarded];
  for (let i = 0; i < hops.length - 1; i++) if (!trust(hops[i], i)) return hops[i];
  return hops[hops.length - 1];
}
