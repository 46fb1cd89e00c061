// The cryptography behind join codes and seat tokens. The store keeps only sha256 hashes of secrets, so a copy of
// the data directory (or of Redis) does not let anyone join or act in a game.
//
// The White Cell must be able to read the current join codes again, though, without the store holding them. So
// each game has a random codes key; a code is an HMAC of (game, generation, role) under that key, and the key itself
// is stored only sealed (AES-256-GCM) under keys derived from the White Cell's own secrets: each control seat's
// token, and the current White Cell join code (so that a White Cell member who joins later gets a sealed copy).
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, scrypt } from 'node:crypto';
import { shortCodeFromBytes } from '../../shared/join-code.ts';
import { KeyedQueue } from '../games/keyed-queue.ts';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export const newCodesKey = (): Buffer => randomBytes(32);

/** A sealed value: iv, auth tag and ciphertext, base64url, dot-separated. */
export type Sealed = string;

function keyFrom(secret: string, gameId: string): Buffer {
  // The secrets are long and random, so HKDF (not a slow password hash) is the right derivation.
  return Buffer.from(hkdfSync('sha256', secret, gameId, 'flywheel codes key', 32));
}

export function seal(secret: string, gameId: string, data: Buffer): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(secret, gameId), iv);
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

/** The sealed data, or null if the secret is not the one it was sealed with (or the value is damaged). */
export function unseal(secret: string, gameId: string, sealed: Sealed): Buffer | null {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body || iv.length !== 12 || tag.length !== 16) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFrom(secret, gameId), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return null;
  }
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 26 base32 characters (130 bits) of the HMAC: the secret part of a join code. */
export function codeSecret(key: Buffer, gameId: string, generation: number, roleKey: string): string {
  const mac = createHmac('sha256', key).update(`${gameId}:${generation}:${roleKey}`).digest();
  let bits = 0,
    value = 0,
    out = '';
  for (const byte of mac) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/**
 * The short code (canonical, 60 bits) of a seat: derived from the codes key like the long code, so the White Cell
 * can read it again and the store never holds it.
 */
export function shortCodeFor(key: Buffer, gameId: string, generation: number, roleKey: string): string {
  return shortCodeFromBytes(createHmac('sha256', key).update(`short:${gameId}:${generation}:${roleKey}`).digest());
}

/** A fresh random short code (canonical), for codes that nobody needs to read again. */
export const randomShortCode = (): string => shortCodeFromBytes(randomBytes(8));

/** What the store may keep of a short code: a lookup key, and a separate secret to seal under. */
export interface StretchedShortCode {
  /** Hex; names the code's index stream and is its hash in the auth record. */
  lookup: string;
  /** Hex; never stored: the codes key is sealed under it for the White Cell's short code. */
  sealing: string;
}

// 60 bits is far too few to hash with sha256 alone: a copy of the store could be searched for the codes offline.
// scrypt makes each guess cost about 4 MiB and some milliseconds, so that search takes machine-millennia, while one
// join still costs the server only one stretch.
const SCRYPT = { N: 4096, r: 8, p: 1, maxmem: 16 * 1024 * 1024 };

/**
 * Stretches run on libuv's thread pool (four threads), which the file store's durable appends share: a flood of
 * guesses from many addresses could take every thread and hold every game's commands back for seconds. Two lanes
 * keep the others free for the games.
 */
const STRETCH_LANES = 2;
const stretching = new KeyedQueue();
let lane = 0;
/**
 * The last few stretches, by code: one typed code is looked up as a game's and then as a seminar's, and two
 * stretches of it would double what a wrong guess costs the server.
 */
const recent = new Map<string, Promise<StretchedShortCode>>();
const RECENT = 32;

export function stretchShortCode(canonical: string): Promise<StretchedShortCode> {
  const known = recent.get(canonical);
  if (known) return known;
  const stretched = stretching.run(
    `lane ${lane++ % STRETCH_LANES}`,
    () =>
      new Promise<StretchedShortCode>((resolve, reject) =>
        scrypt(canonical, 'flywheel short join code', 40, SCRYPT, (err, out) =>
          err
            ? reject(err)
            : resolve({ lookup: out.subarray(0, 20).toString('hex'), sealing: out.subarray(20).toString('hex') }),
        ),
      ),
  );
  recent.set(canonical, stretched);
  if (recent.size > RECENT) recent.delete(recent.keys().next().value as string);
  stretched.catch(() => recent.delete(canonical));
  return stretched;
}
