"""Dev-only: the Chronos-2 categorical-covariate golden (tests/Chronos.Tests/Fixtures/set-a/chronos-2/categorical.json)
made with the real reference (chronos-forecasting 2.3.0 Chronos2Pipeline, attn_implementation="eager", torch 1.13, CPU,
float32) on the set-a Chronos-2 model. Set up the reference per shared/reference/chronos/python-reference/README.md, then:
  LD_LIBRARY_PATH=… PYTHONPATH=… /usr/bin/python3 bench/Chronos/python/make_categorical_golden.py
Two calls: univariate tasks (target encoding), two-target tasks (ordinal encoding); each with a numeric past covariate,
a past-only categorical with missing values and a known-future categorical whose future has a missing value and a
category no history has (the reference's sentinel). Stored: the inputs, the encoded rows (preprocess.from_list_of_dicts)
and the forecasts (predict)."""
import json, math, os, sys
import numpy as np, torch
torch.set_num_threads(2)
import transformers.generation.utils as g; g.is_fsdp_managed_module = lambda m: False
from chronos.chronos2 import Chronos2Pipeline
from chronos.chronos2 import preprocess

repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
root = os.path.join(repo, "tests/Chronos.Tests/Fixtures/set-a/chronos-2")
pipe = Chronos2Pipeline.from_pretrained(root + "/model", attn_implementation="eager")
horizon = 12
rng = np.random.default_rng(2027)
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

def task(length, n_targets, unseen):
    t = np.arange(length)
    day = np.array([days[i % 7] for i in t], dtype=object)
    target = np.stack([10 + 3 * (day == "sat") + 5 * (day == "sun") + np.sin(t / (3 + k)) + rng.normal(0, 0.3, length)
                       for k in range(n_targets)]).astype(np.float32)
    target[0, length // 3] = np.nan
    store = np.array([None if i % 11 == 4 else ("a" if i % 3 else "b") for i in t], dtype=object)
    promo = np.array(["none" if i % 5 else "promo" for i in t], dtype=object)
    future_promo = np.array(["none" if i % 4 else "promo" for i in range(horizon)], dtype=object)
    future_promo[1] = None
    if unseen:
        future_promo[2] = "clearance"
    return {
        "target": target[0] if n_targets == 1 else target,
        "past_covariates": {"temp": (20 + rng.normal(0, 2, length)).astype(np.float32), "store": store, "promo": promo},
        "future_covariates": {"promo": future_promo},
    }

def floats(a):
    return [None if not math.isfinite(float(v)) else float(v) for v in np.asarray(a, dtype=np.float32).reshape(-1)]

def strings(a):
    return [None if v is None else str(v) for v in a]

def run(name, tasks):
    prepared = preprocess.from_list_of_dicts(tasks, prediction_length=horizon)
    n_targets = 1 if tasks[0]["target"].ndim == 1 else tasks[0]["target"].shape[0]
    past_keys = sorted(tasks[0]["past_covariates"]); future_keys = sorted(tasks[0]["future_covariates"])
    order = [k for k in past_keys if k not in future_keys] + [k for k in past_keys if k in future_keys]
    with torch.no_grad():
        out = pipe.predict(tasks, prediction_length=horizon)
    cases = []
    for d, p, o in zip(tasks, prepared, out):
        target = np.asarray(d["target"]).reshape(n_targets, -1)
        cases.append({
            "target": [floats(r) for r in target],
            "past_numeric": {"temp": floats(d["past_covariates"]["temp"])},
            "past_categorical": {k: strings(d["past_covariates"][k]) for k in ("store", "promo")},
            "future_categorical": {"promo": strings(d["future_covariates"]["promo"])},
            "encoded_past": {k: floats(p["context"][n_targets + j]) for j, k in enumerate(order)},
            "encoded_future": {k: floats(p["future_covariates"][n_targets + j]) for j, k in enumerate(order) if k in future_keys},
            "forecast_shape": list(o.shape),
            "forecast": floats(o),
        })
    return {"name": name, "prediction_length": horizon, "quantiles": [float(q) for q in pipe.quantiles], "tasks": cases}

golden = {
    "source": "chronos-forecasting 2.3.0 Chronos2Pipeline.predict (list of dicts), attn_implementation=eager, torch "
              + torch.__version__ + ", CPU float32, set-a chronos-2 model; bench/Chronos/python/make_categorical_golden.py",
    "calls": [
        run("target_encoding", [task(45, 1, True), task(38, 1, False), task(60, 1, False)]),
        run("ordinal_encoding", [task(41, 2, True), task(52, 2, False)]),
    ],
}
with open(os.path.join(root, "categorical.json"), "w") as f:
    json.dump(golden, f, separators=(",", ":"))
print("wrote", os.path.join(root, "categorical.json"), os.path.getsize(os.path.join(root, "categorical.json")), "bytes")
