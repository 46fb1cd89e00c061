// Ids and secrets. Lower-case letters and digits only: safe in URLs, file names, Redis keys and room names,
// and easy to read aloud. Ids are not secret; secrets are long enough that guessing one is hopeless (134 bits).
import { randomBytes } from 'node:crypto';
import { customAlphabet } from 'nanoid';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Game, player and engine entity ids. */
export const newId: () => string = customAlphabet(ALPHABET, 12);

/** The random part of a seat token. */
export const newSecret: () => string = customAlphabet(ALPHABET, 26);

/**
 * The secret that keys a game's dice when nobody chose a seed: 256 random bits, in hex (docs/rules.md, "Provable
 * dice"). A new game's and a fork's alike.
 */
export const newDiceSecret = (): string => randomBytes(32).toString('hex');

/** The fresh ids every engine decision is given (it may use up to four). */
export const freshIds = (): string[] => [newId(), newId(), newId(), newId()];

/** A game id as this server makes them; anything else in a code or a token is refused before any lookup. */
export const GAME_ID = /^[0-9a-z]{12}$/;
