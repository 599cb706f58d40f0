"""numpy reference for the moe-scaling bench: the same MoE layer training step as
electron/engine/model/moe/moe-layer.ts (router softmax, noisy top-k, GShard capacity, renormalized
combine weights, LayerNorm -> dense -> GELU -> dense experts, MSE + 0.01 load balance + 0.001
z-loss, backward to every parameter, Adam), written the way a numpy user would: tokens grouped
by expert, one pair of matmuls per expert forward and three per expert backward.

Protocol (so that bench/moe-scaling.ts can interleave numpy steps with its own):
  first line out: JSON {"numpy": version, "blas": ..., "threads": ...}
  then for each line in: "N" -> runs one step with N experts, prints the step's milliseconds.
  "--check": compares the hand-written gradients with finite differences and exits.
"""

import json
import sys
import time

import numpy as np

try:  # scipy's erf is vectorized C; numpy has none.
    from scipy.special import erf
except ImportError:  # pragma: no cover - machine without scipy
    def erf(x):
        # Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7), what tfjs's cpu backend uses.
        s = np.sign(x)
        a = np.abs(x)
        t = 1.0 / (1.0 + 0.3275911 * a)
        y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-a * a)
        return s * y

DIM, HIDDEN, TOP_K, TOKENS, CAPACITY_FACTOR, NOISE = 64, 256, 2, 4096, 1.25, 0.1
LB_WEIGHT, Z_WEIGHT, EPS = 0.01, 0.001, 1e-5
f32 = np.float32


def blas_info():
    try:
        from threadpoolctl import threadpool_info
        return {"source": "threadpoolctl", "pools": threadpool_info()}
    except ImportError:
        cfg = np.show_config(mode="dicts") if "mode" in np.show_config.__code__.co_varnames else None
        if cfg is not None:
            blas = cfg.get("Build Dependencies", {}).get("blas", {})
            return {"source": "np.show_config", "name": blas.get("name"), "version": blas.get("version"), "config": blas.get("openblas configuration")}
        return {"source": "np.show_config", "text": "unavailable"}


class Layer:
    def __init__(self, experts, seed):
        rng = np.random.default_rng(seed)
        self.rng = np.random.default_rng(seed + 1)
        self.n = experts
        self.x = rng.standard_normal((TOKENS, DIM), dtype=f32)
        self.target = rng.standard_normal((TOKENS, DIM), dtype=f32)
        lim1 = np.sqrt(6 / (DIM + HIDDEN))
        self.params = {"router": (rng.standard_normal((DIM, experts), dtype=f32) * f32(0.1))}
        for e in range(experts):
            self.params[f"gamma{e}"] = np.ones(DIM, f32)
            self.params[f"beta{e}"] = np.zeros(DIM, f32)
            self.params[f"w1{e}"] = rng.uniform(-lim1, lim1, (DIM, HIDDEN)).astype(f32)
            self.params[f"b1{e}"] = np.zeros(HIDDEN, f32)
            self.params[f"w2{e}"] = rng.uniform(-lim1, lim1, (HIDDEN, DIM)).astype(f32)
            self.params[f"b2{e}"] = np.zeros(DIM, f32)
        self.m = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.v = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.steps = 0

    def loss_and_grads(self, noise):
        p, x, n, k, T = self.params, self.x, self.n, TOP_K, TOKENS
        logits = x @ p["router"]
        mx = logits.max(1, keepdims=True)
        ex = np.exp(logits - mx)
        s = ex.sum(1, keepdims=True)
        probs = ex / s
        lse = (mx + np.log(s))[:, 0]
        top = np.argsort(-(logits + noise), axis=1, kind="stable")[:, :k]  # [T, k] best first
        # GShard capacity: all first choices (token order), then all second choices.
        cap = max(1, int(np.ceil(CAPACITY_FACTOR * T * k / n * (1 - 1e-12))))
        kept = np.zeros((T, k), bool)
        used = np.zeros(n, np.int64)
        for j in range(k):
            e = top[:, j]
            order = np.argsort(e, kind="stable")
            counts = np.bincount(e, minlength=n)
            starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
            rank = np.empty(T, np.int64)
            rank[order] = np.arange(T) - np.repeat(starts, counts)
            kept[:, j] = rank + used[e] < cap
            used += np.bincount(e[kept[:, j]], minlength=n)
        sel = np.take_along_axis(probs, top, 1)
        total = sel.sum(1, keepdims=True)
        w = sel / total if k > 1 else sel
        mean = x.mean(1, keepdims=True)
        xc = x - mean
        inv = 1 / np.sqrt((xc * xc).mean(1, keepdims=True) + EPS)
        xn = xc * inv
        pair_expert = top.reshape(-1)
        pair_kept = kept.reshape(-1)
        pair_ids = np.nonzero(pair_kept)[0]
        pair_ids = pair_ids[np.argsort(pair_expert[pair_ids], kind="stable")]
        rows = np.bincount(pair_expert[pair_ids], minlength=n)
        bounds = np.concatenate(([0], np.cumsum(rows)))
        pair_out = np.zeros((T * k, DIM), x.dtype)
        cache = []
        for e in range(n):
            ids = pair_ids[bounds[e]:bounds[e + 1]]
            if len(ids) == 0:
                cache.append(None)
                continue
            r = xn[ids // k]
            a = r * p[f"gamma{e}"] + p[f"beta{e}"]
            h = a @ p[f"w1{e}"] + p[f"b1{e}"]
            cdf = 0.5 * (1 + erf(h * f32(np.sqrt(0.5))))
            g = h * cdf
            o = g @ p[f"w2{e}"] + p[f"b2{e}"]
            pair_out[ids] = o
            cache.append((ids, r, a, h, cdf, g, o))
        wflat = w.reshape(-1, 1)
        y = x + (pair_out * wflat).reshape(T, k, DIM).sum(1)
        f = np.bincount(top[:, 0], minlength=n) / T
        lb = n * float((f * probs.mean(0)).sum())
        z = float((lse * lse).mean())
        diff = y - self.target
        loss = float((diff * diff).mean()) + LB_WEIGHT * lb + Z_WEIGHT * z

        grads = {}
        dy = (2 / diff.size) * diff
        dy_pairs = np.repeat(dy, k, axis=0)  # [T*k, D]: each pair's token gradient
        dw = (dy_pairs * pair_out).sum(1).reshape(T, k)
        for e in range(n):
            if cache[e] is None:
                for name, shape in (("gamma", DIM), ("beta", DIM), ("b1", HIDDEN), ("b2", DIM)):
                    grads[f"{name}{e}"] = np.zeros(shape, f32)
                grads[f"w1{e}"] = np.zeros((DIM, HIDDEN), f32)
                grads[f"w2{e}"] = np.zeros((HIDDEN, DIM), f32)
                continue
            ids, r, a, h, cdf, g, o = cache[e]
            do = dy_pairs[ids] * wflat[ids]
            grads[f"w2{e}"] = g.T @ do
            grads[f"b2{e}"] = do.sum(0)
            density = np.exp(-0.5 * h * h) * f32(1 / np.sqrt(2 * np.pi))
            dh = (do @ p[f"w2{e}"].T) * (cdf + h * density)
            grads[f"w1{e}"] = a.T @ dh
            grads[f"b1{e}"] = dh.sum(0)
            da = dh @ p[f"w1{e}"].T
            grads[f"gamma{e}"] = (da * r).sum(0)
            grads[f"beta{e}"] = da.sum(0)
        # Router: combine weights (renormalized over the chosen), load balance and z-loss.
        if k > 1:
            dsel = (dw - (dw * w).sum(1, keepdims=True)) / total
        else:
            dsel = dw
        dprobs = np.zeros_like(probs)
        np.put_along_axis(dprobs, top, dsel, 1)
        dprobs += LB_WEIGHT * n * f / T
        dlogits = probs * (dprobs - (dprobs * probs).sum(1, keepdims=True))
        dlogits += (Z_WEIGHT * 2 / T) * lse[:, None] * probs
        grads["router"] = x.T @ dlogits
        return loss, grads

    def adam(self, grads, lr=1e-3, b1=0.9, b2=0.999, eps=1e-7):
        self.steps += 1
        step = lr / (1 - b1 ** self.steps)
        corr = 1 - b2 ** self.steps
        for name, g in grads.items():
            m, v = self.m[name], self.v[name]
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            self.params[name] -= step * m / (np.sqrt(v / corr) + eps)

    def step(self):
        noise = self.rng.standard_normal((TOKENS, self.n), dtype=f32) * f32(NOISE)
        _, grads = self.loss_and_grads(noise)
        self.adam(grads)


def check():
    layer = Layer(4, 7)
    noise = layer.rng.standard_normal((TOKENS, 4), dtype=f32) * f32(NOISE)
    for name in list(layer.params):
        layer.params[name] = layer.params[name].astype(np.float64)
    layer.x = layer.x.astype(np.float64)
    layer.target = layer.target.astype(np.float64)
    _, grads = layer.loss_and_grads(noise)
    worst = 0.0
    rng = np.random.default_rng(3)
    for name in ("router", "gamma1", "beta2", "w10", "b13", "w22", "b21"):
        param = layer.params[name]
        for _ in range(3):
            i = tuple(rng.integers(0, s) for s in param.shape)
            old = param[i]
            param[i] = old + 1e-6
            up, _ = layer.loss_and_grads(noise)
            param[i] = old - 1e-6
            down, _ = layer.loss_and_grads(noise)
            param[i] = old
            numeric = (up - down) / 2e-6
            worst = max(worst, abs(numeric - grads[name][i]) / (1e-7 + abs(numeric)))
    print(json.dumps({"check": "finite differences", "worst_relative_error": worst}))
    sys.exit(0 if worst < 1e-4 else 1)


def main():
    if "--check" in sys.argv:
        check()
    import os
    print(json.dumps({"numpy": np.__version__, "blas": blas_info(), "python": sys.version.split()[0],
                      "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"), "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE")}), flush=True)
    layers = {}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        n = int(line)
        if n not in layers:
            layers[n] = Layer(n, 1000 + n)
        t = time.perf_counter()
        layers[n].step()
        print(f"{(time.perf_counter() - t) * 1000:.3f}", flush=True)


if __name__ == "__main__":
    main()
