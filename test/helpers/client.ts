// A bot's view of the server, over socket.io-client: it records EVERY payload it receives (views, patches, presence,
// acks, connection errors) for the spy tests, keeps its view current by the protocol's patch/version rule, and
// sends commands with acks. Waits are bounded generously; nothing here measures time.
import { io, type Socket } from 'socket.io-client';
import {
  addReveals,
  applyPatch,
  prependPage,
  withArchive,
  withCatalogue,
  type Ack,
  type Archive,
  type ArchivePage,
  type RevealPage,
  type ClientToServer,
  type FullView,
  type MessagePage,
  type Presence,
  type ServerToClient,
  type ViewPatch,
} from '../../shared/protocol.ts';
import { HOLD_MS, PatchOrder } from '../../shared/patch-order.ts';
import { ARCHIVE_PAGE, type Catalogue, type GameView, type WireView } from '../../shared/views.ts';
import { contextOf, type SeenContext } from './scenario-secrets.ts';

/** One payload, and what the client's view showed right after handling it. */
export interface Received {
  event: string;
  payload: unknown;
  after?: SeenContext;
}
export type CommandAck = Ack<{ version: number }>;

/** A socket with no event typing, for sending what a well-behaved client never would. */
export interface RawSocket {
  emit(event: string | number, ...args: unknown[]): unknown;
  timeout(ms: number): { emitWithAck(event: string | number, ...args: unknown[]): Promise<unknown> };
}

const WAIT_MS = 30_000;

interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

export class TestClient {
  readonly received: Received[] = [];
  readonly socket: Socket<ServerToClient, ClientToServer>;
  view: WireView | null = null;
  version = -1;
  presence: Presence | null = null;
  /** How many resyncs this client asked for because patches did not follow on from its version. */
  gaps = 0;
  /** How many patches arrived ahead of this client's version (held back a moment, or answered by a resync). */
  outOfOrder = 0;
  readonly #order = new PatchOrder();
  readonly #waiters = new Set<Waiter>();

  constructor(
    readonly url: string,
    readonly token: string,
    readonly label = 'client',
  ) {
    this.socket = io(url, {
      auth: { token },
      // As the browser does: the game id in the URL, for balancers that route by it.
      query: { game: token.split('.')[0] },
      transports: ['websocket'],
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      forceNew: true,
    });
    // onAny runs before the handlers below; each of them stamps the record once it has been applied.
    this.socket.onAny((event: string, ...args: unknown[]) =>
      this.received.push({ event, payload: args[0], after: this.#context() }),
    );
    this.socket.on('connect_error', (err) => {
      this.received.push({ event: 'connect_error', payload: { message: err.message } });
      this.#notify();
    });
    this.socket.on('view', (p) => this.#setView(p));
    this.socket.on('patch', (p) => this.#patch(p));
    this.socket.on('presence', (p) => {
      this.presence = p;
      this.#notify();
    });
    this.socket.on('disconnect', () => this.#notify());
    this.socket.on('connect', () => this.#notify());
  }

  get raw(): RawSocket {
    return this.socket as unknown as RawSocket;
  }

  /** Connects and resolves once the first full view has arrived. */
  static async connect(url: string, token: string, label?: string): Promise<TestClient> {
    const c = new TestClient(url, token, label);
    await c.until(
      () => c.view !== null,
      `${label ?? 'client'}: first view`,
      () => {
        const err = c.received.find((r) => r.event === 'connect_error');
        return err ? new Error(`${label ?? 'client'}: connect_error ${JSON.stringify(err.payload)}`) : null;
      },
    );
    await c.catalogue();
    return c;
  }

  /** Connects with a token that must be refused; resolves with the error's message. */
  static async refused(url: string, token: unknown): Promise<string> {
    const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      return await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no connect_error within 30 s')), WAIT_MS);
        socket.on('connect_error', (err) => {
          clearTimeout(timer);
          resolve(err.message);
        });
        socket.on('connect', () => {
          clearTimeout(timer);
          reject(new Error('connected with a token that should be refused'));
        });
      });
    } finally {
      socket.close();
    }
  }

  async command(command: unknown): Promise<CommandAck> {
    const ack = (await this.raw.timeout(WAIT_MS).emitWithAck('command', command)) as CommandAck;
    this.received.push({ event: 'ack:command', payload: ack, after: this.#context() });
    return ack;
  }

  /** Sends a command that must succeed; throws with the error otherwise. */
  async do(command: { type: string } & Record<string, unknown>): Promise<number> {
    const ack = await this.command(command);
    if (!ack.ok) throw new Error(`${this.label}: ${command.type} failed: ${ack.error.code} ${ack.error.message}`);
    return ack.version;
  }

  async resync(): Promise<Ack<FullView>> {
    const ack = (await this.raw.timeout(WAIT_MS).emitWithAck('resync')) as Ack<FullView>;
    const record: Received = { event: 'ack:resync', payload: ack };
    this.received.push(record);
    if (ack.ok && ack.version >= this.version) this.#setView(ack);
    record.after = this.#context();
    return ack;
  }

  /** Asks for older chat of a channel; an answer that fits is put in front of the lines the view holds. */
  async history(request: unknown): Promise<Ack<MessagePage>> {
    const ack = (await this.raw.timeout(WAIT_MS).emitWithAck('history', request)) as Ack<MessagePage>;
    const record: Received = { event: 'ack:history', payload: ack };
    this.received.push(record);
    if (ack.ok && this.view) this.view = prependPage(this.view, ack);
    record.after = this.#context();
    return ack;
  }

  async reveals(request: unknown): Promise<Ack<RevealPage>> {
    const ack = (await this.raw.timeout(WAIT_MS).emitWithAck('reveals', request)) as Ack<RevealPage>;
    const record: Received = { event: 'ack:reveals', payload: ack };
    this.received.push(record);
    if (ack.ok && this.view) this.view = addReveals(this.view, ack);
    record.after = this.#context();
    return ack;
  }

  /** The deals and injects of earlier rounds fetched by archive() (kept by id with their hash, as the browser does). */
  archived: Archive = { deals: new Map(), injects: new Map() };

  async archive(request: unknown): Promise<Ack<ArchivePage>> {
    const ack = (await this.raw.timeout(WAIT_MS).emitWithAck('archive', request)) as Ack<ArchivePage>;
    this.received.push({ event: 'ack:archive', payload: ack });
    if (ack.ok)
      for (const { hash, item } of ack.items)
        (this.archived[ack.kind] as Map<string, unknown>).set(item.id, { hash, item });
    return ack;
  }

  /** Fetches every earlier deal and inject the view names and the archive lacks; returns the view joined to them. */
  async loadArchive(): Promise<WireView> {
    for (const kind of ['deals', 'injects'] as const) {
      const refs = kind === 'deals' ? this.view!.earlierDeals : this.view!.earlierInjects;
      const held = this.archived[kind] as Map<string, { hash: string }>;
      const ids = refs.filter((r) => held.get(r.id)?.hash !== r.hash).map((r) => r.id);
      for (let i = 0; i < ids.length; i += ARCHIVE_PAGE) {
        const ack = await this.archive({ kind, ids: ids.slice(i, i + ARCHIVE_PAGE) });
        if (!ack.ok) throw new Error(`${this.label}: archive of ${kind}: ${ack.error.code}`);
      }
    }
    return withArchive(this.view!, this.archived);
  }

  /** The catalogue last fetched (at connection, and by catalogue() or whole()). */
  held: Catalogue | null = null;

  async catalogue(request?: unknown): Promise<Ack<Catalogue>> {
    const ack = (await this.raw.timeout(WAIT_MS).emitWithAck('catalogue', request)) as Ack<Catalogue>;
    this.received.push({ event: 'ack:catalogue', payload: ack });
    if (ack.ok) this.held = ack;
    return ack;
  }

  /** The view's actions joined to the catalogue fetched last. */
  actions(): GameView['actions'] {
    return withCatalogue(this.view!, this.held!).actions;
  }

  /** Pages in every older reveal the view leaves out, and returns the view. */
  async loadAllReveals(): Promise<WireView> {
    while (this.view!.earlierReveals.length) {
      const oldest = this.view!.reveals[0]?.round ?? Number.MAX_SAFE_INTEGER;
      const before = Math.min(oldest, this.view!.earlierReveals.at(-1)!.round + 1);
      const ack = await this.reveals({ before });
      if (!ack.ok) throw new Error(`${this.label}: reveals before ${before}: ${ack.error.code}`);
      if (!ack.reveals.length) break;
    }
    return this.view!;
  }

  /**
   * The view as a screen reads it: the actions joined to the seat's catalogue (fetched now), every reveal paged in,
   * and the earlier deals and injects fetched.
   */
  async whole(): Promise<GameView> {
    await this.loadAllReveals();
    const ack = await this.catalogue();
    if (!ack.ok) throw new Error(`${this.label}: catalogue: ${ack.error.code}`);
    return withCatalogue(await this.loadArchive(), ack);
  }

  /** Pages in the whole history of every channel the view holds, and returns the view. */
  async loadAllChat(): Promise<WireView> {
    for (const channel of Object.keys(this.view!.earlierMessages))
      while (this.view!.earlierMessages[channel] > 0) {
        const ack = await this.history({ channel, before: this.view!.earlierMessages[channel] });
        if (!ack.ok) throw new Error(`${this.label}: history of ${channel}: ${ack.error.code}`);
      }
    return this.view!;
  }

  /** Resolves once the view satisfies `pred` (checked now and after every update). */
  async waitFor(pred: (view: WireView) => boolean, what: string): Promise<WireView> {
    await this.until(() => this.view !== null && pred(this.view), `${this.label}: ${what}`);
    return this.view!;
  }

  /** Resolves once `check` holds, checked after every event; rejects after a generous bound or on `fail`. */
  until(check: () => boolean, what: string, fail: () => Error | null = () => null): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const err = fail();
          if (err) {
            done();
            reject(err);
            return true;
          }
          if (!check()) return false;
          done();
          resolve();
          return true;
        },
        resolve,
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `${what}: not within ${WAIT_MS / 1000} s (version ${this.version}, phase ${this.view?.game.phase})`,
          ),
        );
      }, WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      this.#waiters.add(waiter);
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  close(): void {
    this.socket.close();
  }

  /** Every payload received, as JSON text, one per payload. */
  texts(): string[] {
    return this.received.map((r) => JSON.stringify(r.payload) ?? '');
  }

  #setView(p: FullView): void {
    this.view = p.view;
    this.version = p.version;
    this.#stamp();
    for (let next = this.#order.release(this.version); next; next = this.#order.release(this.version)) {
      this.view = applyPatch(this.view, next);
      this.version = next.version;
      this.#stamp();
    }
    this.#notify();
  }

  /** Records what the view shows now on the payload just handled. */
  #stamp(): void {
    const last = this.received[this.received.length - 1];
    if (last) last.after = this.#context();
  }

  /**
   * What the seat has been shown so far: a whole view holds the latest reveal only, so exposures read in an older
   * round's reveal are remembered here.
   */
  readonly #exposed = new Set<string>();
  #context(): SeenContext {
    const now = contextOf(this.view);
    for (const x of now.exposed) this.#exposed.add(x);
    return { ...now, exposed: [...this.#exposed] };
  }

  #patch(p: ViewPatch): void {
    if (!this.view || this.version >= p.version) return; // not started, or already newer (a resync overtook it)
    if (this.version < p.from) {
      // A gap: something was missed, or is only late (another process's patch). Held back for a moment, as the
      // browser does (shared/patch-order.ts); a second gap, or the missing patch not coming, is a resync.
      this.outOfOrder += 1;
      const step = this.#order.offer(this.version, p);
      if (step === 'hold') {
        setTimeout(() => {
          if (!this.#order.expire(p)) return;
          this.gaps += 1;
          void this.resync().catch(() => undefined);
        }, HOLD_MS);
        return;
      }
      this.gaps += 1;
      void this.resync().catch(() => undefined);
      return;
    }
    this.view = applyPatch(this.view, p);
    this.version = p.version;
    this.#stamp();
    for (let next = this.#order.release(this.version); next; next = this.#order.release(this.version)) {
      this.view = applyPatch(this.view, next);
      this.version = next.version;
      this.#stamp();
    }
    this.#notify();
  }

  #notify(): void {
    for (const w of [...this.#waiters]) w.check();
  }
}
