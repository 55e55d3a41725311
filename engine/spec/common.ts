/** Building blocks of the spec schemas. */
import { z } from 'zod';

export const finite = z.number().finite();
export const name = z.string().min(1).max(200);
export const id = z.string().min(1).max(100).regex(/^[\w.-]+$/, 'ids are letters, digits, _ . -');
export const text = (max: number) => z.string().max(max);

/**
 * A message as an id and its values, beside its English text, so that an interface can say it in
 * another language (its texts are keyed by the id; the English one, filled with the values, is the
 * message).
 */
export interface Words {
  id: string;
  values: Record<string, string | number>;
}

/** A hyperparameter's value: a number, a flag, or a pair (Adam's betas). */
export const HyperValueSchema = z.union([finite, z.boolean(), z.tuple([finite, finite])]);
export type HyperValue = z.infer<typeof HyperValueSchema>;
