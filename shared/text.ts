// Text people type (chat, moves, notes) and the names they go by: trimmed, bounded, and with something to read. A line
// of invisible characters (zero-width spaces, soft hyphens, Hangul fillers), a control character (a NUL, U+0085), a
// lone half of a surrogate pair or a bidirectional override would show as nothing, break a CSV or a report
// downstream, or make a line read in another order than it was written.
import { z } from 'zod';

/**
 * Whitespace, controls, format characters and code points that are ignored when shown, the blank braille pattern
 * (U+2800, drawn as an empty cell), and combining marks with nothing to combine with.
 */
const INVISIBLE = /^[\s\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800\p{M}]*$/u;
/** Noncharacters (U+FDD0 to U+FDEF, and the last two code points of every plane): never meant to be shown. */
const NONCHARACTER =
  /[\ufdd0-\ufdef\ufffe\uffff]|[\ud83f\ud87f\ud8bf\ud8ff\ud93f\ud97f\ud9bf\ud9ff\uda3f\uda7f\udabf\udaff\udb3f\udb7f\udbbf\udbff][\udffe\udfff]/;
/** A control character (C0 and C1) other than a tab or a line break. */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;
/** Embeddings, overrides and isolates: marks (U+200E, U+200F) are enough for right-to-left text. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** What breaks a line, or a tab: a name is one line. */
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;

/** Free text of at most `max` characters, tabs and line breaks allowed. */
export const visibleText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((t) => !INVISIBLE.test(t), 'the text has nothing visible in it')
    .refine(
      (t) => !CONTROL.test(t) && !BIDI_CONTROL.test(t) && !LONE_SURROGATE.test(t) && !NONCHARACTER.test(t),
      'the text holds characters that cannot be shown',
    );

/** Visible text of at most `max` characters on one line, without tabs: a name or a title. */
export const lineOfText = (max: number) =>
  visibleText(max).refine((t) => !LINE_BREAK.test(t), 'one line, without tabs');

/** A player's name: visible text of 1 to 40 characters, on one line. */
export const personName = lineOfText(40);
