// What each audience of one game was last sent, section by section, so that an update carries only the top-level
// sections whose JSON changed, and each view is built once per audience per version however many sockets want it.
//
// Versions on the wire are each audience's own (see audience-versions.ts): a patch {from, version} takes a client
// holding the audience's version `from` to `version`, and moves it by one, since a command changes a view once.
// Inside, the cache follows the game's version, which says which state an entry was built from.
import { createHash } from 'node:crypto';
import {
  audienceKey,
  audiences,
  changedSections,
  SECTIONS,
  seqOf,
  type Audience,
  type GameState,
  viewFor,
} from '../engine/index.ts';
import type { ViewPatch } from '../../shared/protocol.ts';
import type { GameView } from '../../shared/views.ts';

type Section = keyof GameView;

interface Entry {
  /** The version this entry is the audience's view at. */
  validAt: number;
  /** The audience's own version at `validAt`: the `from` of its next patch. */
  seq: number;
  /** A digest of each section as last sent: enough to tell a change, without keeping every section's JSON twice. */
  digests: Map<Section, string>;
  /** Chat is compared by count and last id instead: it only grows, and new lines are sent on their own. */
  messageCount: number;
  lastMessageId: string | null;
}

const digest = (value: unknown) =>
  createHash('sha1')
    .update(JSON.stringify(value) ?? 'undefined')
    .digest('base64');

function entryFor(view: GameView, version: number, seq: number): Entry {
  const digests = new Map(SECTIONS.filter((sec) => sec !== 'messages').map((sec) => [sec, digest(view[sec])] as const));
  const last = view.messages[view.messages.length - 1];
  return {
    validAt: version,
    seq,
    digests,
    messageCount: view.messages.length,
    lastMessageId: last?.id ?? null,
  };
}

export interface AudiencePatch {
  key: string;
  patch: ViewPatch;
}

export class ViewCache {
  readonly #entries = new Map<string, Entry>();
  /**
   * Whole views built at the current version, so that a burst of (re)connections builds each audience's view once.
   * Dropped at the next update: kept for good they were most of a game's memory, and whole views are rare.
   */
  #whole = new Map<string, { version: number; view: GameView }>();

  constructor(readonly gameId: string) {}

  /** The audience's whole view at `version` (the state's current version). */
  full(state: GameState, version: number, audience: Audience): GameView {
    const key = audienceKey(audience);
    const memo = this.#whole.get(key);
    if (memo && memo.version === version) return memo.view;
    const view = viewFor(state, audience);
    this.#whole.set(key, { version, view });
    // The sockets about to receive this view hold `version`, so the next patch may start there.
    const entry = this.#entries.get(key);
    if (!entry || entry.validAt !== version) this.#entries.set(key, entryFor(view, version, seqOf(state, key)));
    return view;
  }

  /**
   * Moves every audience from `prev` (at version `from`) to `next` (at `version`) and returns the patches to send.
   * Audiences nobody listens to are dropped rather than kept up to date: whoever connects next gets a full view.
   */
  update(
    prev: GameState,
    next: GameState,
    from: number,
    version: number,
    listening: (key: string) => boolean,
  ): AudiencePatch[] {
    const candidates = changedSections(prev, next);
    const out: AudiencePatch[] = [];
    this.#whole = new Map();
    for (const audience of audiences(next)) {
      const key = audienceKey(audience);
      if (!listening(key)) {
        this.#entries.delete(key);
        continue;
      }
      const entry = this.#entries.get(key);
      const seq = seqOf(next, key);
      if (!entry || entry.validAt !== from) {
        // Listeners this process has no record for (another process's view, say): send every section, from 0,
        // which any client applies as a whole new view.
        const view = viewFor(next, audience);
        this.#entries.set(key, entryFor(view, version, seq));
        out.push({ key, patch: { gameId: this.gameId, from: 0, version: seq, sections: view } });
        continue;
      }
      const built = viewFor(next, audience, candidates);
      const sections: Partial<GameView> = {};
      let appended: GameView['messages'] | null = null;
      let changed = false;
      for (const sec of candidates) {
        if (sec === 'messages') {
          const messages = built.messages!;
          if (
            messages.length === entry.messageCount &&
            (messages[messages.length - 1]?.id ?? null) === entry.lastMessageId
          )
            continue;
          const grew =
            messages.length > entry.messageCount &&
            (entry.messageCount === 0 || messages[entry.messageCount - 1].id === entry.lastMessageId);
          if (grew) appended = messages.slice(entry.messageCount);
          else sections.messages = messages;
          entry.messageCount = messages.length;
          entry.lastMessageId = messages[messages.length - 1]?.id ?? null;
          changed = true;
          continue;
        }
        const d = digest(built[sec]);
        if (entry.digests.get(sec) === d) continue;
        entry.digests.set(sec, d);
        (sections as Record<Section, unknown>)[sec] = built[sec];
        changed = true;
      }
      entry.validAt = version;
      // The log says whether this audience's version moved (a view changed and changed back, within what this
      // process folds at once, still moves it): a patch then follows, empty if need be, so the client moves too.
      if (seq === entry.seq && !changed) continue;
      const patch: ViewPatch = { gameId: this.gameId, from: entry.seq, version: seq, sections };
      if (appended) patch.appendMessages = appended;
      out.push({ key, patch });
      entry.seq = seq;
    }
    return out;
  }

  /** Audiences with a cached view (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }
}
