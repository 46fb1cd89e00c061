// Text people type (chat, moves, notes) and the names they go by: trimmed, bounded, and with something to read. A line
// of invisible characters (zero-width spaces, soft hyphens, Hangul fillers), a control character (a NUL, U+0085), a
// lone half of a surrogate pair or a bidirectional override would show as nothing, break a CSV or a report
// downstream, or make a line read in another order than it was written.
import { z } from 'zod';

/** Whitespace, controls, format characters and code points that are ignored when shown. */
const INVISIBLE = /^[\s\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]*$/u;
/** A control character (C0 and C1) other than a tab or a line break. */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;
/** A control character of any kind, a tab and line breaks included: a name is one line. */
const ANY_CONTROL = /[\p{Cc}\u2028\u2029]/u;
/** Embeddings, overrides and isolates: marks (U+200E, U+200F) are enough for right-to-left text. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const unshowable = (t: string, control: RegExp) => control.test(t) || BIDI_CONTROL.test(t) || LONE_SURROGATE.test(t);

/** Free text of at most `max` characters, tabs and line breaks allowed. */
export const visibleText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((t) => !INVISIBLE.test(t), 'the text has nothing visible in it')
    .refine((t) => !unshowable(t, CONTROL), 'the text holds characters that cannot be shown');

/** A player's name: one line of 1 to 40 characters, with something visible in it. */
export const personName = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .refine((t) => !INVISIBLE.test(t), 'the name has nothing visible in it')
  .refine((t) => !unshowable(t, ANY_CONTROL), 'the name holds characters that cannot be shown');
