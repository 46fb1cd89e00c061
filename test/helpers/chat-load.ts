// Load for the stop and crash tests: four team clients that re-send unanswered commands (ResendingClient) each
// post PER_CLIENT chat lines, IN_FLIGHT at a time; `interrupt` (a stop, a crash) runs once a third are answered.
import type { CreateGameResult } from '../../shared/protocol.ts';
import { createGame, join } from './http.ts';
import { type CommandAck, ResendingClient } from './resending-client.ts';

const TEAMS = ['us', 'dprk', 'prc', 'rok'] as const;
const PER_CLIENT = 60;
const IN_FLIGHT = 4;

export interface ChatLoad {
  game: CreateGameResult;
  clients: ResendingClient[];
  acks: { text: string; ack: CommandAck }[];
}

/** `apiUrl` creates the game and seats the players; the sockets connect to `socketUrl` (a balancer, say). */
export async function chatLoad(apiUrl: string, socketUrl: string, interrupt: () => Promise<void>): Promise<ChatLoad> {
  const game = await createGame(apiUrl, 'tutorial', {});
  const clients: ResendingClient[] = [];
  for (const team of TEAMS) {
    const { token } = await join(apiUrl, game.codes.teams[team], team);
    const c = new ResendingClient(socketUrl, token);
    clients.push(c);
    await new Promise<void>((resolve) => c.socket.once('connect', () => resolve()));
  }
  let answered = 0;
  let interrupted: Promise<void> | null = null;
  const acks = await Promise.all(
    clients.map(async (c, n) => {
      const all: { text: string; ack: CommandAck }[] = [];
      let next = 0;
      const lane = async () => {
        while (next < PER_CLIENT) {
          const text = `${TEAMS[n]} ${next++}`;
          const ack = await c.send({ type: 'chat.post', channel: 'plenary', text });
          all.push({ text, ack });
          if (++answered === Math.floor((TEAMS.length * PER_CLIENT) / 3)) interrupted = interrupt();
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
      return all;
    }),
  );
  await interrupted;
  for (const c of clients) c.close();
  return { game, clients, acks: acks.flat() };
}
