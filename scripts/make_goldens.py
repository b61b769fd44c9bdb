#!/usr/bin/env python3
"""Golden fixtures for the engine's numerics, from an independent numpy reference.

Writes, for four tiny architectures, a random-init model file in the interp model format and a
golden file with every TransformerLens hook activation and the logits for a fixed batch, plus a
zero-ablation variant ("patched.<hook>") and, for the first model, a resid_pre patching sweep.

The reference follows TransformerLens 3 (HookedTransformer, TransformerBlock, Attention, LayerNorm,
LayerNormPre, MLP): hook_normalized before the LayerNorm affine, shortformer positions added to the
query/key inputs after ln1, scores scaled by 1/sqrt(d_head) and masked with -inf, NaN rows of the
pattern set to 0. It computes in float64 from float32 weights.

    python3 scripts/make_goldens.py            # writes Tests/TransformerTests/Fixtures/*.safetensors

numpy only; CI never runs this: its outputs are committed.
"""
import json
import math
import os
import struct

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "TransformerTests", "Fixtures")


# ---------------------------------------------------------------- safetensors writer

def write_safetensors(path, tensors, metadata=None):
    """tensors: name -> np.ndarray (float32 / int64 / int32). Header keys sorted, padded to 8 bytes."""
    header = {}
    if metadata:
        header["__metadata__"] = dict(sorted(metadata.items()))
    offset = 0
    blobs = []
    for name in sorted(tensors):
        arr = tensors[name]
        if arr.dtype == np.float32:
            dtype, raw = "F32", arr.astype("<f4").tobytes()
        elif arr.dtype == np.int64:
            dtype, raw = "I64", arr.astype("<i8").tobytes()
        elif arr.dtype == np.int32:
            dtype, raw = "I32", arr.astype("<i4").tobytes()
        else:
            raise ValueError(f"{name}: unsupported dtype {arr.dtype}")
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)
    os.replace(tmp, path)


# ---------------------------------------------------------------- the reference model

def gelu_new(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def gelu_exact(x):
    return 0.5 * x * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


def relu(x):
    return np.maximum(x, 0.0)


ACTS = {"gelu_new": gelu_new, "gelu": gelu_exact, "relu": relu}


class Run:
    """One forward pass that records every hook point and lets hooks replace activations."""

    def __init__(self, hooks=None):
        self.hooks = hooks or {}
        self.cache = {}

    def hook(self, name, x):
        if name in self.hooks:
            y = self.hooks[name](x.copy())
            assert y.shape == x.shape
            x = y
        self.cache[name] = x
        return x


def layer_norm(run, prefix, x, cfg, w=None, b=None):
    x = x - x.mean(-1, keepdims=True)
    scale = run.hook(prefix + ".hook_scale", np.sqrt((x ** 2).mean(-1, keepdims=True) + cfg["eps"]))
    x = run.hook(prefix + ".hook_normalized", x / scale)
    if cfg["normalization_type"] == "LN":
        x = x * w + b
    return x


def normalize(run, prefix, x, cfg, params, pname):
    if cfg["normalization_type"] is None:
        return x
    w = params.get(pname + ".w")
    b = params.get(pname + ".b")
    return layer_norm(run, prefix, x, cfg, w, b)


def forward(cfg, params, tokens, hooks=None, start=None):
    """tokens [batch, pos] -> (logits, cache). start=(layer, resid) resumes at a block (no embed hooks)."""
    run = Run(hooks)
    P = {k: v.astype(np.float64) for k, v in params.items()}
    batch, pos = tokens.shape
    H, D = cfg["n_heads"], cfg["d_head"]
    shortformer = cfg["positional_embedding_type"] == "shortformer"
    first = 0
    pos_for_qk = None
    if start is None:
        embed = run.hook("hook_embed", P["embed.W_E"][tokens])
        pos_embed = run.hook("hook_pos_embed", np.broadcast_to(P["pos_embed.W_pos"][:pos], (batch, pos, cfg["d_model"])).copy())
        if shortformer:
            resid = embed
            pos_for_qk = pos_embed
        else:
            resid = embed + pos_embed
    else:
        first, resid = start
        resid = resid.astype(np.float64)
        if shortformer:
            pos_for_qk = np.broadcast_to(P["pos_embed.W_pos"][:pos], (batch, pos, cfg["d_model"]))
    mask = np.tril(np.ones((pos, pos), dtype=bool))
    for l in range(first, cfg["n_layers"]):
        p = f"blocks.{l}."
        resid_pre = run.hook(p + "hook_resid_pre", resid)
        attn_in = normalize(run, p + "ln1", resid_pre, cfg, P, p + "ln1")
        qk_in = attn_in + pos_for_qk if shortformer else attn_in
        q = run.hook(p + "attn.hook_q", np.einsum("bpm,hmd->bphd", qk_in, P[p + "attn.W_Q"]) + P[p + "attn.b_Q"])
        k = run.hook(p + "attn.hook_k", np.einsum("bpm,hmd->bphd", qk_in, P[p + "attn.W_K"]) + P[p + "attn.b_K"])
        v = run.hook(p + "attn.hook_v", np.einsum("bpm,hmd->bphd", attn_in, P[p + "attn.W_V"]) + P[p + "attn.b_V"])
        scores = np.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(D)
        scores = np.where(mask, scores, -np.inf)
        scores = run.hook(p + "attn.hook_attn_scores", scores)
        m = scores.max(-1, keepdims=True)
        e = np.exp(scores - m)
        pattern = e / e.sum(-1, keepdims=True)
        pattern = np.where(np.isnan(pattern), 0.0, pattern)
        pattern = run.hook(p + "attn.hook_pattern", pattern)
        z = run.hook(p + "attn.hook_z", np.einsum("bhqk,bkhd->bqhd", pattern, v))
        attn_out = np.einsum("bqhd,hdm->bqm", z, P[p + "attn.W_O"]) + P[p + "attn.b_O"]
        attn_out = run.hook(p + "hook_attn_out", attn_out)
        if cfg["attn_only"]:
            resid = run.hook(p + "hook_resid_post", resid_pre + attn_out)
            continue
        resid_mid = run.hook(p + "hook_resid_mid", resid_pre + attn_out)
        mlp_in = normalize(run, p + "ln2", resid_mid, cfg, P, p + "ln2")
        pre = run.hook(p + "mlp.hook_pre", mlp_in @ P[p + "mlp.W_in"] + P[p + "mlp.b_in"])
        post = run.hook(p + "mlp.hook_post", ACTS[cfg["act_fn"]](pre))
        mlp_out = run.hook(p + "hook_mlp_out", post @ P[p + "mlp.W_out"] + P[p + "mlp.b_out"])
        resid = run.hook(p + "hook_resid_post", resid_mid + mlp_out)
    final = normalize(run, "ln_final", resid, cfg, P, "ln_final")
    final = run.hook("unembed.hook_in", final)
    logits = run.hook("unembed.hook_out", final @ P["unembed.W_U"] + P["unembed.b_U"])
    return logits, run.cache


# ---------------------------------------------------------------- random models

def make_params(cfg, rng):
    d, H, D, V, C = cfg["d_model"], cfg["n_heads"], cfg["d_head"], cfg["d_vocab"], cfg["n_ctx"]
    n = lambda *shape, s=0.4: (rng.standard_normal(shape) * s).astype(np.float32)
    p = {"embed.W_E": n(V, d, s=1.0), "pos_embed.W_pos": n(C, d, s=1.0)}
    ln = cfg["normalization_type"] == "LN"
    for l in range(cfg["n_layers"]):
        q = f"blocks.{l}."
        if ln:
            p[q + "ln1.w"] = (1 + n(d, s=0.2)).astype(np.float32)
            p[q + "ln1.b"] = n(d, s=0.2)
        for w in "QKV":
            p[q + f"attn.W_{w}"] = n(H, d, D, s=1 / math.sqrt(d))
            p[q + f"attn.b_{w}"] = n(H, D, s=0.2)
        p[q + "attn.W_O"] = n(H, D, d, s=1 / math.sqrt(H * D))
        p[q + "attn.b_O"] = n(d, s=0.2)
        if not cfg["attn_only"]:
            m = cfg["d_mlp"]
            if ln:
                p[q + "ln2.w"] = (1 + n(d, s=0.2)).astype(np.float32)
                p[q + "ln2.b"] = n(d, s=0.2)
            p[q + "mlp.W_in"] = n(d, m, s=1 / math.sqrt(d))
            p[q + "mlp.b_in"] = n(m, s=0.2)
            p[q + "mlp.W_out"] = n(m, d, s=1 / math.sqrt(m))
            p[q + "mlp.b_out"] = n(d, s=0.2)
    if ln:
        p["ln_final.w"] = (1 + n(d, s=0.2)).astype(np.float32)
        p["ln_final.b"] = n(d, s=0.2)
    p["unembed.W_U"] = n(d, V, s=1 / math.sqrt(d))
    p["unembed.b_U"] = n(V, s=0.2)
    return p


def config(name, **kw):
    cfg = {"model_name": name, "n_layers": 2, "d_model": 16, "n_heads": 2, "d_head": 8, "n_ctx": 8,
           "d_vocab": 20, "d_vocab_out": 20, "attn_only": False, "d_mlp": None, "act_fn": None,
           "normalization_type": "LN", "positional_embedding_type": "standard", "eps": 1e-5}
    cfg.update(kw)
    return cfg


ARCHS = [
    # attention-only, no normalization, shortformer positions; n_heads·d_head (12) ≠ d_model (16)
    config("attn_only_shortformer", attn_only=True, normalization_type=None,
           positional_embedding_type="shortformer", n_heads=3, d_head=4),
    # attention-only with LayerNorm and standard positions
    config("attn_only_ln", attn_only=True),
    # GPT-2 style: LayerNorm, gelu_new MLP, standard positions
    config("gpt2_style", d_mlp=24, act_fn="gelu_new"),
    # LayerNormPre with an (exact) GELU MLP
    config("lnpre_mlp", normalization_type="LNPre", d_mlp=32, act_fn="gelu", d_head=4, n_heads=4),
]


def vocab_for(cfg):
    return ["<bos>"] + [f"w{i}" for i in range(1, cfg["d_vocab"])]


def to32(cache):
    return {k: np.asarray(v, dtype=np.float32) for k, v in cache.items()}


def main():
    os.makedirs(OUT, exist_ok=True)
    for index, cfg in enumerate(ARCHS):
        rng = np.random.default_rng(1000 + index)
        params = make_params(cfg, rng)
        tokens = rng.integers(1, cfg["d_vocab"], size=(2, 6))
        tokens[:, 0] = 0  # <bos>
        logits, cache = forward(cfg, params, tokens)
        golden = to32(cache)
        golden["logits"] = logits.astype(np.float32)
        golden["tokens"] = tokens.astype(np.int64)

        # Zero-ablation of head 1's z in layer 0: every downstream activation changes.
        def ablate(z):
            z[:, :, 1, :] = 0.0
            return z
        p_logits, p_cache = forward(cfg, params, tokens, hooks={"blocks.0.attn.hook_z": ablate})
        for name, value in to32(p_cache).items():
            golden["patched." + name] = value
        golden["patched.logits"] = p_logits.astype(np.float32)

        name = cfg["model_name"]
        write_safetensors(os.path.join(OUT, f"{name}.model.safetensors"), params,
                          {"config": json.dumps(cfg), "vocab": json.dumps(vocab_for(cfg))})
        write_safetensors(os.path.join(OUT, f"{name}.golden.safetensors"), golden,
                          {"hook": "blocks.0.attn.hook_z", "ablation": "head 1 set to 0 at every position"})
        if index == 0:
            write_patching_golden(cfg, params, rng)
    for f in sorted(os.listdir(OUT)):
        if f.endswith(".safetensors"):
            print(f"{f}: {os.path.getsize(os.path.join(OUT, f))} bytes")


def fixture_batch(cfg, params, rng):
    """A clean/corrupted batch (3 × 6 tokens; positions 2 and 4 corrupted) with its answer and wrong
    tokens: the clean run's top token, and the corrupted run's top other token, so that the clean
    and corrupted logit differences are far apart. Shared with toolkit_reference.py."""
    batch, pos = 3, 6
    clean = rng.integers(1, cfg["d_vocab"], size=(batch, pos))
    clean[:, 0] = 0
    corrupted = clean.copy()
    corrupted[:, 2] = rng.integers(1, cfg["d_vocab"], size=batch)
    corrupted[:, 4] = rng.integers(1, cfg["d_vocab"], size=batch)
    clean_top = forward(cfg, params, clean)[0][:, -1, :]
    corrupt_top = forward(cfg, params, corrupted)[0][:, -1, :]
    answer = clean_top.argmax(-1)
    corrupt_top[np.arange(batch), answer] = -np.inf
    wrong = corrupt_top.argmax(-1)
    return clean, corrupted, answer, wrong


def write_patching_golden(cfg, params, rng):
    """resid_pre activation patching, every layer × position, as TL's get_act_patch_resid_pre."""
    clean, corrupted, answer, wrong = fixture_batch(cfg, params, rng)
    batch, pos = clean.shape

    def ld(logits):
        last = logits[:, -1, :]
        return float(np.mean(last[np.arange(batch), answer] - last[np.arange(batch), wrong]))

    clean_logits, clean_cache = forward(cfg, params, clean)
    corrupt_logits, _ = forward(cfg, params, corrupted)
    ld_clean, ld_corrupt = ld(clean_logits), ld(corrupt_logits)
    result = np.zeros((cfg["n_layers"], pos))
    for l in range(cfg["n_layers"]):
        name = f"blocks.{l}.hook_resid_pre"
        for p in range(pos):
            def patch(x, p=p, name=name):
                x[:, p, :] = clean_cache[name][:, p, :]
                return x
            patched_logits, _ = forward(cfg, params, corrupted, hooks={name: patch})
            result[l, p] = (ld(patched_logits) - ld_corrupt) / (ld_clean - ld_corrupt)
    write_safetensors(os.path.join(OUT, "patching.golden.safetensors"), {
        "clean": clean.astype(np.int64), "corrupted": corrupted.astype(np.int64),
        "answer": answer.astype(np.int64), "wrong": wrong.astype(np.int64),
        "resid_pre": result.astype(np.float32),
        "ld_clean": np.array([ld_clean], dtype=np.float32), "ld_corrupt": np.array([ld_corrupt], dtype=np.float32),
    }, {"model": cfg["model_name"] + ".model.safetensors", "metric": "normalised logit difference at the last position"})


if __name__ == "__main__":
    main()
