"""One epoch of mini-batch (64) linear regression with SGD (lr 0.01, MSE) over a CSV, in NumPy
(vectorised per batch) and in PyTorch (one thread, autograd and torch.optim.SGD), from zero
parameters and in file order, as the engine's epoch in the same bench. Prints JSON: the best of
three epochs in milliseconds for each, and the parameters each ends on."""
import json
import sys
import time

import numpy as np

BATCH = 64
LR = 0.01


def numpy_epoch(X, y):
    n, d = X.shape
    w = np.zeros(d)
    b = 0.0
    for start in range(0, n, BATCH):
        xb = X[start:start + BATCH]
        r = 2.0 * (xb @ w + b - y[start:start + BATCH])
        w -= LR * (xb.T @ r) / len(r)
        b -= LR * r.mean()
    return np.append(w, b)


def torch_epoch(torch, X, y):
    n, d = X.shape
    model = torch.nn.Linear(d, 1, dtype=torch.float64)
    torch.nn.init.zeros_(model.weight)
    torch.nn.init.zeros_(model.bias)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    for start in range(0, n, BATCH):
        optimizer.zero_grad()
        loss = torch.mean((model(X[start:start + BATCH]).squeeze(1) - y[start:start + BATCH]) ** 2)
        loss.backward()
        optimizer.step()
    return np.append(model.weight.detach().numpy()[0], model.bias.detach().numpy())


def best(fn):
    times, out = [], None
    for _ in range(3):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return min(times), out


def main(path):
    data = np.loadtxt(path, delimiter=',', skiprows=1)
    X, y = np.ascontiguousarray(data[:, :-1]), np.ascontiguousarray(data[:, -1])
    result = {}
    result['numpy_ms'], p = best(lambda: numpy_epoch(X, y))
    result['numpy_params'] = p.tolist()
    try:
        import torch
        torch.set_num_threads(1)
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        result['torch_ms'], p = best(lambda: torch_epoch(torch, Xt, yt))
        result['torch_params'] = p.tolist()
    except ImportError:
        result['torch_ms'] = None
    print(json.dumps(result))


if __name__ == '__main__':
    main(sys.argv[1])
