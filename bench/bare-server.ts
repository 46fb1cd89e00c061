// The yardstick: a bare Socket.IO server with no game logic, in the load shape of docs/benchmarks.md. A client
// joins one of a game's 7 rooms from its handshake; a command is acked, then each of the game's rooms gets its own
// payload: ~4 KB by default (a stand-in for whole views), or BARE_BYTES of filler, which `npm run bench` sets so
// that the bare server delivers as many bytes per update as Flywheel did in the same run (the honest floor).
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 0);
const http = createServer();
// The heartbeat Flywheel's server runs with (`npm run bench` passes it): every socket costs a ping and a pong per
// interval, so a yardstick on Socket.IO's slower default (25 s) would hold its idle sockets for less.
const io = new Server(http, {
  transports: ['websocket'],
  serveClient: false,
  pingInterval: Number(process.env.PING_INTERVAL_MS ?? 25_000),
  pingTimeout: Number(process.env.PING_TIMEOUT_MS ?? 20_000),
});
const filler = 'x'.repeat(Number(process.env.BARE_BYTES ?? 4000));

io.on('connection', (socket) => {
  const { game, room } = socket.handshake.auth as { game: string; room: string };
  socket.join(`${game}:${room}`);
  socket.on('command', (payload: { version: number; sentAt: number }, ack: (r: unknown) => void) => {
    ack({ ok: true, version: payload.version });
    for (let r = 0; r < 7; r++)
      io.to(`${game}:${r}`).emit('patch', {
        gameId: game,
        version: payload.version,
        room: r,
        sentAt: payload.sentAt,
        filler,
      });
  });
});
// Exits on SIGTERM rather than dying of it, so that a CPU profile (BENCH_CPU_PROF) is written.
process.on('SIGTERM', () => process.exit(0));
http.listen(port, '127.0.0.1', () => {
  const a = http.address();
  process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : port}\n`);
});
