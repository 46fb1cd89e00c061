// One live seat: a Socket.IO connection authenticated by the seat's token, holding the latest view and its version.
// Patches apply only on top of the version they were computed from; any gap asks the server for a full resync.
import { io, type Socket } from 'socket.io-client';
import {
  applyPatch,
  prependPage,
  type Ack,
  type ClientToServer,
  type FullView,
  type Presence,
  type ServerToClient,
  type ViewPatch,
} from '../../shared/protocol.ts';
import type { GameView } from '../../shared/views.ts';

export type LinkState = 'connecting' | 'online' | 'offline' | 'refused';

export interface LiveState {
  link: LinkState;
  /** Set when the link came back after a drop; cleared a few seconds later. */
  backAt: number | null;
  /** When the view was last received (a countdown can fall back to it). */
  receivedAt: number;
  version: number;
  view: GameView | null;
  presence: Presence['online'] | null;
}

export class Connection {
  state: LiveState = { link: 'connecting', backAt: null, receivedAt: 0, version: -1, view: null, presence: null };
  private socket: Socket<ServerToClient, ClientToServer>;
  private listeners = new Set<() => void>();
  private everConnected = false;
  private resyncing = false;

  constructor(
    token: string,
    private gameId: string,
  ) {
    // The game id rides in the URL (`?game=`) so that a load balancer can send all of a game's sockets to one process
    // (docs/operations.md). WebSocket first; where a proxy blocks the upgrade, tryAllTransports falls back to
    // long-polling, which needs that same game-affine (sticky) routing.
    this.socket = io({
      auth: { token },
      query: { game: gameId },
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
    });
    this.socket.on('connect', () => {
      const wasDown = this.everConnected;
      this.everConnected = true;
      this.set({ link: 'online', backAt: wasDown ? Date.now() : null });
      if (wasDown)
        setTimeout(() => {
          if (this.state.backAt && Date.now() - this.state.backAt >= 4000) this.set({ backAt: null });
        }, 4100);
    });
    this.socket.on('disconnect', (reason) => {
      this.set({ link: 'offline', backAt: null });
      // Socket.IO does not reconnect after the server closed the socket itself (a restart, or a revoked seat): try
      // once more; a revoked token then fails the handshake with UNAUTHORIZED and the page says so.
      if (reason === 'io server disconnect') setTimeout(() => this.socket.connect(), 1000);
    });
    this.socket.on('connect_error', (err) => {
      if (err.message === 'UNAUTHORIZED') {
        this.socket.disconnect();
        this.set({ link: 'refused' });
      } else {
        this.set({ link: 'offline' });
      }
    });
    this.socket.on('view', (p) => this.onView(p));
    this.socket.on('patch', (p) => this.onPatch(p));
    this.socket.on('presence', (p) => {
      if (p.gameId === this.gameId) this.set({ presence: p.online });
    });
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  close() {
    this.socket.disconnect();
    this.listeners.clear();
  }

  private set(partial: Partial<LiveState>) {
    this.state = { ...this.state, ...partial };
    for (const fn of this.listeners) fn();
  }

  private onView(p: FullView) {
    if (p.gameId !== this.gameId) return;
    this.set({ view: p.view, version: p.version, receivedAt: Date.now() });
  }

  private onPatch(p: ViewPatch) {
    if (p.gameId !== this.gameId) return;
    if (p.version <= this.state.version) return; // already have it (e.g. a full view overtook it)
    // docs/protocol.md: a patch applies to any version from `from` on (from 0 it carries every section); a client
    // behind `from` missed an update and asks for the whole view.
    if (!this.state.view && p.from !== 0) return void this.resync();
    if (this.state.view && this.state.version < p.from) return void this.resync();
    const base = p.from === 0 ? (p.sections as GameView) : this.state.view!;
    this.set({ view: applyPatch(base, p), version: p.version, receivedAt: Date.now() });
  }

  async resync() {
    if (this.resyncing) return;
    this.resyncing = true;
    try {
      const res = await this.socket.timeout(10_000).emitWithAck('resync');
      if (res.ok) this.onView({ gameId: res.gameId, version: res.version, view: res.view });
    } catch {
      /* timed out: the next reconnect brings a full view anyway */
    } finally {
      this.resyncing = false;
    }
  }

  /** Fetches the page of chat just before the lines the view holds of `channel`; false if nothing came. */
  async loadEarlier(channel: string): Promise<boolean> {
    const view = this.state.view;
    const before = view?.earlierMessages[channel];
    if (!view || !before || !this.socket.connected) return false;
    try {
      const res = await this.socket.timeout(10_000).emitWithAck('history', { channel, before });
      // A whole view may have replaced the one asked about meanwhile: prependPage ignores a page that does not fit.
      if (!res.ok || !this.state.view) return false;
      this.set({ view: prependPage(this.state.view, res) });
      return true;
    } catch {
      return false;
    }
  }

  /** Sends a command; resolves with the server's answer (never throws). */
  async send(command: { type: string } & Record<string, unknown>): Promise<Ack<{ version: number }>> {
    if (!this.socket.connected)
      return { ok: false, error: { code: 'OFFLINE', message: 'Not connected: wait for the connection to come back.' } };
    try {
      return await this.socket.timeout(15_000).emitWithAck('command', command);
    } catch {
      return { ok: false, error: { code: 'TIMEOUT', message: 'The server did not answer in time. Try again.' } };
    }
  }
}
