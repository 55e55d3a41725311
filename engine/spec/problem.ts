/**
 * Problems: a formula to minimize, or a dataset to fit. The lab, sessions and
 * the `gdlab` command hold a data problem with its dataset's source (a file,
 * embedded or referenced, or a generator); the engine, which holds loaded
 * datasets by id, runs an EngineProblem, which names the dataset by that id.
 */
import { z } from 'zod';
import { finite, id, name, text } from './common';
import { ACTIVATIONS, MAX_LAYERS, MAX_WIDTH } from './network';
import { MAX_FORMULA_LENGTH } from '../formula/limits';

export { ACTIVATIONS, MAX_LAYERS, MAX_WIDTH, type Activation } from './network';

export const ModelSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('linear') }),
  z.strictObject({ kind: z.literal('logistic') }),
  z.strictObject({ kind: z.literal('softmax') }),
  z.strictObject({ kind: z.literal('poly'), degree: z.number().int().min(1).max(20) }),
  z.strictObject({ kind: z.literal('custom'), expr: z.string().max(5000), params: z.array(name).max(100).optional(), init: z.record(z.string(), finite).optional() }),
  z.strictObject({ kind: z.literal('mlp'), hidden: z.array(z.number().int().min(1).max(MAX_WIDTH)).min(1).max(MAX_LAYERS), activation: z.enum(ACTIVATIONS) }),
]);

export const LossSchema = z.strictObject({ name: z.enum(['mse', 'mae', 'huber', 'bce', 'cross_entropy']), delta: z.number().positive().optional() });
export const RegSchema = z.strictObject({ l1: z.number().min(0), l2: z.number().min(0) });

export const GeneratorSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('line'), n: z.number().int().min(1).max(1e7), slope: finite, intercept: finite, noise: z.number().min(0), xMin: finite, xMax: finite, seed: z.number().int() }),
  z.strictObject({ kind: z.literal('poly'), n: z.number().int().min(1).max(1e7), coefficients: z.array(finite).min(1).max(21), noise: z.number().min(0), xMin: finite, xMax: finite, seed: z.number().int() }),
  z.strictObject({ kind: z.literal('sine'), n: z.number().int().min(1).max(1e7), amplitude: finite, frequency: finite, noise: z.number().min(0), xMin: finite, xMax: finite, seed: z.number().int() }),
  z.strictObject({ kind: z.literal('blobs'), n: z.number().int().min(1).max(1e7), separation: z.number().min(0), spread: z.number().positive(), seed: z.number().int() }),
  z.strictObject({ kind: z.enum(['circle', 'xor', 'gauss']), n: z.number().int().min(1).max(1e7), noise: z.number().min(0).max(10), seed: z.number().int() }),
  z.strictObject({ kind: z.literal('spiral'), n: z.number().int().min(1).max(1e7), classes: z.number().int().min(2).max(10), noise: z.number().min(0).max(10), seed: z.number().int() }),
]);

/** Datasets up to this size are embedded in a session; larger ones are referenced by path and hash. */
export const EMBED_LIMIT = 16 * 1024 * 1024;
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest (64 hex digits)');
export const base64 = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 text');

export const DatasetSourceSchema = z.discriminatedUnion('kind', [
  /** `sheet`: the sheet of a workbook the data is read from (the default sheet when absent). */
  z.strictObject({ kind: z.literal('embedded'), name, path: text(4096).nullable(), sha256, size: z.number().int().min(0), data: base64(Math.ceil((EMBED_LIMIT * 4) / 3) + 4), sheet: text(200).optional() }),
  z.strictObject({ kind: z.literal('reference'), name, path: text(4096), sha256, size: z.number().int().min(0), sheet: text(200).optional() }),
  z.strictObject({ kind: z.literal('generated'), spec: GeneratorSchema }),
]);

export const FunctionProblemSchema = z.strictObject({ kind: z.literal('function'), expr: z.string().max(MAX_FORMULA_LENGTH), vars: z.array(name).max(100).optional() });

/** What a data problem fits, whatever holds its dataset. */
const dataFields = {
  target: name,
  features: z.array(name).max(1000),
  model: ModelSpecSchema,
  loss: LossSchema,
  reg: RegSchema,
  valSplit: z.number().min(0).max(0.9),
  standardize: z.boolean(),
  missing: z.enum(['fail', 'drop']),
  splitSeed: z.number().int(),
};

export const DataProblemSchema = z.strictObject({ kind: z.literal('data'), dataset: DatasetSourceSchema, ...dataFields });
export const ProblemSchema = z.discriminatedUnion('kind', [FunctionProblemSchema, DataProblemSchema]);

export const EngineDataProblemSchema = z.strictObject({ kind: z.literal('data'), datasetId: id, ...dataFields });
export const EngineProblemSchema = z.discriminatedUnion('kind', [FunctionProblemSchema, EngineDataProblemSchema]);

export type ModelSpec = z.infer<typeof ModelSpecSchema>;
export type Loss = z.infer<typeof LossSchema>;
export type GeneratorSpec = z.infer<typeof GeneratorSchema>;
export type DatasetSource = z.infer<typeof DatasetSourceSchema>;
export type FunctionProblem = z.infer<typeof FunctionProblemSchema>;
export type DataProblem = z.infer<typeof DataProblemSchema>;
export type Problem = z.infer<typeof ProblemSchema>;
export type EngineDataProblem = z.infer<typeof EngineDataProblemSchema>;
export type EngineProblem = z.infer<typeof EngineProblemSchema>;

/** The problem as the engine runs it: a data problem names the engine's copy of its dataset. */
export function engineProblem(problem: Problem, datasetId: string): EngineProblem {
  if (problem.kind === 'function') return problem;
  const { dataset: _source, ...fields } = problem;
  return { ...fields, datasetId };
}
