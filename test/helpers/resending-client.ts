// A client that behaves as docs/protocol.md advises (and as the browser does): each command carries an id, and a
// command left unanswered when the link drops, or answered SHUTTING_DOWN, is sent again with the same id once the
// link is back. It records when each answer came relative to the link dropping, for the stop and crash tests.
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../shared/protocol.ts';

export type CommandAck = Ack<{ version: number }>;

interface Pending {
  payload: Record<string, unknown>;
  sentAt: number;
  resolve: (ack: CommandAck) => void;
  /** Sent on the current connection and not answered there yet (a SHUTTING_DOWN answer counts as an answer). */
  awaiting: boolean;
}

export class ResendingClient {
  readonly socket: Socket;
  readonly #pending = new Map<string, Pending>();
  /** Commands that were sent and still unanswered at a disconnect, summed over every disconnect. */
  unansweredAtDisconnect: { id: string; sentAt: number; at: number }[] = [];
  /** How many times a command was sent again after a reconnect. */
  resent = 0;
  /** Every answer, in order. */
  readonly answers: { id: string; ack: CommandAck }[] = [];
  disconnects = 0;

  constructor(url: string, token: string) {
    this.socket = io(url, {
      auth: { token },
      transports: ['websocket'],
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      forceNew: true,
    });
    this.socket.on('connect', () => {
      for (const id of this.#pending.keys()) {
        this.resent += 1;
        this.#emit(id);
      }
    });
    this.socket.on('disconnect', () => {
      this.disconnects += 1;
      const at = Date.now();
      for (const [id, p] of this.#pending) {
        if (p.awaiting) this.unansweredAtDisconnect.push({ id, sentAt: p.sentAt, at });
        p.awaiting = false;
      }
    });
    // A refusal by the server's middleware (SHUTTING_DOWN while it drains, UNAVAILABLE) ends Socket.IO's retries.
    this.socket.on('connect_error', () => {
      if (!this.socket.active) setTimeout(() => this.socket.connect(), 200);
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Sends a command with a fresh id; resolves with its answer, however many reconnections that takes. */
  send(command: Record<string, unknown>, id = randomBytes(9).toString('base64url')): Promise<CommandAck> {
    return new Promise((resolve) => {
      this.#pending.set(id, { payload: { ...command, id }, sentAt: Date.now(), resolve, awaiting: false });
      if (this.socket.connected) this.#emit(id);
    });
  }

  get pending(): number {
    return this.#pending.size;
  }

  close(): void {
    this.socket.close();
  }

  #emit(id: string): void {
    const p = this.#pending.get(id);
    if (!p) return;
    p.awaiting = true;
    this.socket.emit('command', p.payload, (ack: CommandAck) => {
      if (!this.#pending.has(id)) return;
      p.awaiting = false;
      if (!ack.ok && ack.error.code === 'SHUTTING_DOWN') return; // never applied: sent again after the reconnect
      this.#pending.delete(id);
      this.answers.push({ id, ack });
      p.resolve(ack);
    });
  }
}
