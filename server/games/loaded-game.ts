// A game held in memory by this process: its state at a version of the log, what each audience was last sent,
// and the timer for its next deadline.
import type { GameState } from '../engine/index.ts';
import { ViewCache } from './view-cache.ts';

export class LoadedGame {
  readonly views: ViewCache;
  /** Set when the store may hold events this process has not folded (a conflict, or a failed append). */
  stale = false;
  timer: NodeJS.Timeout | undefined;
  /** When the armed timer fires, so that re-arming after every command is free when it did not move. */
  armedFor: number | null = null;
  /** After a failed tick: not before this time, and how many failed in a row. */
  retryAt = 0;
  tickFailures = 0;

  constructor(readonly id: string, public state: GameState, public version: number, public snapshotVersion: number) {
    this.views = new ViewCache(id);
  }
}
