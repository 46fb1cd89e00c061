// Snapshots are a cache for fast loading. They hold the engine's state as JSON, so a change to the shape of
// GameState bumps the engine's STATE_FORMAT: old snapshots are then ignored and the game is replayed from its log.
import { internState, STATE_FORMAT, type GameState } from '../engine/index.ts';
import type { Snapshot } from '../store/event-store.ts';

export const SNAPSHOT_FORMAT = STATE_FORMAT;

interface Stored {
  format: number;
  state: GameState;
}

export const toSnapshot = (state: GameState): Stored => ({ format: SNAPSHOT_FORMAT, state });

/** The state in a snapshot, or null if it was written by another format (or is not ours at all). */
export function fromSnapshot(snapshot: Snapshot | null): { version: number; state: GameState } | null {
  if (!snapshot || snapshot.version < 1) return null;
  const stored = snapshot.state as Partial<Stored> | null;
  if (
    typeof stored !== 'object' ||
    stored === null ||
    stored.format !== SNAPSHOT_FORMAT ||
    typeof stored.state !== 'object' ||
    stored.state === null
  )
    return null;
  return { version: snapshot.version, state: internState(stored.state) };
}
