"""Dev-only: the real chronos-forecasting pipelines timed on the cases of bench/Chronos (side-by-side.sh runs this and
ours alternately). Random official-size weights (speed does not depend on the values), 2 threads, float32, median of
RUNS calls after one warm-up (WARMUP=0 skips it, for cases of minutes); prints one line: REF <case> <median s> <series/s> <peak RSS MiB>.
Cases: bolt-small-B, bolt-base-B, t5-small-B (20 samples; random walks of 512 → 64) and chronos2-B (official size,
attn_implementation="eager" as torch 1.13 has no SDPA; random walks of 2048 → 64)."""
import os, statistics, sys, time
import numpy as np
import torch

case = sys.argv[1]
model_name, batch = case.rsplit("-", 1) if case != "check" else (case, "1")
batch = int(batch)
runs = int(os.environ.get("RUNS", "3" if batch < 64 else "1"))
torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
torch.manual_seed(1)
# torch 1.13's torch.distributed.fsdp cannot be imported on Python 3.11; generate() only asks whether the model is
# FSDP-managed, which it is not here.
import transformers.generation.utils as _generation
_generation.is_fsdp_managed_module = lambda module: False
# chronos 2.x imports sklearn's TargetEncoder (Chronos-2 categorical covariates only); Debian's scikit-learn 1.2 lacks it.
# None of the timed cases encodes categories, so a stand-in that refuses to be used lets the package import.
import sklearn.preprocessing as _preprocessing
if not hasattr(_preprocessing, "TargetEncoder"):
    class _TargetEncoderUnavailable:
        def __init__(self, *args, **kwargs):
            raise NotImplementedError("TargetEncoder needs scikit-learn >= 1.3")
    _preprocessing.TargetEncoder = _TargetEncoderUnavailable
if case == "check":  # side-by-side.sh asks whether the pipelines import before it times anything
    import chronos.chronos2, chronos.chronos_bolt
    sys.exit(0)

common = dict(relative_attention_num_buckets=32, relative_attention_max_distance=128, dropout_rate=0.1,
              layer_norm_epsilon=1e-6, initializer_factor=0.05, feed_forward_proj="relu", is_encoder_decoder=True,
              pad_token_id=0, eos_token_id=1, decoder_start_token_id=0, d_kv=64, use_cache=True)
small = dict(d_model=512, d_ff=2048, num_layers=6, num_decoder_layers=6, num_heads=8)
base = dict(d_model=768, d_ff=3072, num_layers=12, num_decoder_layers=12, num_heads=12)
length = 512
if model_name in ("bolt-small", "bolt-base"):
    from transformers import T5Config
    from chronos import ChronosBoltPipeline
    from chronos.chronos_bolt import ChronosBoltModelForForecasting
    cfg = T5Config(**common, **(small if model_name == "bolt-small" else base), vocab_size=2, n_positions=512,
                   chronos_config=dict(context_length=2048, prediction_length=64, input_patch_size=16,
                                       input_patch_stride=16, quantiles=[i / 10 for i in range(1, 10)], use_reg_token=True))
    pipe = ChronosBoltPipeline(model=ChronosBoltModelForForecasting(cfg).eval())
    run = lambda ctx: pipe.predict(ctx, prediction_length=64)
elif model_name == "t5-small":
    from transformers import T5Config, T5ForConditionalGeneration
    from chronos import ChronosConfig, ChronosModel, ChronosPipeline
    cfg = T5Config(**common, **small, vocab_size=4096, n_positions=512)
    cc = ChronosConfig(tokenizer_class="MeanScaleUniformBins", tokenizer_kwargs=dict(low_limit=-15.0, high_limit=15.0),
                       context_length=512, prediction_length=64, n_tokens=4096, n_special_tokens=2, pad_token_id=0,
                       eos_token_id=1, use_eos_token=True, model_type="seq2seq", num_samples=20, temperature=1.0,
                       top_k=50, top_p=1.0)
    pipe = ChronosPipeline(tokenizer=cc.create_tokenizer(), model=ChronosModel(config=cc, model=T5ForConditionalGeneration(cfg).eval()))
    run = lambda ctx: pipe.predict(ctx, prediction_length=64, num_samples=20)
elif model_name == "chronos2":
    from chronos.chronos2.config import Chronos2CoreConfig
    from chronos.chronos2.model import Chronos2Model
    from chronos.chronos2.pipeline import Chronos2Pipeline
    quantiles = [0.01, 0.05] + [i / 20 for i in range(2, 19)] + [0.95, 0.99]
    cfg = Chronos2CoreConfig(d_model=768, d_ff=3072, d_kv=64, num_layers=12, num_heads=12, dropout_rate=0.1,
                             attn_implementation="eager",
                             chronos_config=dict(context_length=8192, input_patch_size=16, input_patch_stride=16,
                                                 output_patch_size=16, quantiles=quantiles, use_reg_token=True,
                                                 use_arcsinh=True, max_output_patches=64))
    pipe = Chronos2Pipeline(model=Chronos2Model(cfg).eval())
    run = lambda ctx: pipe.predict([c for c in ctx], prediction_length=64, batch_size=256)
    length = 2048
else:
    sys.exit(f"unknown case {case}")

rng = np.random.default_rng(7)
ctx = torch.tensor(100.0 + np.cumsum(rng.uniform(-1, 1, size=(batch, length)), axis=1), dtype=torch.float32)
with torch.no_grad():
    if os.environ.get("WARMUP", "1") != "0":
        run(ctx if model_name != "chronos2" else ctx[: min(batch, 16)])  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run(ctx)
        times.append(time.perf_counter() - start)
median = statistics.median(times)
peak = int([l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]) / 1024
print(f"REF {case} {median:.4f} {batch / median:.4g} {peak:.0f}", flush=True)
