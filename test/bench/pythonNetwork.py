"""Epochs of Adam (lr 0.001) on an nn.Sequential network in PyTorch (one thread, float64), from the
lab's initial weights, on its rows in file order and its batch size, as test/bench/network.ts runs
them in the lab. Prints JSON: the best of three, in milliseconds per epoch, and the parameters it
ends on, flattened as the lab holds them (each layer's weight, then its bias)."""
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
ACT = {'relu': torch.nn.ReLU, 'tanh': torch.nn.Tanh}


def main(path):
    with open(path) as f:
        c = json.load(f)
    X = torch.tensor(c['X']).reshape(-1, c['d'])
    y = torch.tensor(c['y'], dtype=torch.float64)
    sizes = [c['d'], *c['hidden'], 1]
    loss_fn = torch.nn.functional.binary_cross_entropy_with_logits if c['loss'] == 'bce' else torch.nn.functional.mse_loss
    best, params = float('inf'), None
    for _ in range(3):
        layers = []
        for i in range(1, len(sizes)):
            layers.append(torch.nn.Linear(sizes[i - 1], sizes[i]))
            if i < len(sizes) - 1:
                layers.append(ACT[c['activation']]())
        net = torch.nn.Sequential(*layers)
        torch.nn.utils.vector_to_parameters(torch.tensor(c['initial']), net.parameters())
        opt = torch.optim.Adam(net.parameters(), lr=0.001)
        n, b = len(y), c['batch']
        t = time.perf_counter()
        for _ in range(c['epochs']):
            for start in range(0, n, b):
                opt.zero_grad()
                loss_fn(net(X[start:start + b])[:, 0], y[start:start + b]).backward()
                opt.step()
        best = min(best, (time.perf_counter() - t) * 1000 / c['epochs'])
        params = torch.nn.utils.parameters_to_vector(net.parameters()).tolist()
    print(json.dumps({'ms': best, 'params': params}))


if __name__ == '__main__':
    main(sys.argv[1])
