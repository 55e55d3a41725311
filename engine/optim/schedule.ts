/**
 * Learning-rate schedules as closed forms of the step count k = 0, 1, 2, …
 * (the number of updates already taken), multiplying the base lr:
 *
 *   constant      1
 *   step          gamma^⌊k / step_size⌋                        (torch StepLR)
 *   exponential   gamma^k                                      (torch ExponentialLR)
 *   cosine        (η_min + (lr − η_min)(1 + cos(π·k/T_max))/2) / lr   (CosineAnnealingLR's closed form; periodic past T_max, as there)
 *   inverse_time  1 / (1 + decay · k)
 *   warmup (any of the above)  × min(1, start_factor + (1 − start_factor) · k / warmup_steps)   (torch LinearLR)
 *
 * PyTorch's schedulers update the rate recursively; the closed forms agree with
 * them to rounding. The schedule advances once per optimizer update (per
 * mini-batch in data mode), like calling `scheduler.step()` after each `optimizer.step()`.
 */
import { z } from 'zod';

export const ScheduleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('constant') }),
  z.object({ type: z.literal('step'), step_size: z.number().int().positive(), gamma: z.number().positive().finite() }),
  z.object({ type: z.literal('exponential'), gamma: z.number().positive().finite() }),
  z.object({ type: z.literal('cosine'), T_max: z.number().int().positive(), eta_min: z.number().nonnegative().finite() }),
  z.object({ type: z.literal('inverse_time'), decay: z.number().nonnegative().finite() }),
]);

export const WarmupSchema = z.object({
  warmup_steps: z.number().int().positive(),
  start_factor: z.number().positive().max(1),
});

export type Schedule = z.infer<typeof ScheduleSchema>;
export type Warmup = z.infer<typeof WarmupSchema>;

export const SCHEDULE_DEFAULTS: Record<Schedule['type'], Schedule> = {
  constant: { type: 'constant' },
  step: { type: 'step', step_size: 100, gamma: 0.5 },
  exponential: { type: 'exponential', gamma: 0.999 },
  cosine: { type: 'cosine', T_max: 1000, eta_min: 0 },
  inverse_time: { type: 'inverse_time', decay: 0.01 },
};

/** The learning rate for the update that follows k earlier updates. */
export function scheduledLearningRate(lr: number, k: number, schedule?: Schedule, warmup?: Warmup): number {
  if (schedule === undefined && warmup === undefined) return lr;
  let rate: number;
  switch (schedule?.type ?? 'constant') {
    case 'constant':
      rate = lr;
      break;
    case 'step': {
      const s = schedule as Extract<Schedule, { type: 'step' }>;
      rate = lr * Math.pow(s.gamma, Math.floor(k / s.step_size));
      break;
    }
    case 'exponential':
      rate = lr * Math.pow((schedule as Extract<Schedule, { type: 'exponential' }>).gamma, k);
      break;
    case 'cosine': {
      const s = schedule as Extract<Schedule, { type: 'cosine' }>;
      rate = s.eta_min + ((lr - s.eta_min) * (1 + Math.cos((Math.PI * k) / s.T_max))) / 2;
      break;
    }
    case 'inverse_time':
      rate = lr / (1 + (schedule as Extract<Schedule, { type: 'inverse_time' }>).decay * k);
      break;
  }
  if (warmup && k < warmup.warmup_steps) {
    rate *= warmup.start_factor + ((1 - warmup.start_factor) * k) / warmup.warmup_steps;
  }
  return rate;
}
