// A test file's server and the socket clients its tests open: the server starts before the file's tests and stops
// after them, with every client closed first.
import type { Test } from 'uvu';
import { TestClient } from './client.ts';
import { startServer, type SpawnedServer } from './spawn-server.ts';

export interface SocketSuite {
  readonly server: SpawnedServer;
  connect(token: string, label: string): Promise<TestClient>;
}

export function socketSuite(suite: Test, env: Record<string, string>): SocketSuite {
  let server: SpawnedServer | undefined;
  const clients: TestClient[] = [];
  suite.before(async () => {
    server = await startServer({ env });
  });
  suite.after(async () => {
    for (const c of clients) c.close();
    await server?.destroy();
  });
  const started = () => {
    if (!server) throw new Error('the server starts before the tests');
    return server;
  };
  return {
    get server() {
      return started();
    },
    // A plain function, so that it can be taken out of the suite: `const { connect } = suite`.
    connect: async (token, label) => {
      const c = await TestClient.connect(started().url, token, label);
      clients.push(c);
      return c;
    },
  };
}
