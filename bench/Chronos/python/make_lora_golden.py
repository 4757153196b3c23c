"""Dev-only: the Chronos-2 LoRA goldens (tests/Chronos.Tests/Fixtures/set-a/chronos-2/lora_train_step.safetensors and
lora-adapter/) made with the real reference: chronos-forecasting 2.3.0 (Chronos2Pipeline, attn_implementation="eager")
with peft 0.14 get_peft_model and the LoraConfig of Chronos2Pipeline.fit(finetune_mode="lora") (target modules
self_attention.q/k/v/o and output_patch_embedding.output_layer) at r=4, lora_alpha=8, on the set-a model.
peft starts lora_B at zero, which leaves lora_A without gradient at the first step, so lora_B is drawn N(0, 0.05²) first.
Stored: the adapter as peft's save_pretrained writes it (lora-adapter/), the forecast of the sine series with the
adapter active, and one training step on train_step.safetensors' batch (eval mode as that golden): loss, quantile
predictions, every LoRA gradient, and the LoRA weights after clip_grad_norm_(1.0) + AdamW(lr 1e-3, weight decay 0).
  LD_LIBRARY_PATH=… PYTHONPATH=… /usr/bin/python3 bench/Chronos/python/make_lora_golden.py"""
import json, os
import torch
torch.set_num_threads(2)
import transformers.generation.utils as g; g.is_fsdp_managed_module = lambda m: False
from chronos.chronos2 import Chronos2Pipeline
from peft import LoraConfig, get_peft_model
from safetensors.torch import load_file, save_file

repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
root = os.path.join(repo, "tests/Chronos.Tests/Fixtures/set-a/chronos-2")
pipe = Chronos2Pipeline.from_pretrained(root + "/model", attn_implementation="eager")
torch.manual_seed(2027)
config = LoraConfig(r=4, lora_alpha=8, target_modules=["self_attention.q", "self_attention.v", "self_attention.k",
                                                       "self_attention.o", "output_patch_embedding.output_layer"])
model = get_peft_model(pipe.model, config)   # injects the LoRA layers into pipe.model in place
with torch.no_grad():
    for name, p in model.named_parameters():
        if "lora_B" in name:
            p.normal_(0, 0.05)
model.eval()
adapter = os.path.join(root, "lora-adapter")
model.save_pretrained(adapter)
with open(os.path.join(adapter, "adapter_config.json")) as f:
    adapter_config = json.load(f)
adapter_config["base_model_name_or_path"] = "../model"   # the set-a model beside this folder (was an absolute path)
with open(os.path.join(adapter, "adapter_config.json"), "w") as f:
    json.dump(adapter_config, f, indent=2, sort_keys=True)

out = {}
sine = load_file(root + "/sine.safetensors")
with torch.no_grad():
    out["forecast_context"] = sine["context"][0].clone()
    out["forecast_adapter"] = pipe.predict([sine["context"][0]], prediction_length=sine["forecast"].shape[-1])[0]

def saved_name(name):   # peft's state-dict names without the adapter name, as in adapter_model.safetensors
    return name.replace(".default", "")

gold = load_file(root + "/train_step.safetensors")
summary = json.load(open(root + "/summary.json"))["train_step"]
lora = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
result = model(context=gold["context"], group_ids=gold["group_ids"], future_target=gold["future_target"],
               num_output_patches=summary["num_output_patches"])
result.loss.backward()
out["loss"] = result.loss.detach().reshape(1)
out["quantile_preds"] = result.quantile_preds.detach()
for n, p in lora:
    out["grad." + saved_name(n)] = p.grad.detach().clone()
out["grad_norm"] = torch.nn.utils.clip_grad_norm_([p for _, p in lora], 1.0).reshape(1)
optimizer = torch.optim.AdamW([p for _, p in lora], lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
optimizer.step()
for n, p in lora:
    out["after." + saved_name(n)] = p.detach().clone()
save_file({k: v.contiguous() for k, v in out.items()}, os.path.join(root, "lora_train_step.safetensors"))
print("LoRA parameters:", len(lora), "loss", float(out["loss"]), "grad_norm", float(out["grad_norm"]))
