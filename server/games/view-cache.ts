// What each audience of one game was last sent, section by section, so that an update carries only the top-level
// sections whose JSON changed, and each view is built once per audience per version however many sockets want it.
//
// Versions on the wire are each audience's own (see audience-versions.ts): a patch {from, version} takes a client
// holding the audience's version `from` to `version`, and moves it by one, since a command changes a view once.
// Inside, the cache follows the game's version, which says which state an entry was built from.
import { hash } from 'node:crypto';
import {
  audienceKey,
  audiences,
  changedSections,
  heldCounts,
  messagesSince,
  SECTIONS,
  seqOf,
  type Audience,
  type GameState,
  wireView,
} from '../engine/index.ts';
import type { ViewPatch } from '../../shared/protocol.ts';
import type { GameView, WireView } from '../../shared/views.ts';

type Section = keyof GameView;

interface Entry {
  /** The version this entry is the audience's view at. */
  validAt: number;
  /** The audience's own version at `validAt`: the `from` of its next patch. */
  seq: number;
  /** A digest of each section as last sent: enough to tell a change, without keeping every section's JSON twice. */
  digests: Map<Section, string>;
  /**
   * Chat is not compared at all: it only grows, so the audience is sent the lines added to its channels since
   * these counts (per readable channel, how many lines it holds up to), whatever the length of the history.
   */
  held: Map<string, number>;
}

/** Sections not digested: chat travels as appended lines, and its paging counts only in whole views. */
const CHAT = new Set<Section>(['messages', 'earlierMessages']);

// One-shot hash(): the same digest as createHash().update().digest() without a Hash object each time (a phase
// change digests about 140 sections).
const digest = (value: unknown) => hash('sha1', JSON.stringify(value) ?? 'undefined', 'base64');

function entryFor(state: GameState, audience: Audience, view: WireView, version: number, seq: number): Entry {
  const digests = new Map(SECTIONS.filter((sec) => !CHAT.has(sec)).map((sec) => [sec, digest(view[sec])] as const));
  return { validAt: version, seq, digests, held: heldCounts(state, audience) };
}

export interface AudiencePatch {
  key: string;
  patch: ViewPatch;
}

/**
 * One command's views outside chat, built once for two uses: which audiences they change (recorded in the log as
 * `seen`, audience-versions.ts), and, once the command is stored, the sections of its patches (`update`).
 */
export interface ViewDiff {
  prev: GameState;
  from: number;
  /** The sections outside chat whose inputs the command changed. */
  rebuilt: readonly Section[];
  /** Audiences whose view outside chat differs from their view at `from`. */
  changed: ReadonlySet<string>;
  /** For the audiences this cache holds at `from`: their rebuilt sections at `next`, and the digests of these. */
  built: ReadonlyMap<string, { view: Partial<WireView>; digests: Map<Section, string> }>;
}

const sameSections = (a: readonly Section[], b: readonly Section[]) =>
  a.length === b.length && a.every((sec, i) => sec === b[i]);

export class ViewCache {
  readonly #entries = new Map<string, Entry>();
  /**
   * Whole views built at the current version, so that a burst of (re)connections builds each audience's view once.
   * Dropped at the next update: kept for good they were most of a game's memory, and whole views are rare.
   */
  #whole = new Map<string, { version: number; view: WireView }>();

  constructor(readonly gameId: string) {}

  /** The audience's whole view at `version` (the state's current version). */
  full(state: GameState, version: number, audience: Audience): WireView {
    const key = audienceKey(audience);
    const memo = this.#whole.get(key);
    if (memo && memo.version === version) return memo.view;
    const view = wireView(state, audience);
    this.#whole.set(key, { version, view });
    // The sockets about to receive this view hold `version`, so the next patch may start there.
    const entry = this.#entries.get(key);
    if (!entry || entry.validAt !== version)
      this.#entries.set(key, entryFor(state, audience, view, version, seqOf(state, key)));
    return view;
  }

  /**
   * Which audiences' views outside chat a command changes, from `prev` (at version `from`) to `next`: each audience's
   * rebuilt sections are compared with the digests of what it was last sent when this cache holds it at `from` (the
   * same as its view of `prev`, built once fewer), and with its view of `prev` otherwise. Changes nothing here.
   */
  diff(prev: GameState, next: GameState, from: number): ViewDiff {
    const rebuilt = changedSections(prev, next, true).filter((sec) => !CHAT.has(sec));
    const changed = new Set<string>();
    const built = new Map<string, { view: Partial<WireView>; digests: Map<Section, string> }>();
    if (rebuilt.length)
      for (const audience of audiences(next)) {
        const key = audienceKey(audience);
        const view = wireView(next, audience, rebuilt);
        const digests = new Map(rebuilt.map((sec) => [sec, digest(view[sec])] as const));
        const entry = this.#entries.get(key);
        let before: (sec: Section) => string | undefined;
        if (entry && entry.validAt === from) {
          built.set(key, { view, digests });
          before = (sec) => entry.digests.get(sec);
        } else {
          const old = wireView(prev, audience, rebuilt);
          before = (sec) => digest(old[sec]);
        }
        if (rebuilt.some((sec) => before(sec) !== digests.get(sec))) changed.add(key);
      }
    return { prev, from, rebuilt, changed, built };
  }

  /**
   * Moves every audience from `prev` (at version `from`) to `next` (at `version`) and returns the patches to send.
   * With the command's `diff` (taken from the same `prev` and `from`), the sections it built are used, not rebuilt.
   * Audiences nobody listens to are dropped rather than kept up to date: whoever connects next gets a full view.
   * `whole`: the clients may not have been told of these events (an append whose answer was lost), and another
   * process may have patched over them meanwhile; every audience whose version moved gets its whole view, from 0.
   * The others get nothing, as on any update: a whole view sent to all would tell every team that something happened.
   */
  update(
    prev: GameState,
    next: GameState,
    from: number,
    version: number,
    listening: (key: string) => boolean,
    diff?: ViewDiff,
    whole = false,
  ): AudiencePatch[] {
    const candidates = changedSections(prev, next, true);
    const chatMoved = candidates.includes('messages');
    const rebuilt = candidates.filter((sec) => !CHAT.has(sec));
    const prepared =
      diff && diff.prev === prev && diff.from === from && sameSections(diff.rebuilt, rebuilt) ? diff.built : undefined;
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
      if (!entry || entry.validAt !== from || (whole && seq !== entry.seq)) {
        // Listeners this process has no record for (another process's view, say): send every section, from 0,
        // which any client applies as a whole new view.
        const view = wireView(next, audience);
        this.#entries.set(key, entryFor(next, audience, view, version, seq));
        out.push({ key, patch: { gameId: this.gameId, from: 0, version: seq, sections: view } });
        continue;
      }
      const ready = prepared?.get(key);
      const built = ready?.view ?? wireView(next, audience, rebuilt);
      const sections: Partial<WireView> = {};
      const appended = chatMoved ? messagesSince(next, audience, entry.held) : [];
      let changed = appended.length > 0;
      for (const sec of rebuilt) {
        const d = ready?.digests.get(sec) ?? digest(built[sec]);
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
      if (appended.length) patch.appendMessages = appended;
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
