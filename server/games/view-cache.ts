// What each audience of one game was last sent, section by section, so that an update carries only the top-level
// sections whose JSON changed, and each view is built once per audience per version however many sockets want it.
//
// Version rule (docs/protocol.md): a patch {from, version} applies to a client holding any version v with
// from <= v < version, because this audience's view did not change between `from` and `version`.
import { audienceKey, audiences, changedSections, SECTIONS, viewSections, type Audience, type GameState } from '../engine/index.ts';
import type { ViewPatch } from '../../shared/protocol.ts';
import type { GameView } from '../../shared/views.ts';

type Section = keyof GameView;

interface Entry {
  /** The version this entry is the audience's view at. */
  validAt: number;
  /** The last version at which this audience's view changed: the `from` of its next patch. */
  changedAt: number;
  view: GameView;
  json: Map<Section, string>;
}

export interface AudiencePatch { key: string; patch: ViewPatch }

export class ViewCache {
  readonly #entries = new Map<string, Entry>();

  constructor(readonly gameId: string) {}

  /** The audience's whole view at `version` (the state's current version). */
  full(state: GameState, version: number, audience: Audience): GameView {
    const key = audienceKey(audience);
    const entry = this.#entries.get(key);
    if (entry && entry.validAt === version) return entry.view;
    const view = viewSections(state, audience) as GameView;
    const json = new Map(SECTIONS.map((sec) => [sec, JSON.stringify(view[sec])] as const));
    // The sockets about to receive this view hold `version`, so the next patch may start there.
    this.#entries.set(key, { validAt: version, changedAt: version, view, json });
    return view;
  }

  /**
   * Moves every audience from `prev` (at version `from`) to `next` (at `version`) and returns the patches to send.
   * Audiences nobody listens to are dropped rather than kept up to date: whoever connects next gets a full view.
   */
  update(prev: GameState, next: GameState, from: number, version: number, listening: (key: string) => boolean): AudiencePatch[] {
    const candidates = changedSections(prev, next);
    const out: AudiencePatch[] = [];
    for (const audience of audiences(next)) {
      const key = audienceKey(audience);
      if (!listening(key)) { this.#entries.delete(key); continue; }
      const entry = this.#entries.get(key);
      if (!entry || entry.validAt !== from) {
        // Listeners this process has no record for (another process's view, say): send every section, from 0,
        // which any client applies as a whole new view.
        const view = viewSections(next, audience) as GameView;
        this.#entries.set(key, { validAt: version, changedAt: version, view, json: new Map(SECTIONS.map((s) => [s, JSON.stringify(view[s])] as const)) });
        out.push({ key, patch: { gameId: this.gameId, from: 0, version, sections: view } });
        continue;
      }
      const built = viewSections(next, audience, candidates);
      const sections: Partial<GameView> = {};
      let changed = false;
      for (const sec of candidates) {
        const json = JSON.stringify(built[sec]);
        if (entry.json.get(sec) === json) continue;
        entry.json.set(sec, json);
        (sections as Record<Section, unknown>)[sec] = built[sec];
        changed = true;
      }
      entry.validAt = version;
      if (!changed) continue;
      // A new object, never a mutation: a view handed out earlier stays what it was.
      entry.view = { ...entry.view, ...sections };
      out.push({ key, patch: { gameId: this.gameId, from: entry.changedAt, version, sections } });
      entry.changedAt = version;
    }
    return out;
  }

  /** Audiences with a cached view (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }
}
