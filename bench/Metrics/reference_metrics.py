"""Reference for bench/Metrics: the same metrics, vectorised with numpy over a (series x horizon) array, the way
GluonTS' evaluation computes them (numpy per item, then mean / pooled sums). Reads the arrays the C# benchmark wrote,
times `repetitions` runs and prints JSON with the timings and the dataset metrics (for an agreement check).

    python3 reference_metrics.py <folder> <series> <history> <horizon> <season> <repetitions>
"""
import json
import sys
import time

import numpy as np


def load(folder, name, shape):
    return np.fromfile(f"{folder}/{name}.bin", dtype="<f8").reshape(shape)


def score(train, y, mean, quantiles, levels, season):
    err = y - mean
    ae = np.abs(err)
    abs_y = np.abs(y)
    mae = ae.mean(axis=1)
    rmse = np.sqrt((err * err).mean(axis=1))
    nonzero = y != 0
    mape = 100 * np.where(nonzero, ae / np.where(nonzero, abs_y, 1), 0).sum(axis=1) / nonzero.sum(axis=1)
    denominator = abs_y + np.abs(mean)
    smape = 200 * np.where(denominator > 0, ae / np.where(denominator > 0, denominator, 1), 0).mean(axis=1)
    scale = np.abs(train[:, season:] - train[:, :-season]).mean(axis=1)
    mase = mae / scale
    indicator = (y[None, :, :] <= quantiles).astype(np.float64)
    loss = 2 * np.abs((y[None, :, :] - quantiles) * (indicator - levels[:, None, None]))
    per_series_wql = (loss.sum(axis=2) / abs_y.sum(axis=1)[None, :]).mean(axis=0)
    per_series_wape = ae.sum(axis=1) / abs_y.sum(axis=1)
    dataset = {
        "mae": mae.mean(), "rmse": rmse.mean(), "mape": mape.mean(), "smape": smape.mean(),
        "mase": mase[np.isfinite(mase)].mean(),
        "wape": ae.sum() / abs_y.sum(),
        "wql": (loss.sum(axis=(1, 2)) / abs_y.sum()).mean(),
    }
    for i, level in enumerate(levels):
        if level >= 0.5:
            continue
        j = int(np.argmin(np.abs(levels - (1 - level))))
        inside = (y >= quantiles[i]) & (y <= quantiles[j])
        dataset[f"coverage_{round((1 - 2 * level) * 100)}"] = inside.mean()
        _ = inside.mean(axis=1)  # per series, as the C# side computes
    return dataset, (mae, rmse, mape, smape, mase, per_series_wape, per_series_wql)


def main():
    folder = sys.argv[1]
    n, history, horizon, season, repetitions = (int(a) for a in sys.argv[2:7])
    levels = np.fromfile(f"{folder}/levels.bin", dtype="<f8")
    train = load(folder, "train", (n, history))
    y = load(folder, "actual", (n, horizon))
    mean = load(folder, "mean", (n, horizon))
    quantiles = load(folder, "quantiles", (len(levels), n, horizon))
    score(train, y, mean, quantiles, levels, season)  # warm-up
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        dataset, _ = score(train, y, mean, quantiles, levels, season)
        times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"milliseconds": sorted(times), "numpy": np.__version__,
                      "metrics": {k: float(v) for k, v in dataset.items()}}))


if __name__ == "__main__":
    main()
