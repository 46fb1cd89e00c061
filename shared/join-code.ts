// Short join codes: 12 characters that can be read aloud and typed from a printed sheet, shown as three groups of
// four (`K7QM-3XHD-9TPA`). Crockford's base32 leaves out I, L, O and U, so nothing on the sheet looks like another
// character; typing is forgiving: case, hyphens and spaces do not matter, and I or L reads as 1, O as 0.

/** Crockford's base32 alphabet: the value of a character is its index. */
export const SHORT_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Characters in a short code (5 bits each: 60 bits). */
export const SHORT_CODE_LENGTH = 12;

/** Bytes of randomness a short code is made from (only the first 60 bits are used). */
export const SHORT_CODE_BYTES = 8;

/** The canonical (normalised) code from at least 8 random bytes: 12 characters, no hyphens. */
export function shortCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < SHORT_CODE_BYTES) throw new RangeError(`a short code needs ${SHORT_CODE_BYTES} bytes`);
  let value = 0n;
  for (let i = 0; i < SHORT_CODE_BYTES; i++) value = (value << 8n) | BigInt(bytes[i]);
  value >>= 4n; // 64 bits in, 60 kept
  let out = '';
  for (let i = SHORT_CODE_LENGTH - 1; i >= 0; i--) out += SHORT_CODE_ALPHABET[Number((value >> BigInt(i * 5)) & 31n)];
  return out;
}

/** A canonical code as people see it: `K7QM-3XHD-9TPA`. */
export function formatShortCode(code: string): string {
  const canonical = normaliseShortCode(code) ?? code;
  return canonical.match(/.{1,4}/g)?.join('-') ?? canonical;
}

/**
 * The canonical form of what someone typed, or null if it cannot be a short code: upper case, hyphens and blanks
 * dropped, I and L read as 1, O as 0. U is not in the alphabet and is refused rather than guessed at.
 */
export function normaliseShortCode(typed: unknown): string | null {
  if (typeof typed !== 'string' || typed.length > 40) return null;
  const squeezed = typed
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (squeezed.length !== SHORT_CODE_LENGTH) return null;
  for (const ch of squeezed) if (!SHORT_CODE_ALPHABET.includes(ch)) return null;
  return squeezed;
}

/** Whether the text looks like a short code (as opposed to a long `<gameId>.<secret>` code). */
export const isShortCode = (typed: unknown): boolean => normaliseShortCode(typed) !== null;
