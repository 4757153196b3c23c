"""Side-by-side timing of the Python reference's Chronos-Bolt computation on this machine (dev tool, not a test).

The reference (chronos-forecasting 2.3: chronos_bolt.py on transformers' T5Stack) cannot be installed here: pip has no
network and Debian 12 packages torch 1.13.1 but not transformers. This script performs the same tensor operations in
the same order with Debian's torch 1.13.1 + OpenBLAS (the stack speed.md measured): InstanceNorm, NaN-padded
patching, the residual-block patch embedding, the REG token, HF's T5 encoder (RMS norm in float32, q/k/v/o
projections, unscaled scores + relative position bias + extended mask, float32 softmax, relu feed-forward), a
one-position decoder with self- and cross-attention, and the quantile head, the whole batch in one call as
ChronosBoltPipeline.predict does. Written from the reference's description, not copied from it.

    apt-get install -y python3-torch libopenblas0-openmp
    /usr/bin/python3 bench/Chronos/python/bolt_reference_ops.py bolt-base 256

Prints one line: model, batch, median seconds of 3 runs after a warm-up, series/s, peak RSS MiB.
"""

import math
import resource
import statistics
import sys
import time

import torch
from torch import nn

SIZES = {
    "bolt-small": dict(d_model=512, d_ff=2048, layers=6, heads=8),
    "bolt-base": dict(d_model=768, d_ff=3072, layers=12, heads=12),
}
D_KV, PATCH, HORIZON, QUANTILES, BUCKETS, MAX_DISTANCE, EPS = 64, 16, 64, 9, 32, 128, 1e-6


class RmsNorm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        variance = x.to(torch.float32).pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(variance + EPS))


def relative_buckets(relative, bidirectional):
    buckets = BUCKETS // 2 if bidirectional else BUCKETS
    result = (relative > 0).to(torch.long) * buckets if bidirectional else torch.zeros_like(relative)
    relative = relative.abs() if bidirectional else -torch.min(relative, torch.zeros_like(relative))
    exact = buckets // 2
    large = exact + (torch.log(relative.float() / exact) / math.log(MAX_DISTANCE / exact) * (buckets - exact)).to(torch.long)
    large = torch.min(large, torch.full_like(large, buckets - 1))
    return result + torch.where(relative < exact, relative, large)


class Attention(nn.Module):
    def __init__(self, d, heads, has_bias):
        super().__init__()
        self.heads = heads
        inner = heads * D_KV
        self.q, self.k, self.v = (nn.Linear(d, inner, bias=False) for _ in range(3))
        self.o = nn.Linear(inner, d, bias=False)
        self.relative_attention_bias = nn.Embedding(BUCKETS, heads) if has_bias else None

    def bias(self, query_length, key_length, bidirectional):
        context = torch.arange(query_length)[:, None]
        memory = torch.arange(key_length)[None, :]
        values = self.relative_attention_bias(relative_buckets(memory - context, bidirectional))
        return values.permute([2, 0, 1]).unsqueeze(0)

    def forward(self, x, bias, keys_from=None):
        batch = x.shape[0]
        split = lambda t: t.view(batch, -1, self.heads, D_KV).transpose(1, 2)
        source = x if keys_from is None else keys_from
        q, k, v = split(self.q(x)), split(self.k(source)), split(self.v(source))
        scores = torch.matmul(q, k.transpose(3, 2)) + bias
        weights = nn.functional.softmax(scores.float(), dim=-1).type_as(scores)
        context = torch.matmul(weights, v).transpose(1, 2).contiguous().view(batch, -1, self.heads * D_KV)
        return self.o(context)


class Block(nn.Module):
    def __init__(self, d, d_ff, heads, decoder, has_bias):
        super().__init__()
        self.self_norm, self.self_attention = RmsNorm(d), Attention(d, heads, has_bias)
        self.cross_norm, self.cross_attention = (RmsNorm(d), Attention(d, heads, False)) if decoder else (None, None)
        self.ff_norm, self.wi, self.wo = RmsNorm(d), nn.Linear(d, d_ff, bias=False), nn.Linear(d_ff, d, bias=False)

    def forward(self, x, bias, encoder=None, cross_bias=None):
        x = x + self.self_attention(self.self_norm(x), bias)
        if self.cross_attention is not None:
            x = x + self.cross_attention(self.cross_norm(x), cross_bias, keys_from=encoder)
        return x + self.wo(torch.relu(self.wi(self.ff_norm(x))))


class Stack(nn.Module):
    def __init__(self, d, d_ff, layers, heads, decoder):
        super().__init__()
        self.decoder = decoder
        self.blocks = nn.ModuleList(Block(d, d_ff, heads, decoder, i == 0) for i in range(layers))
        self.final_norm = RmsNorm(d)

    def forward(self, x, mask, encoder=None, encoder_mask=None):
        extended = lambda m: (1.0 - m[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        length = x.shape[1]
        if self.decoder:
            # One decoder position (Bolt's single step): the causal mask HF adds is all zeros.
            bias = self.blocks[0].self_attention.bias(length, length, False) + torch.zeros(1, 1, length, length)
            cross_bias = extended(encoder_mask)
        else:
            bias, cross_bias = self.blocks[0].self_attention.bias(length, length, True) + extended(mask), None
        for block in self.blocks:
            x = block(x, bias, encoder, cross_bias)
        return self.final_norm(x)


class ResidualBlock(nn.Module):
    def __init__(self, d_in, d_hidden, d_out):
        super().__init__()
        self.hidden_layer, self.output_layer = nn.Linear(d_in, d_hidden), nn.Linear(d_hidden, d_out)
        self.residual_layer = nn.Linear(d_in, d_out)

    def forward(self, x):
        return self.output_layer(torch.relu(self.hidden_layer(x))) + self.residual_layer(x)


class Bolt(nn.Module):
    def __init__(self, d_model, d_ff, layers, heads):
        super().__init__()
        self.shared = nn.Embedding(2, d_model)
        self.input_patch_embedding = ResidualBlock(2 * PATCH, d_ff, d_model)
        self.encoder = Stack(d_model, d_ff, layers, heads, decoder=False)
        self.decoder = Stack(d_model, d_ff, layers, heads, decoder=True)
        self.output_patch_embedding = ResidualBlock(d_model, d_ff, QUANTILES * HORIZON)

    def forward(self, context):
        batch = context.shape[0]
        mask = torch.isnan(context).logical_not().to(context.dtype)
        loc = torch.nan_to_num(torch.nanmean(context, dim=-1, keepdim=True), nan=0.0)
        scale = torch.nan_to_num(torch.nanmean((context - loc).square(), dim=-1, keepdim=True).sqrt(), nan=1.0)
        scale = torch.where(scale == 0, torch.abs(loc) + 1e-5, scale)
        normalised = (context - loc) / scale
        patches = normalised.unfold(-1, PATCH, PATCH)
        patch_mask = torch.nan_to_num(mask.unfold(-1, PATCH, PATCH), nan=0.0)
        patches = torch.where(patch_mask > 0.0, patches, 0.0)
        attention_mask = patch_mask.sum(dim=-1) > 0
        embeds = self.input_patch_embedding(torch.cat([patches, patch_mask], dim=-1))
        reg = torch.full((batch, 1), 1)
        embeds = torch.cat([embeds, self.shared(reg)], dim=-2)
        attention_mask = torch.cat([attention_mask.to(embeds.dtype), torch.ones_like(reg).to(embeds.dtype)], dim=-1)
        hidden = self.encoder(embeds, attention_mask)
        start = self.shared(torch.full((batch, 1), 0))
        decoded = self.decoder(start, None, hidden, attention_mask)
        preds = self.output_patch_embedding(decoded).view(batch, -1)
        return (preds * scale + loc).view(batch, QUANTILES, HORIZON)


def random_walks(count, length=512, seed=7):
    generator = torch.Generator().manual_seed(seed)
    return 100 + torch.cumsum(torch.rand(count, length, generator=generator) * 2 - 1, dim=-1)


def main():
    name, batch = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
    torch.manual_seed(1)
    model = Bolt(**SIZES[name]).eval()
    context = random_walks(batch)
    with torch.no_grad():
        model(context)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            model(context)
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{name} {batch} {median:.4f} {batch / median:.2f} {peak:.0f}")


if __name__ == "__main__":
    main()
