/**
 * Fitting a model to data: the run loop over a BatchObjective, plus per-epoch
 * bookkeeping (full training loss, validation loss, R² or accuracy, and the
 * parameters after each epoch). Epoch 0 is the start.
 */
import type { TrainingData } from '../data/prepare';
import { DatasetError } from '../data/table';
import { BatchObjective, type Regularization } from '../model/objective';
import type { LossSpec } from '../model/losses';
import type { Model } from '../model/models';
import type { OptimizerSettings } from '../optim/registry';
import type { Schedule, Warmup } from '../optim/schedule';
import { Run, type StopRules } from './run';
import type { Metrics } from '../model/metrics';

export interface FitSettings {
  loss: LossSpec;
  reg?: Partial<Regularization>;
  optimizer: OptimizerSettings;
  schedule?: Schedule;
  warmup?: Warmup;
  clipNorm?: number | null;
  batchSize: number | 'full';
  epochs: number;
  shuffle: boolean;
  seed: number;
  /** Start values of the parameters (default: zeros for built-in models, 1 or the model's own for custom). */
  start?: readonly number[];
  stop?: Partial<Omit<StopRules, 'maxSteps'>>;
  /** Epochs whose records carry every metric (model/metrics.ts): computing them sorts every row. */
  metricsAt?: readonly number[];
  historyCapacity?: number;
}

export interface EpochRecord {
  epoch: number;
  /** Updates made by the end of this epoch. */
  step: number;
  /** Training objective over all training rows (data loss + regularization). */
  loss: number;
  /** Data loss over the validation rows, NaN without a validation split. */
  valLoss: number;
  /** R² for regression, accuracy for classification. */
  metric: number;
  valMetric: number;
  /** Parameters after the epoch; empty for a network, whose history holds its weights. */
  params: number[];
  /** Every metric on the training and validation rows, for the epochs asked for (FitSettings.metricsAt). */
  metrics?: Metrics | null;
  valMetrics?: Metrics | null;
}

export const MAX_EPOCHS = 1_000_000;

export class FitRun {
  readonly objective: BatchObjective;
  readonly run: Run;
  readonly epochs: EpochRecord[] = [];

  constructor(
    readonly data: TrainingData,
    readonly model: Model,
    readonly settings: FitSettings,
  ) {
    if (!(Number.isInteger(settings.epochs) && settings.epochs >= 1 && settings.epochs <= MAX_EPOCHS)) {
      throw new DatasetError(`The number of epochs must be a whole number from 1 to ${MAX_EPOCHS}, got ${settings.epochs}`);
    }
    const batchSize = settings.batchSize === 'full' ? data.n : settings.batchSize;
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new DatasetError(`The batch size must be a whole number ≥ 1 or "full", got ${settings.batchSize}`);
    if (settings.loss.name === 'bce') {
      for (let i = 0; i < data.n; i++) {
        if (data.y[i] !== 0 && data.y[i] !== 1) {
          throw new DatasetError(`The bce loss needs a target of 0s and 1s (or two text labels), but ${data.targetName} has ${data.y[i]}`);
        }
      }
    }
    this.objective = new BatchObjective(model, data, settings.loss, { l1: settings.reg?.l1 ?? 0, l2: settings.reg?.l2 ?? 0 }, {
      batchSize,
      shuffle: settings.shuffle,
      seed: settings.seed,
    });
    const start = settings.start ?? Array.from(model.initial(settings.seed));
    this.run = new Run(this.objective, {
      start,
      optimizer: settings.optimizer,
      schedule: settings.schedule,
      warmup: settings.warmup,
      clipNorm: settings.clipNorm ?? null,
      stop: { ...settings.stop, maxSteps: settings.epochs * this.objective.batchesPerEpoch },
      historyCapacity: settings.historyCapacity,
    });
    this.recordEpoch(0);
  }

  get batchesPerEpoch(): number {
    return this.objective.batchesPerEpoch;
  }

  /** Epochs completed so far. */
  get epoch(): number {
    return Math.floor(this.run.step / this.batchesPerEpoch);
  }

  get finished(): boolean {
    return this.run.finished;
  }

  /** Up to `maxUpdates` updates, stopping at epoch ends to record them. */
  advance(maxUpdates: number): number {
    let done = 0;
    const B = this.batchesPerEpoch;
    while (done < maxUpdates && !this.run.finished) {
      const untilEpochEnd = B - (this.run.step % B);
      const made = this.run.advance(Math.min(untilEpochEnd, maxUpdates - done));
      done += made;
      if (this.run.step % B === 0 && made > 0) this.recordEpoch(this.run.step / B);
      if (made === 0) break;
    }
    const outcome = this.run.outcome;
    if (outcome?.reason === 'max_steps') {
      outcome.message = `Finished ${this.epoch} epoch${this.epoch === 1 ? '' : 's'} (${this.run.step} update${this.run.step === 1 ? '' : 's'})`;
      outcome.words = { id: 'epochs', values: { count: this.epoch, updates: this.run.step } };
    } else if (outcome?.reason === 'non_finite' && outcome.step === 0) this.sayAboutData(outcome);
    return done;
  }

  /**
   * A loss that is not finite before the first update is about the data or the model, not a start
   * point: the column with the largest magnitude is named when it is large enough to overflow.
   */
  private sayAboutData(outcome: NonNullable<Run['outcome']>): void {
    const { data } = this;
    let largest = 0;
    let column = '';
    for (let j = 0; j < data.d; j++) {
      for (let i = 0; i < data.n; i++) {
        const v = Math.abs(data.X[i * data.d + j]);
        if (v > largest) {
          largest = v;
          column = data.featureNames[j];
        }
      }
    }
    for (let i = 0; i < data.n; i++) {
      if (Math.abs(data.y[i]) > largest) {
        largest = Math.abs(data.y[i]);
        column = data.targetName;
      }
    }
    const loss = String(this.run.current().value);
    const big = largest >= 1e100 || !Number.isFinite(largest);
    const shown = Number(largest.toPrecision(3));
    outcome.message = big
      ? `The loss is ${loss} before the first update: ${column} holds values as large as ${shown}, too large for the arithmetic of this model; rescale ${column} (or standardize the features)`
      : `The loss is ${loss} before the first update, with the model's initial parameters: check the model and the loss for this data`;
    outcome.words = big ? { id: 'dataTooLarge', values: { loss, column, largest: String(shown) } } : { id: 'dataLossNotFinite', values: { loss } };
  }

  /** Training loss, validation loss, and R² or accuracy on both sets, at parameters p. */
  metricsAt(p: Float64Array): Pick<EpochRecord, 'loss' | 'valLoss' | 'metric' | 'valMetric'> {
    const { data, objective } = this;
    return {
      loss: objective.trainLoss(p),
      valLoss: objective.validationLoss(p),
      metric: objective.metric(p, data.X, data.y, data.n),
      valMetric: objective.metric(p, data.Xval, data.yval, data.nVal),
    };
  }

  /**
   * Metrics as the command line reports them: accuracy (classification) or r2, and with validation
   * rows valLoss and valAccuracy or valR2.
   */
  reported(r: Pick<EpochRecord, 'valLoss' | 'metric' | 'valMetric'>): Record<string, number> {
    const classification = this.objective.classification;
    const validation = this.data.nVal > 0;
    return {
      ...(validation ? { valLoss: r.valLoss } : {}),
      [classification ? 'accuracy' : 'r2']: r.metric,
      ...(validation ? { [classification ? 'valAccuracy' : 'valR2']: r.valMetric } : {}),
    };
  }

  /** Every metric (model/metrics.ts) on the training rows and, when there are some, the validation rows. */
  allMetrics(p: Float64Array): { metrics: Metrics | null; valMetrics: Metrics | null } {
    const { data, objective } = this;
    return { metrics: objective.metrics(p, data.X, data.y, data.n), valMetrics: objective.metrics(p, data.Xval, data.yval, data.nVal) };
  }

  private recordEpoch(epoch: number): void {
    const p = this.run.p;
    this.epochs.push({
      epoch,
      step: this.run.step,
      ...this.metricsAt(p),
      // A network's weights per epoch would be most of a session: its history keeps them on a stride.
      params: this.model.network ? [] : Array.from(p),
      ...(this.settings.metricsAt?.includes(epoch) ? this.allMetrics(p) : {}),
    });
  }
}
