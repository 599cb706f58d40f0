"""The standard baseline a practitioner runs first, on the workbench's own split.

Reads a registered dataset version folder (records.jsonl, split.bin: one byte per record,
0 train / 1 validation / 2 test), fits on train, picks the regularization on validation, scores
test, and prints one JSON object. Run with Debian's python3 (apt-get install python3-sklearn):
    /usr/bin/python3 bench/quality_baseline.py KIND VERSION_DIR
Kinds: semantics (TF-IDF 1-2 grams + logistic regression), syntax (feature-based
logistic-regression tagger), texture (intensity + gradient histograms + logistic regression),
recommendation (global + user + item biases with L2, fitted by alternating least squares).
"""
import base64
import json
import sys
import time

import numpy as np


def load(folder):
    with open(f"{folder}/records.jsonl", encoding="utf8") as f:
        records = [json.loads(line) for line in f]
    with open(f"{folder}/split.bin", "rb") as f:
        split = np.frombuffer(f.read(), dtype=np.uint8)
    assert len(split) == len(records), "split and records differ in length"
    return records, split


def pick(split, code, items):
    return [x for x, s in zip(items, split) if s == code]


def best_on_validation(candidates, fit_score):
    """fit_score(c) -> (validation score, test score); returns the test score of the best c."""
    results = [(fit_score(c), c) for c in candidates]
    (val, test), c = max(results, key=lambda r: r[0][0])
    return test, c


def semantics(records, split):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [r["text"] for r in records]
    labels = [r["label"] for r in records]
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    xtr = vec.fit_transform(pick(split, 0, texts))
    xva, xte = vec.transform(pick(split, 1, texts)), vec.transform(pick(split, 2, texts))
    ytr, yva, yte = pick(split, 0, labels), pick(split, 1, labels), pick(split, 2, labels)

    def fit(c):
        m = LogisticRegression(C=c, max_iter=2000).fit(xtr, ytr)
        return m.score(xva, yva), m.score(xte, yte)

    test, c = best_on_validation([0.3, 1, 3, 10, 30], fit)
    return {"metric": "accuracy", "baseline": test, "baseline_name": f"TF-IDF 1-2 grams + logistic regression (C={c})"}


def token_features(tokens, i):
    w = tokens[i]
    lw = w.lower()
    f = {
        "w=" + lw: 1, "s1=" + lw[-1:]: 1, "s2=" + lw[-2:]: 1, "s3=" + lw[-3:]: 1, "p1=" + lw[:1]: 1, "p2=" + lw[:2]: 1,
        "title": int(w.istitle()), "upper": int(w.isupper()), "digit": int(any(ch.isdigit() for ch in w)),
        "hyphen": int("-" in w), "first": int(i == 0), "bias": 1,
    }
    for off in (-2, -1, 1, 2):
        j = i + off
        n = tokens[j].lower() if 0 <= j < len(tokens) else "<pad>"
        f[f"w{off}={n}"] = 1
        if abs(off) == 1:
            f[f"s{off}={n[-2:]}"] = 1
    return f


def syntax(records, split):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    def flat(code):
        xs, ys = [], []
        for r in pick(split, code, records):
            for i in range(len(r["tokens"])):
                xs.append(token_features(r["tokens"], i))
                ys.append(r["tags"][i])
        return xs, ys

    (xtr, ytr), (xva, yva), (xte, yte) = flat(0), flat(1), flat(2)
    vec = DictVectorizer()
    xtr = vec.fit_transform(xtr)
    xva, xte = vec.transform(xva), vec.transform(xte)

    def fit(c):
        m = LogisticRegression(C=c, max_iter=300).fit(xtr, ytr)
        return m.score(xva, yva), m.score(xte, yte)

    test, c = best_on_validation([1, 10], fit)
    return {"metric": "accuracy", "baseline": test, "baseline_name": f"logistic-regression tagger: word, affixes, shape, +-2 neighbours (C={c})"}


def image_features(r):
    px = np.frombuffer(base64.b64decode(r["pixels"]), dtype=np.uint8).reshape(32, 32, 3).astype(np.float64)
    grey = px.mean(axis=2) / 255.0
    gy, gx = np.gradient(grey)
    mag = np.hypot(gx, gy)
    ang = np.arctan2(gy, gx) % np.pi
    inten = np.histogram(grey, bins=16, range=(0, 1))[0]
    mags = np.histogram(mag, bins=16, range=(0, 0.5))[0]
    orient = np.histogram(ang, bins=8, range=(0, np.pi), weights=mag)[0]
    colour = px.reshape(-1, 3).mean(axis=0) / 255.0
    return np.concatenate([inten / 1024.0, mags / 1024.0, orient / (mag.sum() + 1e-9), colour])


def texture(records, split):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = np.array([image_features(r) for r in records])
    y = np.array([r["label"] for r in records])
    scaler = StandardScaler().fit(x[split == 0])
    x = scaler.transform(x)

    def fit(c):
        m = LogisticRegression(C=c, max_iter=3000).fit(x[split == 0], y[split == 0])
        return m.score(x[split == 1], y[split == 1]), m.score(x[split == 2], y[split == 2])

    test, c = best_on_validation([0.1, 1, 10, 100], fit)
    return {"metric": "accuracy", "baseline": test, "baseline_name": f"intensity + gradient histograms + logistic regression (C={c})"}


def recommendation(records, split):
    users = {u: i for i, u in enumerate(sorted({r["user"] for r in records}))}
    items = {t: i for i, t in enumerate(sorted({r["item"] for r in records}))}
    u = np.array([users[r["user"]] for r in records])
    it = np.array([items[r["item"]] for r in records])
    y = np.array([r["rating"] for r in records], dtype=np.float64)
    tr, va, te = split == 0, split == 1, split == 2
    mu = y[tr].mean()
    lo, hi = y[tr].min(), y[tr].max()

    def fit(lam):
        bu, bi = np.zeros(len(users)), np.zeros(len(items))
        for _ in range(15):
            r = y[tr] - mu - bi[it[tr]]
            bu = np.bincount(u[tr], r, len(users)) / (np.bincount(u[tr], minlength=len(users)) + lam)
            r = y[tr] - mu - bu[u[tr]]
            bi = np.bincount(it[tr], r, len(items)) / (np.bincount(it[tr], minlength=len(items)) + lam)

        def rmse(mask):
            p = np.clip(mu + bu[u[mask]] + bi[it[mask]], lo, hi)
            return float(np.sqrt(np.mean((p - y[mask]) ** 2)))

        return -rmse(va), rmse(te)

    test, lam = best_on_validation([1, 3, 5, 10, 25], fit)
    return {"metric": "rmse", "baseline": test, "baseline_name": f"global + user + item biases, L2 (lambda={lam})"}


def main():
    kind, folder = sys.argv[1], sys.argv[2]
    records, split = load(folder)
    t0 = time.time()
    out = {"semantics": semantics, "syntax": syntax, "texture": texture, "recommendation": recommendation}[kind](records, split)
    out["baseline_s"] = round(time.time() - t0, 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
