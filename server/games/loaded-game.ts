// A game held in memory by this process: its state at a version of the log, what each audience was last sent,
// and the timer for its next deadline.
import type { GameState } from '../engine/index.ts';
import { Receipts } from './receipts.ts';
import { ViewCache } from './view-cache.ts';

export class LoadedGame {
  /** What each audience was last sent. */
  readonly views: ViewCache;
  /** Set when the store may hold events this process has not folded (a conflict, or a failed append). */
  stale = false;
  /**
   * Set when an append of ours failed without a clear answer: it may have been stored, and if so nobody has told
   * the clients. The next catch-up then publishes what it finds.
   */
  owesPublish = false;
  timer: NodeJS.Timeout | undefined;
  /** When the armed timer fires, so that re-arming after every command is free when it did not move. */
  armedFor: number | null = null;
  /**
   * After a failed tick (or a tick another process is firing): not before `at`, as long as the deadline is `deadline`.
   */
  retry: { deadline: number; at: number } | null = null;
  tickFailures = 0;

  constructor(
    readonly id: string,
    public state: GameState,
    public version: number,
    public snapshotVersion: number,
    /** The answers given to the last commands of each seat, for clients that send one again (receipts.ts). */
    readonly receipts = new Receipts(),
  ) {
    this.views = new ViewCache(id);
  }
}

/** When the game's clock next needs a tick, from its state: null when it has no running clock. */
export const deadlineOf = (state: GameState): number | null =>
  state.paused || state.deadline === null ? null : state.deadline;
