/** The checked shapes of learning-rate schedules and warm-up, for specs and sessions. */
import { z } from 'zod';
import type { Schedule, Warmup } from '../optim/schedule';

export const ScheduleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('constant') }),
  z.object({ type: z.literal('step'), step_size: z.number().int().positive(), gamma: z.number().positive().finite() }),
  z.object({ type: z.literal('exponential'), gamma: z.number().positive().finite() }),
  z.object({ type: z.literal('cosine'), T_max: z.number().int().positive(), eta_min: z.number().nonnegative().finite() }),
  z.object({ type: z.literal('inverse_time'), decay: z.number().nonnegative().finite() }),
]) satisfies z.ZodType<Schedule>;

export const WarmupSchema = z.object({
  warmup_steps: z.number().int().positive(),
  start_factor: z.number().positive().max(1),
}) satisfies z.ZodType<Warmup>;
