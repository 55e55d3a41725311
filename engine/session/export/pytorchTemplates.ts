/**
 * The fixed Python of the PyTorch export (./pytorch.ts): the prelude (imports, the lab's seeded
 * batch order, the optimizer, schedule and warm-up builders) and the training loop that prints
 * each run's records as one JSON line. Nothing here depends on the session; the export adds its
 * problem, its runs and their settings around it.
 */

export const PRELUDE = String.raw`import json
import copy
import math
import os
import sys

# PyTorch's AVX2 and AVX-512 CPU kernels fuse a·b + c into one rounding; its baseline kernels round
# every operation, as the lab does, so that this script reproduces the lab's runs bit for bit. Remove
# this line to use the vector kernels: the numbers then agree to rounding (about 1e-16 per step).
os.environ.setdefault('ATEN_CPU_CAPABILITY', 'default')
import torch  # noqa: E402

torch.set_default_dtype(torch.float64)


def K(v):
    """A float64 constant of the formula."""
    return torch.tensor(float(v))


if torch.__version__.startswith('1.'):
    # PyTorch 1.x's NAdam multiplied mu_t twice into its last bias correction; 2.0 fixed it to
    # follow the documented algorithm, which the lab implements. On 1.x, use the 2.0 update.
    import torch.optim.nadam as _nadam

    def _single_tensor_nadam(params, grads, exp_avgs, exp_avg_sqs, mu_products, state_steps, *,
                             beta1, beta2, lr, weight_decay, momentum_decay, eps, **_):
        for i, param in enumerate(params):
            grad, exp_avg, exp_avg_sq, mu_product, step_t = grads[i], exp_avgs[i], exp_avg_sqs[i], mu_products[i], state_steps[i]
            step_t += 1
            step = step_t.item()
            bias_correction2 = 1 - beta2 ** step
            if weight_decay != 0:
                grad = grad.add(param, alpha=weight_decay)
            mu = beta1 * (1. - 0.5 * (0.96 ** (step * momentum_decay)))
            mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
            mu_product *= mu
            mu_product_next = mu_product.item() * mu_next
            exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
            param.addcdiv_(grad, denom, value=(-lr * (1. - mu) / (1. - mu_product.item())))
            param.addcdiv_(exp_avg, denom, value=(-lr * mu_next) / (1. - mu_product_next))

    _nadam._single_tensor_nadam = _single_tensor_nadam


class Shuffler:
    """The lab's seeded shuffle: xoroshiro128+ (pure-rand's 32-bit variant), an unbiased
    integer draw by rejection, and Fisher-Yates, so every epoch's batch order matches."""

    def __init__(self, seed):
        s = seed & 0xFFFFFFFF
        self.s01, self.s00, self.s11, self.s10 = 0xFFFFFFFF, ~s & 0xFFFFFFFF, s, 0

    def next(self):
        out = (self.s00 + self.s10) & 0xFFFFFFFF
        a0 = self.s10 ^ self.s00
        a1 = self.s11 ^ self.s01
        s00, s01 = self.s00, self.s01
        self.s00 = ((s00 << 24) ^ (s01 >> 8) ^ a0 ^ (a0 << 16)) & 0xFFFFFFFF
        self.s01 = ((s01 << 24) ^ (s00 >> 8) ^ a1 ^ ((a1 << 16) | (a0 >> 16))) & 0xFFFFFFFF
        self.s10 = ((a1 << 5) ^ (a0 >> 27)) & 0xFFFFFFFF
        self.s11 = ((a0 << 5) ^ (a1 >> 27)) & 0xFFFFFFFF
        return out - 0x100000000 if out >= 0x80000000 else out

    def below(self, size):
        allowed = (4294967296 // size) * size if size > 2 else 4294967296
        v = self.next() + 2147483648
        while v >= allowed:
            v = self.next() + 2147483648
        return v % size

    def shuffle(self, order):
        for i in range(len(order) - 1, 0, -1):
            j = self.below(i + 1)
            order[i], order[j] = order[j], order[i]
        return order


def make_optimizer(run, params):
    kwargs = dict(run['hyperparameters'])
    if 'betas' in kwargs:
        kwargs['betas'] = tuple(kwargs['betas'])
    return getattr(torch.optim, run['torch_class'])(params, **kwargs)


def lab_rate_factor(s, w, k):
    """The lab's closed-form schedule × linear warm-up, as a multiple of the base rate, after k updates."""
    if s is None or s['type'] == 'constant':
        factor = 1.0
    elif s['type'] == 'step':
        factor = s['gamma'] ** (k // s['step_size'])
    elif s['type'] == 'exponential':
        factor = s['gamma'] ** k
    elif s['type'] == 'cosine':
        factor = None
    else:
        factor = 1 / (1 + s['decay'] * k)
    if w and k < w['warmup_steps']:
        warm = w['start_factor'] + (1 - w['start_factor']) * k / w['warmup_steps']
    else:
        warm = 1.0
    return factor, warm


def make_scheduler(run, opt):
    """The lab's schedules, stepped once per update: torch's own schedulers where one matches the
    lab's rule; with a warm-up, one LambdaLR of the lab's closed form (torch's chained LinearLR and
    CosineAnnealingLR compose recursively and differ from it when eta_min is not 0)."""
    s, w = run['schedule'], run['warmup']
    base = opt.param_groups[0]['lr']
    if w:
        def factor(k):
            f, warm = lab_rate_factor(s, w, k)
            if f is None:
                rate = s['eta_min'] + (base - s['eta_min']) * (1 + math.cos(math.pi * k / s['T_max'])) / 2
                return rate * warm / base
            return f * warm
        return torch.optim.lr_scheduler.LambdaLR(opt, factor)
    if s is None:
        return None
    if s['type'] == 'step':
        return torch.optim.lr_scheduler.StepLR(opt, step_size=s['step_size'], gamma=s['gamma'])
    if s['type'] == 'exponential':
        return torch.optim.lr_scheduler.ExponentialLR(opt, gamma=s['gamma'])
    if s['type'] == 'cosine':
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=s['T_max'], eta_min=s['eta_min'])
    return torch.optim.lr_scheduler.LambdaLR(opt, lambda k: 1 / (1 + s['decay'] * k))
`;

export const LOOP = String.raw`

def lab_norm(g):
    """‖g‖ as torch computes it, or scaled by its largest component where that would overflow or underflow (as the lab does)."""
    n = g.norm().item()
    if math.isfinite(n) and n >= 1.4916681462400413e-154:
        return n
    m = g.abs().max().item()
    if m == 0 or not math.isfinite(m):
        return m
    return m * (g / m).norm().item()


def would_stay(run, p, opt):
    """The lab's convergence test: the optimizer's next update, taken on copies, moves p by at most lr·gradTol."""
    q = p.detach().clone().requires_grad_(True)
    q.grad = p.grad.detach().clone()
    if run['clipNorm']:
        torch.nn.utils.clip_grad_norm_([q], run['clipNorm'])
    twin = make_optimizer(run, [q])
    twin.load_state_dict(copy.deepcopy(opt.state_dict()))
    lr = opt.param_groups[0]['lr']
    twin.step()
    return lab_norm(q.detach() - p.detach()) <= lr * run['stop']['gradTol']


def stop_reason(run, step, value, grad_norm, params, bound, prev_value, prev_slope, slope, stays):
    """The lab's stopping rules, in its order."""
    falling = -1.0 if run['hyperparameters'].get('maximize') else 1.0
    if not bool(torch.isfinite(params).all()):
        return 'diverged', f'Diverged at step {step}: the parameters overflowed'
    if value == -falling * math.inf:
        return 'unbounded', f'f is unbounded along this path (step {step})'
    if math.isnan(value) or math.isnan(grad_norm) or (math.isfinite(value) and not math.isfinite(grad_norm)):
        return 'undefined', f'f or its gradient is undefined at step {step}'
    if not math.isfinite(value) or not math.isfinite(grad_norm):
        return 'diverged', f'Diverged at step {step}: a value is not finite'
    if abs(value) > bound:
        if falling * value < 0:
            return 'unbounded', f'f is unbounded along this path (step {step})'
        return 'diverged', f'Diverged at step {step}: |f| grew past the divergence bound'
    if run['stop']['gradTol'] > 0 and grad_norm <= run['stop']['gradTol'] and stays():
        return 'converged', f'Converged at step {step}: gradient norm {grad_norm:.6g}'
    if step > 0 and run['stop']['fTol'] > 0 and abs(value - prev_value) <= run['stop']['fTol']:
        return 'converged', f'Converged at step {step}: f changed by {abs(value - prev_value):.6g}'
    if step > 0 and run['stop']['signChange'] and params.numel() == 1 and prev_slope * slope < 0:
        return 'converged', f'The derivative changed sign at step {step}'
    if step >= run['stop']['maxSteps']:
        return 'max_steps', f'Reached the maximum of {step} steps'
    return None


def train(run):
    p = torch.tensor(run['start'], dtype=torch.float64, requires_grad=True)
    opt = make_optimizer(run, [p])
    sched = make_scheduler(run, opt)
    batches = run.get('batches')
    shuffler = Shuffler(run['seed']) if batches else None
    order, order_epoch = None, -1
    record_at = set(run['record'])
    records = []
    step, bound, prev_value, prev_slope = 0, None, None, None
    while True:
        opt.zero_grad()
        if batches:
            epoch, batch = divmod(step, batches['perEpoch'])
            if epoch != order_epoch:
                order = list(range(batches['rows']))
                if batches['shuffle']:
                    shuffler.shuffle(order)
                order_epoch = epoch
            rows = order[batch * batches['size']:(batch + 1) * batches['size']]
            value = batch_loss(p, rows)
        else:
            value = objective(p, step)
        value.backward()
        v = value.item()
        grad_norm = lab_norm(p.grad)
        if bound is None:
            bound = run['stop']['divergenceBound'] * max(1.0, abs(v))
        slope = p.grad[0].item()
        state = {'step': step, 'params': p.detach().tolist(), 'value': v, 'gradNorm': grad_norm}
        reason = stop_reason(run, step, v, grad_norm, p.detach(), bound, prev_value, prev_slope, slope, lambda: would_stay(run, p, opt))
        if step in record_at or reason:
            records.append(state)
        if reason:
            result = {'run': run['id'], 'name': run['name'], 'status': reason[0], 'message': reason[1], 'steps': step, 'records': records}
            if batches:
                # The loss over all training rows at the end (with L1/L2), as the lab's final loss.
                with torch.no_grad():
                    result['finalLoss'] = batch_loss(p, list(range(batches['rows']))).item()
            return result
        prev_value, prev_slope = v, slope
        if run['clipNorm']:
            torch.nn.utils.clip_grad_norm_([p], run['clipNorm'])
        opt.step()
        if sched is not None:
            sched.step()
        step += 1


if __name__ == '__main__':
    for run in RUNS:
        print(json.dumps(train(run)), flush=True)
`;
