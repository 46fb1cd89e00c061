// One live seat: a Socket.IO connection authenticated by the seat's token, holding the latest view and its version.
// Patches apply only on top of the version they were computed from; any gap asks the server for a full resync.
// Commands carry an id; one unanswered when the link drops is sent again, with the same id, once it is back (the
// server answers a repeat with its first answer, so nothing is applied twice: docs/protocol.md).
import { io, type Socket } from 'socket.io-client';
import type { ClientCommandInput } from '../../shared/commands.ts';
import {
  addReveals,
  applyPatch,
  prependPage,
  withArchive,
  withCatalogue,
  type Archive,
  type Ack,
  type ClientToServer,
  type FullView,
  type Presence,
  type ServerToClient,
  type ViewPatch,
} from '../../shared/protocol.ts';
import { HOLD_MS, PatchOrder } from '../../shared/patch-order.ts';
import { ARCHIVE_PAGE, type Catalogue, type GameView, type WireView } from '../../shared/views.ts';

/** How long to wait before asking again for earlier deals and injects the server refused to send just now. */
const ARCHIVE_RETRY_MS = 5_000;

/** `crowded`: the seat already holds as many open sockets as one seat may (its other tabs and screens). */
export type LinkState = 'connecting' | 'online' | 'offline' | 'refused' | 'damaged' | 'crowded';

export interface LiveState {
  link: LinkState;
  /** Set when the link came back after a drop; cleared a few seconds later. */
  backAt: number | null;
  /** When the view was last received (a countdown can fall back to it). */
  receivedAt: number;
  version: number;
  /** The view as the screens read it: what the server sent, joined to the seat's catalogue. */
  view: GameView | null;
  presence: Presence['online'] | null;
  /** While the server refuses connections for now (storage down, restarting): seconds until the next try. */
  retryIn: number | null;
  /**
   * A command has waited more than a few seconds for the server's answer. On a link that died without a word (a
   * phone leaving Wi-Fi) the socket still looks connected until the heartbeat notices, up to 15 s: meanwhile the
   * page says the action is not confirmed yet rather than nothing.
   */
  unconfirmed: boolean;
}

type CommandAck = Ack<{ version: number }>;

interface Pending {
  payload: Record<string, unknown>;
  sentAt: number;
  resolve: (ack: CommandAck) => void;
  timer?: ReturnType<typeof setTimeout>;
  /** Fires when the command has waited `SLOW_MS` for its answer. */
  slowTimer?: ReturnType<typeof setTimeout>;
  /** Times the server answered "storage down" or "busy" and the command was sent again. */
  tries: number;
}

/** How long a connected client waits for an answer before telling the user. */
const ANSWER_MS = 15_000;
/** An answer takes well under a second on a working link: after this long the page says it is still waiting. */
const SLOW_MS = 3_000;
/** A command still unanswered this long after it was first sent is given up rather than sent again. */
const RESEND_FOR_MS = 60_000;
/**
 * Answers after which the command is sent again by itself, with its id, for up to RESEND_FOR_MS: storage that did
 * not answer may have stored it (the repeat then says so, and nothing is stored twice), and a busy game did not
 * apply it. A person pressing the button again would send a new command, with a new id.
 */
const RETRIED = new Set(['STORE_UNAVAILABLE', 'BUSY']);
/** Back-off between tries while the server refuses connections: 1 s, 2 s, 4 s… up to 30 s. */
const RETRY_MAX_MS = 30_000;

/** 16 random letters and digits: works on plain http too, where crypto.randomUUID does not exist. */
function commandId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => alphabet[b % 36]).join('');
}

export class Connection {
  state: LiveState = {
    link: 'connecting',
    backAt: null,
    receivedAt: 0,
    version: -1,
    view: null,
    presence: null,
    retryIn: null,
    unconfirmed: false,
  };
  private socket: Socket<ServerToClient, ClientToServer>;
  private listeners = new Set<() => void>();
  private everConnected = false;
  private resyncing = false;
  private order = new PatchOrder();
  private pending = new Map<string, Pending>();
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Closed by its page: it never connects again. */
  private closed = false;
  /** The view as sent (actions and meters without their catalogue part), with older chat and reveals paged in. */
  private wire: WireView | null = null;
  /** Catalogues by scenario and hash; the one in use is also kept in localStorage, for the next page load. */
  private catalogues = new Map<string, Catalogue>();
  private lastCatalogue: Catalogue | null = null;
  private fetchingCatalogue: string | null = null;
  /** The user asked for older reveals: a patch that sums them up again (a new round, the debrief) fetches them again. */
  private wantEarlierReveals = false;
  /**
   * Deals and injects of earlier rounds, which whole views and patches only name: fetched in the background once a
   * view names them, kept across resyncs and reconnects, and fetched again only when the hash a view names changes.
   */
  private archive: Archive = { deals: new Map(), injects: new Map() };
  private fetchingArchive = false;
  private askedRefs = new Set<string>();

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
      this.retries = 0;
      this.set({ link: 'online', backAt: wasDown ? Date.now() : null, retryIn: null });
      this.resendPending();
      if (wasDown)
        setTimeout(() => {
          if (this.state.backAt && Date.now() - this.state.backAt >= 4000) this.set({ backAt: null });
        }, 4100);
    });
    this.socket.on('disconnect', (reason) => {
      this.set({ link: 'offline', backAt: null });
      // Socket.IO does not reconnect after the server closed the socket itself (a restart, or a revoked seat): try
      // once more; a revoked token then fails the handshake with UNAUTHORIZED and the page says so.
      if (reason === 'io server disconnect') setTimeout(() => this.connectAgain(), 1000);
    });
    this.socket.on('connect_error', (err) => {
      if (err.message === 'UNAUTHORIZED') {
        this.socket.disconnect();
        this.set({ link: 'refused' });
      } else if (err.message === 'GAME_DAMAGED') {
        this.socket.disconnect();
        this.set({ link: 'damaged' });
      } else if (err.message === 'TOO_MANY_SOCKETS') {
        // Not a fault: this seat's other tabs hold every place. Tried again after a while, in case one closes.
        this.set({ link: 'crowded' });
        if (!this.socket.active) this.retryLater();
      } else {
        this.set({ link: 'offline' });
        // A refusal by the server (storage down, a restart: UNAVAILABLE, SHUTTING_DOWN) ends Socket.IO's own retries;
        // an unreachable server does not. Either way the page keeps trying, and says when.
        if (!this.socket.active) this.retryLater();
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
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket.disconnect();
    this.listeners.clear();
  }

  /** Connects again after a back-off, counting the seconds down in `retryIn` for the banner. */
  private retryLater() {
    clearTimeout(this.retryTimer);
    if (this.closed) return;
    const base = Math.min(RETRY_MAX_MS, 1000 * 2 ** this.retries);
    this.retries += 1;
    const at = Date.now() + base * (0.8 + Math.random() * 0.4);
    const tick = () => {
      const left = at - Date.now();
      if (left <= 0) {
        this.set({ retryIn: 0 });
        this.connectAgain();
        return;
      }
      this.set({ retryIn: Math.ceil(left / 1000) });
      this.retryTimer = setTimeout(tick, Math.min(1000, left));
    };
    tick();
  }

  /** Tries to connect now rather than at the end of the countdown. */
  retryNow() {
    clearTimeout(this.retryTimer);
    if (!this.socket.connected && !this.socket.active) this.connectAgain();
  }

  /**
   * Every way back to the server goes through here. A listener may close the connection while hearing of a refusal
   * (a board moving to a seat of its own), and a retry already under way must not bring it back: its socket would
   * take a place on the seat it left.
   */
  private connectAgain() {
    if (!this.closed) this.socket.connect();
  }

  private set(partial: Partial<LiveState>) {
    this.state = { ...this.state, ...partial };
    for (const fn of this.listeners) fn();
  }

  private onView(p: FullView) {
    if (p.gameId !== this.gameId) return;
    this.askedRefs.clear(); // a whole view (a connection, a resync) asks again for whatever is still missing
    this.setWire(p.view, { version: p.version, receivedAt: Date.now() });
    const held = this.order.release(p.version);
    if (held) this.applyPatches(held);
  }

  /** Holds a new wire view and shows it joined to its catalogue (fetched first if this page has not got it yet). */
  private setWire(wire: WireView, partial: Partial<LiveState> = {}) {
    this.wire = wire;
    const ref = wire.catalogue;
    const key = ref ? `${ref.scenarioId}:${ref.hash}` : '';
    const catalogue = this.catalogues.get(key) ?? this.storedCatalogue(key);
    if (catalogue) this.lastCatalogue = catalogue;
    else void this.fetchCatalogue(key);
    // Until the new catalogue has come, the one held names the same actions (only the debrief's hidden effects differ).
    const use = catalogue ?? this.lastCatalogue;
    this.set({ ...partial, view: use ? withArchive(withCatalogue(wire, use), this.archive) : this.state.view });
    if (this.wantEarlierReveals && wire.earlierReveals.length) void this.loadEarlierReveals();
    void this.fetchArchive();
  }

  private storedCatalogue(key: string): Catalogue | null {
    try {
      const text = localStorage.getItem(`flywheel:catalogue:${key}`);
      const found = text ? (JSON.parse(text) as Catalogue) : null;
      if (found && `${found.scenarioId}:${found.hash}` === key) {
        this.catalogues.set(key, found);
        return found;
      }
    } catch {
      /* no storage, or a damaged entry: fetch it */
    }
    return null;
  }

  private async fetchCatalogue(key: string) {
    if (this.fetchingCatalogue === key || !this.socket.connected) return;
    this.fetchingCatalogue = key;
    try {
      const [scenarioId, hash] = key.split(':');
      const res = await this.socket.timeout(10_000).emitWithAck('catalogue', { scenarioId, hash });
      if (!res.ok) return;
      const got = `${res.scenarioId}:${res.hash}`;
      this.catalogues.set(got, res);
      try {
        localStorage.setItem(`flywheel:catalogue:${got}`, JSON.stringify(res));
      } catch {
        /* storage full or off: this page keeps it anyway */
      }
      if (this.wire) this.setWire(this.wire);
    } catch {
      /* timed out: the next view asks again */
    } finally {
      this.fetchingCatalogue = null;
    }
  }

  /**
   * Fetches, one kind and one page at a time, the earlier deals and injects the view names and this page lacks. Each
   * ref (id and hash) is asked for once: an answer from a copy of the game that has moved on holds another hash, and
   * the view that catches up names that one.
   */
  private async fetchArchive() {
    if (this.fetchingArchive) return;
    this.fetchingArchive = true;
    try {
      for (const kind of ['deals', 'injects'] as const) {
        for (;;) {
          const wire = this.wire;
          if (!wire || !this.socket.connected) return;
          const refs = kind === 'deals' ? wire.earlierDeals : wire.earlierInjects;
          const held = this.archive[kind] as Map<string, { hash: string; item: unknown }>;
          const wanted = refs.filter(
            (r) => held.get(r.id)?.hash !== r.hash && !this.askedRefs.has(`${r.id}:${r.hash}`),
          );
          if (!wanted.length) break;
          const page = wanted.slice(0, ARCHIVE_PAGE);
          for (const r of page) this.askedRefs.add(`${r.id}:${r.hash}`);
          const res = await this.socket.timeout(10_000).emitWithAck('archive', { kind, ids: page.map((r) => r.id) });
          if (!res.ok) {
            // Refused (the team has read a lot just now): ask again a little later, not at the next reconnect.
            for (const r of page) this.askedRefs.delete(`${r.id}:${r.hash}`);
            if (res.error.code === 'RATE_LIMITED') setTimeout(() => void this.fetchArchive(), ARCHIVE_RETRY_MS);
            return;
          }
          for (const { hash, item } of res.items) held.set(item.id, { hash, item });
          this.showWire();
        }
      }
    } catch {
      /* timed out or dropped: the refs asked for stay asked; a reconnect's whole view starts afresh */
    } finally {
      this.fetchingArchive = false;
    }
  }

  /** Shows the held wire view again, joined to what has been fetched since. */
  private showWire() {
    const use = this.lastCatalogue;
    if (this.wire && use) this.set({ view: withArchive(withCatalogue(this.wire, use), this.archive) });
  }

  private onPatch(p: ViewPatch) {
    if (p.gameId !== this.gameId) return;
    // docs/protocol.md: a patch applies to any version from `from` on (from 0 it carries every section); a client
    // behind `from` missed an update and asks for the whole view, unless the missing one is only late (patch-order).
    if (p.from === 0) return void (p.version > this.state.version && this.applyPatches(p));
    if (!this.wire) return void this.resync();
    switch (this.order.offer(this.state.version, p)) {
      case 'apply':
        return this.applyPatches(p);
      case 'hold':
        setTimeout(() => {
          if (this.order.expire(p)) void this.resync();
        }, HOLD_MS);
        return;
      case 'resync':
        return void this.resync();
      case 'ignore':
        return;
    }
  }

  /** Applies a patch, then the one held back (if it follows on now). */
  private applyPatches(p: ViewPatch) {
    let view = applyPatch(p.from === 0 ? (p.sections as WireView) : this.wire!, p);
    let version = p.version;
    for (let next = this.order.release(version); next; next = this.order.release(version)) {
      view = applyPatch(view, next);
      version = next.version;
    }
    this.setWire(view, { version, receivedAt: Date.now() });
  }

  async resync() {
    if (this.resyncing) return;
    this.resyncing = true;
    try {
      const res = await this.socket.timeout(10_000).emitWithAck('resync');
      // Patches may have overtaken the answer (another process's copy of the game was ahead of this one's): a view
      // older than the one shown would take the page back in time, so it is dropped (docs/protocol.md, Versions).
      if (res.ok && res.version >= this.state.version)
        this.onView({ gameId: res.gameId, version: res.version, view: res.view });
    } catch {
      /* timed out: the next reconnect brings a full view anyway */
    } finally {
      this.resyncing = false;
    }
  }

  /** Fetches the page of chat just before the lines the view holds of `channel`; false if nothing came. */
  async loadEarlier(channel: string): Promise<boolean> {
    const view = this.wire;
    const before = view?.earlierMessages[channel];
    if (!view || !before || !this.socket.connected) return false;
    try {
      const res = await this.socket.timeout(10_000).emitWithAck('history', { channel, before });
      // A whole view may have replaced the one asked about meanwhile: prependPage ignores a page that does not fit.
      if (!res.ok || !this.wire) return false;
      this.setWire(prependPage(this.wire, res));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Fetches every older reveal the view sums up (a whole view carries the latest round's only), and keeps them in
   * from now on. Resolves with the view once it holds them all, or null if they could not be loaded.
   */
  loadEarlierReveals(): Promise<GameView | null> {
    this.wantEarlierReveals = true;
    this.loadingReveals ??= this.fetchEarlierReveals().finally(() => {
      this.loadingReveals = null;
    });
    return this.loadingReveals;
  }

  private loadingReveals: Promise<GameView | null> | null = null;

  private async fetchEarlierReveals(): Promise<GameView | null> {
    for (let tries = 0; this.wire?.earlierReveals.length && tries < 50; tries++) {
      if (!this.socket.connected) return null;
      const oldest = this.wire.reveals[0]?.round ?? Number.MAX_SAFE_INTEGER;
      const before = Math.min(oldest, this.wire.earlierReveals[this.wire.earlierReveals.length - 1].round + 1);
      try {
        const res = await this.socket.timeout(10_000).emitWithAck('reveals', { before });
        if (!res.ok || !res.reveals.length || !this.wire) return null;
        // addReveals ignores what no longer fits (the game ended meanwhile, and the reveals read otherwise).
        this.setWire(addReveals(this.wire, res));
      } catch {
        return null;
      }
    }
    return this.wire?.earlierReveals.length ? null : this.state.view;
  }

  /**
   * Sends a command; resolves with the server's answer (never throws). If the link drops before the answer, the
   * command is sent again with the same id once it is back, and so is one answered SHUTTING_DOWN (never applied).
   * Offline, a command is refused at once unless `whenBack`: then it waits, and goes once the link is back (within
   * the same minute a dropped command is sent again in).
   */
  send(command: ClientCommandInput, opts: { whenBack?: boolean } = {}): Promise<CommandAck> {
    const connected = this.socket.connected;
    if (!connected && !opts.whenBack)
      return Promise.resolve({
        ok: false,
        error: { code: 'OFFLINE', message: 'Not connected: wait for the connection to come back.' },
      });
    const id = commandId();
    return new Promise((resolve) => {
      const p: Pending = { payload: { ...command, id }, sentAt: Date.now(), resolve, tries: 0 };
      p.slowTimer = setTimeout(() => this.noteUnconfirmed(), SLOW_MS);
      this.pending.set(id, p);
      if (connected) this.emitCommand(id);
    });
  }

  /** Whether any command has waited `SLOW_MS` or more for its answer (a re-send keeps its first time). */
  private noteUnconfirmed() {
    const now = Date.now();
    const unconfirmed = [...this.pending.values()].some((p) => now - p.sentAt >= SLOW_MS);
    if (unconfirmed !== this.state.unconfirmed) this.set({ unconfirmed });
  }

  private emitCommand(id: string) {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    // Only a connected client gives up on an answer: one that is offline sends the command again when back.
    p.timer = setTimeout(() => {
      if (this.socket.connected)
        this.settle(id, {
          ok: false,
          error: { code: 'TIMEOUT', message: 'The server did not answer in time. Try again.' },
        });
    }, ANSWER_MS);
    this.socket.emit('command', p.payload, (res: CommandAck) => {
      if (!res.ok && res.error.code === 'SHUTTING_DOWN') return; // not applied: sent again after the reconnect
      if (!res.ok && RETRIED.has(res.error.code) && Date.now() - p.sentAt < RESEND_FOR_MS) {
        clearTimeout(p.timer);
        p.timer = setTimeout(() => this.emitCommand(id), Math.min(5_000, 500 * 2 ** p.tries++));
        return;
      }
      this.settle(id, res);
    });
  }

  private settle(id: string, ack: CommandAck) {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    clearTimeout(p.slowTimer);
    this.pending.delete(id);
    this.noteUnconfirmed();
    p.resolve(ack);
  }

  private resendPending() {
    for (const [id, p] of this.pending) {
      if (Date.now() - p.sentAt > RESEND_FOR_MS)
        this.settle(id, {
          ok: false,
          error: { code: 'TIMEOUT', message: 'The connection was lost before an answer. Check, then try again.' },
        });
      else this.emitCommand(id);
    }
  }
}
