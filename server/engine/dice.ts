// Seeded dice: an HMAC counter, or mulberry32, a tiny generator whose whole state is one 32-bit integer (see
// DiceScheme). Either way the state is kept in the game state, so replaying the log rolls the same.
import { createHash, createHmac } from 'node:crypto';

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

/**
 * How a game's dice are drawn, recorded in its first event:
 * - 'hmac-sha256': every game the server makes. Draw n is HMAC-SHA256(seed, n), and the state is n. Seeing any
 *   number of rolls tells nothing about the next one to whoever lacks the seed (a server secret, or one its creator
 *   chose to replay a session), yet once the seed is revealed anyone can recompute them all.
 * - 'mulberry32': games the engine makes without a server (its tests, the simulator), and games stored when chosen
 *   seeds used it; the state is the generator's. One seen roll gives its 32 bits away, whatever the seed.
 */
export type DiceScheme = 'mulberry32' | 'hmac-sha256';

/** Draw number `n` of a secret-seeded game: 48 bits of HMAC-SHA256(seed, "roll:n"), in [0, 1). */
export function secretRoll(seed: string, n: number, stream = 'roll'): number {
  const mac = createHmac('sha256', seed).update(`${stream}:${n}`).digest();
  return mac.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * The commitment published when a game is created: whoever holds the seed (and its salt) later can show it was this
 * one. A seed chosen by hand is salted with a secret the server draws and reveals with the seed at the debrief:
 * unsalted, the hash of a guessable seed (a word, a date) let any seat confirm a guess offline, then foresee every
 * roll and read the line ids it keys.
 */
export const diceCommitment = (seed: string, salt?: string): string =>
  createHash('sha256')
    .update(salt === undefined ? seed : `${salt}:${seed}`)
    .digest('hex');

/** The dice of a secret-seeded game: a counter under an HMAC (`stream` names one of several kept apart). */
export class SecretDice extends Dice {
  constructor(
    readonly seed: string,
    state: number,
    readonly stream = 'roll',
  ) {
    super(state);
  }
  override next(): number {
    const value = secretRoll(this.seed, this.state, this.stream);
    this.state += 1;
    return value;
  }
}

/**
 * Whether the game's creator chose its seed rather than the server drawing it: rolled by mulberry32 (games made
 * without a server secret, and those stored before chosen seeds were keyed), or keyed and salted (only a chosen
 * seed is salted). A chosen seed is no secret to the White Cell; a drawn one is, until the debrief.
 */
export const seedChosen = (options: { dice?: DiceScheme; salt?: string }): boolean =>
  options.dice !== 'hmac-sha256' || options.salt !== undefined;

/** The dice for a game, at `state` (its current one by default). */
export function diceOf(options: { seed: string; dice?: DiceScheme }, state: number): Dice {
  return options.dice === 'hmac-sha256' ? new SecretDice(options.seed, state) : new Dice(state);
}
