// With several server processes, each game's patches reach a client through Redis from whichever process stored
// them, and two of them can arrive out of order: patch 8→9 before 7→8. The protocol's answer to a gap is a resync
// (the whole view), which costs the client and the server far more than waiting a moment: so the first patch that
// comes early is held for up to HOLD_MS, and applied as soon as the missing one has been. Only a second gap, or a
// hold that times out, asks for a resync.
import type { ViewPatch } from './protocol.ts';

export const HOLD_MS = 250;

export type PatchStep = 'apply' | 'ignore' | 'hold' | 'resync';

export class PatchOrder {
  #held: ViewPatch | null = null;

  /** What to do with a patch arriving when the client holds `version` (-1: no view yet). */
  offer(version: number, p: ViewPatch): PatchStep {
    if (p.version <= version) return 'ignore'; // already have it (e.g. a full view overtook it)
    if (version >= p.from) return 'apply';
    if (this.#held || version < 0) {
      this.#held = null;
      return 'resync';
    }
    this.#held = p;
    return 'hold';
  }

  /** After the view moved to `version`: the held patch, if it applies now (it is then no longer held). */
  release(version: number): ViewPatch | null {
    const held = this.#held;
    if (!held) return null;
    if (held.version <= version) {
      this.#held = null;
      return null;
    }
    if (version < held.from) return null;
    this.#held = null;
    return held;
  }

  /** The hold ran out: true if a patch was still waiting (the caller resyncs). */
  expire(p: ViewPatch): boolean {
    if (this.#held !== p) return false;
    this.#held = null;
    return true;
  }

  /** A whole view arrived: nothing held matters any more unless it is newer. */
  get held(): ViewPatch | null {
    return this.#held;
  }
}
