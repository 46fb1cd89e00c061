// Seeded dice: mulberry32, a tiny generator whose whole state is one 32-bit integer kept in the game state,
// so that replaying the log rolls the same numbers.

/** Hashes a seed (string or number) to the generator's first state. */
export function seedState(seed: string | number): number {
  const s = String(seed);
  let h = 2166136261 >>> 0; // FNV-1a
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

/** One draw: returns [value in [0, 1), next state]. */
export function roll(state: number): [number, number] {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, next];
}

/** A cursor over the dice for one decision, so a function can draw several times and hand back the final state. */
export class Dice {
  constructor(public state: number) {}
  next(): number {
    const [value, state] = roll(this.state);
    this.state = state;
    return value;
  }
}
