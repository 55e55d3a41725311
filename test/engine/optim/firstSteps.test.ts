// First updates of every optimizer, with the expected values derived by hand
// from the published algorithms (PyTorch documentation) and written out as the
// arithmetic of that derivation.
import { describe, expect, it } from 'vitest';
import { Optimizer, OPTIMIZER_NAMES, resolveHyperparameters } from '../../../engine/optim/registry';

/** Applies the given gradients one after another and returns the parameters after each update. */
function steps(name: string, hyper: Record<string, unknown>, start: number[], gradients: number[][]): number[][] {
  const opt = new Optimizer(name, hyper, start.length);
  const p = Float64Array.from(start);
  return gradients.map((g) => {
    opt.step(p, Float64Array.from(g), opt.lr);
    return Array.from(p);
  });
}

function expectClose(actual: number[], expected: number[], tol = 1e-14) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]), `component ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]))));
}

describe('sgd', () => {
  it('plain gradient descent is p − lr·g', () => {
    const [p1] = steps('sgd', { lr: 0.1 }, [1, -2], [[0.5, 3]]);
    expectClose(p1, [1 - 0.1 * 0.5, -2 - 0.1 * 3]);
  });

  it('momentum starts the buffer at the first (decayed) gradient, then dampens new gradients', () => {
    // d₁ = g₁ + 0.1·p₀ = [0.6, 2.8]; b₁ = d₁; p₁ = p₀ − 0.1·b₁ = [0.94, −2.28]
    // d₂ = g₂ + 0.1·p₁ = [0.294, −1.228]; b₂ = 0.9·b₁ + 0.5·d₂ = [0.687, 1.906]; p₂ = p₁ − 0.1·b₂
    const [p1, p2] = steps('sgd', { lr: 0.1, momentum: 0.9, dampening: 0.5, weight_decay: 0.1 }, [1, -2], [[0.5, 3], [0.2, -1]]);
    expectClose(p1, [0.94, -2.28]);
    expectClose(p2, [0.94 - 0.1 * 0.687, -2.28 - 0.1 * 1.906]);
  });

  it('nesterov steps along g + momentum·b', () => {
    // b₁ = 2, d₁ = 2 + 0.9·2 = 3.8, p₁ = 1 − 0.38; b₂ = 0.9·2 + 1 = 2.8, d₂ = 1 + 0.9·2.8 = 3.52
    const [p1, p2] = steps('sgd', { lr: 0.1, momentum: 0.9, nesterov: true }, [1], [[2], [1]]);
    expectClose(p1, [0.62]);
    expectClose(p2, [0.62 - 0.352]);
  });

  it('maximize climbs', () => {
    expectClose(steps('sgd', { lr: 0.1, maximize: true }, [1], [[2]])[0], [1.2]);
  });
});

describe('adagrad', () => {
  it('divides by the root of the accumulated squares, with the decaying rate lr/(1 + (t−1)·lr_decay)', () => {
    // sum₁ = 0.25 + 1 = 1.25, p₁ = 1 − 0.5·1/√1.25
    // sum₂ = 1.25 + 4 = 5.25, clr₂ = 0.5/1.1, p₂ = p₁ − clr₂·2/√5.25
    const [p1, p2] = steps('adagrad', { lr: 0.5, lr_decay: 0.1, initial_accumulator_value: 0.25, eps: 0 }, [1], [[1], [2]]);
    const e1 = 1 - 0.5 / Math.sqrt(1.25);
    expectClose(p1, [e1]);
    expectClose(p2, [e1 - ((0.5 / 1.1) * 2) / Math.sqrt(5.25)]);
  });
});

describe('rmsprop', () => {
  it('first step is lr·g / (√(1−α)·|g| + eps)', () => {
    const [p1] = steps('rmsprop', { lr: 0.01, alpha: 0.9, eps: 1e-8 }, [1, 1], [[2, -0.5]]);
    expectClose(p1, [1 - (0.01 * 2) / (Math.sqrt(0.1) * 2 + 1e-8), 1 + (0.01 * 0.5) / (Math.sqrt(0.1) * 0.5 + 1e-8)]);
  });

  it('centered divides by √(α(1−α))·|g| on the first step; momentum accumulates g/avg', () => {
    // v₁ = 0.1·4 = 0.4, ḡ₁ = 0.2, v₁ − ḡ₁² = 0.36 = 0.9·0.1·4, avg₁ = 0.6 + eps
    const h = { lr: 0.01, alpha: 0.9, eps: 0, centered: true, momentum: 0.5 };
    const [p1, p2] = steps('rmsprop', h, [1], [[2], [2]]);
    const b1 = 2 / 0.6;
    expectClose(p1, [1 - 0.01 * b1]);
    // v₂ = 0.9·0.4 + 0.1·4 = 0.76, ḡ₂ = 0.9·0.2 + 0.1·2 = 0.38, avg₂ = √(0.76 − 0.1444)
    const b2 = 0.5 * b1 + 2 / Math.sqrt(0.76 - 0.38 * 0.38);
    expectClose(p2, [1 - 0.01 * b1 - 0.01 * b2], 1e-13);
  });
});

describe('adadelta', () => {
  it('first step is lr·√eps/√((1−ρ)g² + eps)·g', () => {
    const [p1, p2] = steps('adadelta', { lr: 1, rho: 0.9, eps: 1e-6 }, [0], [[3], [3]]);
    const delta1 = (Math.sqrt(1e-6) / Math.sqrt(0.1 * 9 + 1e-6)) * 3;
    expectClose(p1, [-delta1]);
    // v₂ = 0.9·0.9 + 0.1·9 = 1.71; u₁ = 0.1·δ₁²
    const delta2 = (Math.sqrt(0.1 * delta1 * delta1 + 1e-6) / Math.sqrt(1.71 + 1e-6)) * 3;
    expectClose(p2, [-delta1 - delta2]);
  });
});

describe('adam family', () => {
  it('adam’s first step moves every coordinate by lr, whatever the gradient’s size', () => {
    // m̂₁ = g, v̂₁ = g²  ⇒  p₁ = p₀ − lr·g/(|g| + eps)
    const [p1] = steps('adam', { lr: 0.1 }, [1, 1, 1], [[1000, -0.001, 5]]);
    expectClose(p1, [1 - 0.1 * (1000 / (1000 + 1e-8)), 1 + 0.1 * (0.001 / (0.001 + 1e-8)), 1 - 0.1 * (5 / (5 + 1e-8))], 1e-12);
  });

  it('adam second step with weight decay and amsgrad', () => {
    const h = { lr: 0.1, betas: [0.5, 0.75], eps: 0, weight_decay: 0.5, amsgrad: true };
    const [p1, p2] = steps('adam', h, [2], [[1], [-3]]);
    // d₁ = 1 + 0.5·2 = 2 ⇒ p₁ = 2 − 0.1 = 1.9
    expectClose(p1, [1.9]);
    // d₂ = −3 + 0.95 = −2.05; m₂ = 0.5·1 + 0.5·(−2.05) = −0.525; v₂ = 0.75·1 + 0.25·4.2025 = 1.800625
    // vmax = 1.800625; bc1 = 0.75, bc2 = 1 − 0.5625 = 0.4375
    const denom = Math.sqrt(1.800625) / Math.sqrt(0.4375);
    expectClose(p2, [1.9 - ((0.1 / 0.75) * -0.525) / denom], 1e-13);
  });

  it('amsgrad divides by the largest second moment seen', () => {
    const h = { lr: 0.1, betas: [0, 0.5], eps: 0, amsgrad: true };
    // v₁ = 0.5·16 = 8; v₂ = 0.5·8 + 0.5·1 = 4.5 < vmax = 8; bc2₂ = 0.75, m₂ = g₂ = 1 (β₁ = 0)
    const [, p2] = steps('adam', h, [0], [[4], [1]]);
    expectClose(p2, [-0.1 - 0.1 / (Math.sqrt(8) / Math.sqrt(0.75))]);
  });

  it('adamw shrinks p by (1 − lr·wd) before the adam step', () => {
    const [p1] = steps('adamw', { lr: 0.1, weight_decay: 0.5 }, [2], [[3]]);
    expectClose(p1, [2 * (1 - 0.05) - 0.1 * (3 / (3 + 1e-8))], 1e-12);
  });

  it('adamax: u = max(β₂u, |g| + eps), first step lr·g/(|g| + eps)', () => {
    const [p1, p2] = steps('adamax', { lr: 0.2, betas: [0.9, 0.5], eps: 0 }, [0], [[4], [1]]);
    expectClose(p1, [-0.2]);
    // m₂ = 0.9·0.4 + 0.1·1 = 0.46; u₂ = max(2, 1) = 2; clr = 0.2/(1 − 0.81)
    expectClose(p2, [-0.2 - ((0.2 / 0.19) * 0.46) / 2]);
  });

  it('nadam’s first step follows its momentum schedule', () => {
    const b1 = 0.9;
    const mu1 = b1 * (1 - 0.5 * Math.pow(0.96, 0.004));
    const mu2 = b1 * (1 - 0.5 * Math.pow(0.96, 0.008));
    // denom = √(v₁/(1−β₂)) + eps = |g| + eps
    const [p1] = steps('nadam', { lr: 0.01 }, [1], [[2]]);
    const unit = 2 / (2 + 1e-8);
    expectClose(p1, [1 - 0.01 * unit - ((0.01 * mu2) / (1 - mu1 * mu2)) * 0.1 * unit], 1e-13);
  });

  it('radam is momentum SGD with bias correction until ρₜ > 5, then rectified', () => {
    // β₂ = 0.999: ρ∞ = 1999, ρ₁ = 1999 − 2·0.999/0.001 = 1 ⇒ p₁ = p₀ − lr·m̂₁ = p₀ − lr·g
    const [p1] = steps('radam', { lr: 0.1 }, [1], [[2]]);
    expectClose(p1, [1 - 0.2], 1e-12);
    // β₂ = 0.5: ρ∞ = 3, never > 5: always the unrectified step
    const unrectified = steps('radam', { lr: 0.1, betas: [0.5, 0.5] }, [0], [[1], [1], [1]]);
    expectClose(unrectified[2], [-0.3], 1e-12);
  });

  it('radam takes the rectified step once ρₜ > 5', () => {
    // β₂ = 0.9: ρ∞ = 19; ρ₁ = 19 − 2·0.9/0.1 = 1; ρ₂ = 19 − 4·0.81/0.19 ≈ 1.947…; the rectified branch starts when ρₜ > 5
    const beta2 = 0.9;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rho = (t: number) => rhoInf - (2 * t * Math.pow(beta2, t)) / (1 - Math.pow(beta2, t));
    const firstRectified = [1, 2, 3, 4, 5, 6, 7, 8].find((t) => rho(t) > 5)!;
    const g = Array.from({ length: firstRectified }, () => [1]);
    const traj = steps('radam', { lr: 0.1, betas: [0, beta2], eps: 0 }, [0], g);
    const t = firstRectified;
    // β₁ = 0: m̂ = g = 1; v = 1 − 0.9ᵗ; adaptive = √(1−0.9ᵗ)/√v = 1
    const r = Math.sqrt(((rho(t) - 4) * (rho(t) - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho(t)));
    expectClose(traj[t - 1], [-(t - 1) * 0.1 - 0.1 * r], 1e-12);
  });
});

describe('newton and line search', () => {
  it('newton solves a quadratic in one step (Booth, from (−5, −5) to (1, 3))', async () => {
    const { compileFormula } = await import('../../../engine/formula/compile');
    const f = compileFormula('(x + 2*y - 7)^2 + (2*x + y - 5)^2');
    const opt = new Optimizer('newton', {}, 2);
    const p = Float64Array.from([-5, -5]);
    const g = new Float64Array(2);
    f.valueAndGradient(p, g);
    opt.step(p, g, 1, { value: f.value, hessian: f.hessian });
    expectClose(Array.from(p), [1, 3], 1e-12);
  });

  it('backtracking halves from lr until the Armijo condition holds', async () => {
    const { compileFormula } = await import('../../../engine/formula/compile');
    const f = compileFormula('5*x^2');
    const opt = new Optimizer('backtracking', {}, 1);
    // α = 1, ½, ¼ overshoot (f = 405, 80, 11.25 > 5); α = ⅛ gives x = −0.25, f = 0.3125 ≤ 5 − 1e-4·⅛·100
    const p = Float64Array.from([1]);
    opt.step(p, Float64Array.from([10]), 1, { value: f.value, hessian: f.hessian });
    expect(Array.from(p)).toEqual([-0.25]);
    expect(opt.state.scalars.alpha).toBe(0.125);
  });
});

describe('hyperparameters', () => {
  it('defaults are PyTorch’s', () => {
    expect(resolveHyperparameters('sgd')).toEqual({ lr: 0.001, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false });
    expect(resolveHyperparameters('adam')).toEqual({ lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false });
    expect(resolveHyperparameters('adamw').weight_decay).toBe(0.01);
    expect(resolveHyperparameters('adagrad')).toMatchObject({ lr: 0.01, eps: 1e-10, lr_decay: 0, initial_accumulator_value: 0 });
    expect(resolveHyperparameters('rmsprop')).toMatchObject({ lr: 0.01, alpha: 0.99, eps: 1e-8 });
    expect(resolveHyperparameters('adadelta')).toMatchObject({ lr: 1, rho: 0.9, eps: 1e-6 });
    expect(resolveHyperparameters('adamax')).toMatchObject({ lr: 0.002 });
    expect(resolveHyperparameters('nadam')).toMatchObject({ lr: 0.002, momentum_decay: 0.004 });
    expect(resolveHyperparameters('radam')).toMatchObject({ lr: 0.001 });
  });

  it.each([
    ['sgd', { lr: -0.1 }, 'Invalid learning rate: -0.1'],
    ['sgd', { momentum: -1 }, 'Invalid momentum value: -1'],
    ['sgd', { nesterov: true }, 'Nesterov momentum requires a momentum and zero dampening'],
    ['adam', { betas: [1, 0.999] }, 'Invalid beta parameter at index 0: 1'],
    ['adam', { betas: [0.9, -0.1] }, 'Invalid beta parameter at index 1: -0.1'],
    ['adam', { eps: -1 }, 'Invalid epsilon value: -1'],
    ['adamw', { weight_decay: -0.01 }, 'Invalid weight_decay value: -0.01'],
    ['adadelta', { rho: 1.5 }, 'Invalid rho value: 1.5'],
    ['adagrad', { lr_decay: -1 }, 'Invalid lr_decay value: -1'],
    ['nadam', { momentum_decay: -1 }, 'Invalid momentum_decay value: -1'],
    ['adam', { momentum: 0.9 }, 'adam has no hyperparameter "momentum"'],
    ['adam', { lr: 'fast' }, 'adam: lr must be a number, got "fast"'],
  ])('%s %j is refused: %s', (name, given, message) => {
    expect(() => resolveHyperparameters(name, given)).toThrow(message);
  });

  it('unknown optimizer names get a suggestion', () => {
    expect(() => new Optimizer('adamm', {}, 1)).toThrow(/Unknown optimizer "adamm".*did you mean adam/);
  });

  it('a step allocates no new state: the same buffers are updated in place', () => {
    for (const name of OPTIMIZER_NAMES.filter((n) => n !== 'newton' && n !== 'backtracking')) {
      const opt = new Optimizer(name, {}, 3);
      const buffers = Object.values(opt.state.buffers);
      const p = Float64Array.from([1, 2, 3]);
      opt.step(p, Float64Array.from([0.1, -0.2, 0.3]), opt.lr);
      Object.values(opt.state.buffers).forEach((b, i) => expect(b).toBe(buffers[i]));
      expect(opt.state.t).toBe(1);
    }
  });
});
