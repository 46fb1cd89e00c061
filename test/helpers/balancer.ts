// A TCP load balancer in miniature: each connection goes to the first backend, in the given order of preference,
// that accepts it. When a backend dies its connections drop, the clients reconnect, and land on the next one: what
// HAProxy or nginx do in front of several Flywheel processes (websocket transport, so nothing needs to be sticky).
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Balancer {
  url: string;
  close(): Promise<void>;
}

export async function startBalancer(backendPorts: readonly number[]): Promise<Balancer> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.pause();
    const tryBackend = (i: number) => {
      if (i >= backendPorts.length || client.destroyed) return void client.destroy();
      const upstream = connect({ port: backendPorts[i], host: '127.0.0.1' });
      let connected = false;
      // Refused: try the next backend. Once relaying, an error or a close (the backend died) drops the client.
      upstream.on('error', () => {
        if (!connected) tryBackend(i + 1);
      });
      upstream.once('connect', () => {
        connected = true;
        open.add(upstream);
        upstream.once('close', () => {
          open.delete(upstream);
          client.destroy();
        });
        client.once('close', () => upstream.destroy());
        client.on('error', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      for (const s of open) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
