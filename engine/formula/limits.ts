/**
 * The longest formula the engine reads, apart from the parser (and mathjs) so that the interface can
 * refuse a longer one in the same words without loading either: its requests carry no more.
 */
import type { Words } from '../spec/common';

export const MAX_FORMULA_LENGTH = 20_000;

/** Why a formula is too long to read, or null when it is not. */
export function lengthRefusal(text: string): { message: string; words: Words } | null {
  if (text.length <= MAX_FORMULA_LENGTH) return null;
  return {
    message: `The formula is too long (${text.length} characters; at most ${MAX_FORMULA_LENGTH})`,
    words: { id: 'tooLong', values: { length: text.length, max: MAX_FORMULA_LENGTH } },
  };
}
