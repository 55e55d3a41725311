/**
 * The engine as the lab's interface uses it: the specs it keeps as its model,
 * the client and protocol types it talks to the engine with, and the session
 * file's reading and writing. The renderer imports the engine from here only.
 */
export * from './spec/common';
export * from './spec/problem';
export * from './spec/run';
export * from './spec/session';
export { EngineClient, EngineRequestError, type Send } from './host/client';
export type { CreatedRun, EngineEvent, EpochUpdate, Replies, RequestInput, RequestType, RunSnapshot, RunUpdate } from './host/protocol';
export type { Catalog } from './host/catalog';
export type { DatasetSummary } from './host/summary';
export type { ContourBand } from './host/contours';
export type { Analysis, Evaluation } from './host/queries/formulas';
export type { Prediction, LossSurface } from './host/queries/predictions';
export type { FitReport, MetricCurve } from './host/queries/report';
export { CLASSIFICATION_CURVES, CURVE_METRICS, REGRESSION_CURVES, type CurveMetric } from './model/metrics';
export type { Metrics, RegressionMetrics, ClassificationMetrics } from './model/metrics';
export type { SweepResult } from './experiments/sweep';
export type { BasinMap } from './experiments/basins';
export type { GradientGap } from './experiments/noise';
export type { StepExplanation } from './run/explain';
export type { StandardizationReport } from './model/units';
export { LearningRates } from './optim/schedule';
export { newSession } from './session/create';
export { parseSession, serializeSession, SessionError } from './session/open';
export { base64ToBytes, bytesToBase64, decodeEpoch, decodeHistory, encodeEpoch, encodeHistory, fromJsonNumber, sha256Hex, thinEpochs, toJsonNumber } from './session/codec';
export { DatasetSourceError, fileSource, sourceBytes, SESSION_DATASET_ID } from './session/runs';
export { historyCsv, sweepCsv } from './session/export/csv';
export { EnginePool, type PoolJobOptions } from './host/pool';
