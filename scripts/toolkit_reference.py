#!/usr/bin/env python3
"""Goldens for the interpretability toolkit (Sources/Interp), from an independent numpy reference.

For each model it reads (a model .safetensors in the interp format), it computes with plain full
forward passes and hooks (no shortcuts):
  - direct logit attribution at the last position (components: embed, pos_embed for standard
    positions, every head's z·W_O, MLP outputs, the summed b_O), through the cached ln_final scale;
  - the logit lens (ln_final recomputed on each stage's residual) with top-5 probabilities and the
    answer's rank;
  - zero and mean ablation of every head and of a list of heads (loss on the last predictions, and
    the logit difference);
  - activation patching for every target (resid_pre, attn_out, head_out/z, q, k, v, pattern; all
    positions and by position) with ARENA's normalised metric;
  - path patching from every sender head to the logits and to receivers' q/k/v.

    python3 scripts/toolkit_reference.py                          # fixture models -> Tests/InterpTests/Fixtures
    interp data ioi --n 8 --seed 1 --json > /tmp/pairs.json
    python3 scripts/toolkit_reference.py --model Sources/Transformer/Models/ioi-3l.safetensors --pairs /tmp/pairs.json
    (ToolkitGoldenTests checks every *.toolkit.golden.safetensors it finds against the model named in it.)

The forward pass is the engine's numpy reference (scripts/make_goldens.py: TransformerLens's
computation in float64). numpy only; CI never runs this: its outputs are committed.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_goldens import fixture_batch, forward, write_safetensors  # noqa: E402

ROOT = os.path.dirname(HERE)
FIXTURES_IN = os.path.join(ROOT, "Tests", "TransformerTests", "Fixtures")
OUT = os.path.join(ROOT, "Tests", "InterpTests", "Fixtures")


def read_model(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    params = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", name
        a, b = info["data_offsets"]
        params[name] = np.frombuffer(data[a:b], dtype="<f4").reshape(info["shape"]).astype(np.float32)
    return json.loads(meta["config"]), params, json.loads(meta["vocab"])


# ---------------------------------------------------------------- metrics

def logit_diff(logits, answer, wrong):
    last = logits[:, -1, :]
    b = np.arange(len(answer))
    return float(np.mean(last[b, answer] - last[b, wrong]))


def loss_last(logits, tokens, n):
    """Mean next-token cross-entropy over the last n predictions of every sequence."""
    lp = logits - logits.max(-1, keepdims=True)
    lp = lp - np.log(np.exp(lp).sum(-1, keepdims=True))
    pos = tokens.shape[1]
    total = []
    for b in range(tokens.shape[0]):
        for p in range(pos - 1 - n, pos - 1):
            total.append(-lp[b, p, tokens[b, p + 1]])
    return float(np.mean(total))


# ---------------------------------------------------------------- analyses

def dla(cfg, params, tokens, answer, wrong):
    P = {k: v.astype(np.float64) for k, v in params.items()}
    logits, cache = forward(cfg, params, tokens)
    last = tokens.shape[1] - 1
    comps = [cache["hook_embed"][:, last]]
    names = ["embed"]
    if cfg["positional_embedding_type"] != "shortformer":
        comps.append(cache["hook_pos_embed"][:, last])
        names.append("pos_embed")
    for l in range(cfg["n_layers"]):
        z = cache[f"blocks.{l}.attn.hook_z"][:, last]                       # [b, h, dh]
        for h in range(cfg["n_heads"]):
            comps.append(z[:, h] @ P[f"blocks.{l}.attn.W_O"][h])
            names.append(f"L{l}H{h}")
    if not cfg["attn_only"]:
        for l in range(cfg["n_layers"]):
            comps.append(cache[f"blocks.{l}.hook_mlp_out"][:, last])
            names.append(f"mlp{l}")
    bias = sum(P[f"blocks.{l}.attn.b_O"] for l in range(cfg["n_layers"]))
    comps.append(np.broadcast_to(bias, comps[0].shape))
    names.append("bias")
    stack = np.stack(comps)                                                   # [c, b, d]
    direction = P["unembed.W_U"][:, answer] - P["unembed.W_U"][:, wrong]      # [d, b]
    const = P["unembed.b_U"][answer] - P["unembed.b_U"][wrong]                # [b]
    if cfg["normalization_type"] is not None:
        stack = stack - stack.mean(-1, keepdims=True)
        stack = stack / cache["ln_final.hook_scale"][:, last][None]           # [c, b, d] / [1, b, 1]
        if cfg["normalization_type"] == "LN":
            const = const + P["ln_final.b"] @ direction
            direction = direction * P["ln_final.w"][:, None]
    values = np.einsum("cbd,db->cb", stack, direction).mean(1)
    return names, values, float(const.mean()), logit_diff(logits, answer, wrong)


def final_norm(cfg, P, x):
    if cfg["normalization_type"] is None:
        return x
    x = x - x.mean(-1, keepdims=True)
    x = x / np.sqrt((x ** 2).mean(-1, keepdims=True) + cfg["eps"])
    if cfg["normalization_type"] == "LN":
        x = x * P["ln_final.w"] + P["ln_final.b"]
    return x


def lens(cfg, params, tokens, answer, top=5):
    P = {k: v.astype(np.float64) for k, v in params.items()}
    _, cache = forward(cfg, params, tokens[None])
    stages = [cache["blocks.0.hook_resid_pre"][0, -1]]
    stages += [cache[f"blocks.{l}.hook_resid_post"][0, -1] for l in range(cfg["n_layers"])]
    probs, ids, ranks = [], [], []
    for r in stages:
        logits = final_norm(cfg, P, r) @ P["unembed.W_U"] + P["unembed.b_U"]
        p = np.exp(logits - logits.max())
        p = p / p.sum()
        order = np.argsort(-logits, kind="stable")[:top]
        probs.append(p[order])
        ids.append(order)
        ranks.append(1 + int((logits > logits[answer]).sum()))
    return np.array(probs), np.array(ids), np.array(ranks)


def zero_hook(heads, mean=None):
    def f(z):
        for h in heads:
            z[:, :, h, :] = 0.0 if mean is None else mean[:, h, :]
        return z
    return f


def ablation(cfg, params, tokens, metric, mode, head_list=None):
    _, cache = forward(cfg, params, tokens)
    base = metric(forward(cfg, params, tokens)[0])

    def run(heads):
        hooks = {}
        for l in sorted({l for l, _ in heads}):
            name = f"blocks.{l}.attn.hook_z"
            mean = cache[name].mean(0) if mode == "mean" else None
            hooks[name] = zero_hook([h for ll, h in heads if ll == l], mean)
        return metric(forward(cfg, params, tokens, hooks=hooks)[0]) - base
    if head_list is None:
        return np.array([[run([(l, h)]) for h in range(cfg["n_heads"])] for l in range(cfg["n_layers"])])
    out = [run([hd]) for hd in head_list]
    if len(head_list) > 1:
        out.append(run(head_list))
    return np.array(out)


HOOKS = {"resid_pre": "hook_resid_pre", "attn_out": "hook_attn_out", "head_out": "attn.hook_z", "z": "attn.hook_z",
         "q": "attn.hook_q", "k": "attn.hook_k", "v": "attn.hook_v", "pattern": "attn.hook_pattern"}


def patching(cfg, params, clean, corrupted, answer, wrong, target, by_pos):
    _, clean_cache = forward(cfg, params, clean)
    ld_clean = logit_diff(forward(cfg, params, clean)[0], answer, wrong)
    ld_corrupt = logit_diff(forward(cfg, params, corrupted)[0], answer, wrong)
    L, H, pos = cfg["n_layers"], cfg["n_heads"], clean.shape[1]
    per_head = target not in ("resid_pre", "attn_out")

    def metric(name, setter):
        def hook(x):
            setter(x, clean_cache[name])
            return x
        return (logit_diff(forward(cfg, params, corrupted, hooks={name: hook})[0], answer, wrong) - ld_corrupt) / (ld_clean - ld_corrupt)

    if not per_head:
        out = np.zeros((L, pos))
    elif by_pos:
        out = np.zeros((L, pos, H))
    else:
        out = np.zeros((L, H))
    for l in range(L):
        name = f"blocks.{l}.{HOOKS[target]}"
        if not per_head:
            for p in range(pos):
                def s(x, c, p=p): x[:, p] = c[:, p]
                out[l, p] = metric(name, s)
        elif target == "pattern":
            for h in range(H):
                if by_pos:
                    for p in range(pos):
                        def s(x, c, h=h, p=p): x[:, h, p, :] = c[:, h, p, :]
                        out[l, p, h] = metric(name, s)
                else:
                    def s(x, c, h=h): x[:, h] = c[:, h]
                    out[l, h] = metric(name, s)
        else:
            for h in range(H):
                if by_pos:
                    for p in range(pos):
                        def s(x, c, h=h, p=p): x[:, p, h] = c[:, p, h]
                        out[l, p, h] = metric(name, s)
                else:
                    def s(x, c, h=h): x[:, :, h] = c[:, :, h]
                    out[l, h] = metric(name, s)
    return out, ld_clean, ld_corrupt


def path_patching(cfg, params, clean, corrupted, answer, wrong, receivers=None, inp="q"):
    L, H = cfg["n_layers"], cfg["n_heads"]
    clean_logits, cc = forward(cfg, params, clean)
    corrupt_logits, kc = forward(cfg, params, corrupted)
    ld_clean, ld_corrupt = logit_diff(clean_logits, answer, wrong), logit_diff(corrupt_logits, answer, wrong)
    out = np.zeros((L, H))
    limit = L if receivers is None else min(l for l, _ in receivers)
    for sl in range(limit):
        for sh in range(H):
            hooks = {}
            for l in range(L):
                name = f"blocks.{l}.attn.hook_z"

                def freeze(z, l=l, name=name):
                    z = cc[name].copy()
                    if l == sl:
                        z[:, :, sh] = kc[name][:, :, sh]
                    return z
                hooks[name] = freeze
            if receivers is None:
                logits = forward(cfg, params, clean, hooks=hooks)[0]
            else:
                _, cache = forward(cfg, params, clean, hooks=hooks)
                hooks2 = {}
                for l in sorted({l for l, _ in receivers}):
                    name = f"blocks.{l}.attn.hook_{inp}"

                    def put(x, l=l, name=name):
                        for ll, h in receivers:
                            if ll == l:
                                x[:, :, h] = cache[name][:, :, h]
                        return x
                    hooks2[name] = put
                logits = forward(cfg, params, clean, hooks=hooks2)[0]
            out[sl, sh] = (logit_diff(logits, answer, wrong) - ld_clean) / (ld_clean - ld_corrupt)
    return out


def head_scores(cfg, params, tokens):
    """ARENA's detectors on [bos, r, r]: mean of one diagonal stripe of each head's pattern."""
    seq = (tokens.shape[1] - 1) // 2
    _, cache = forward(cfg, params, tokens)
    out = np.zeros((4, cfg["n_layers"], cfg["n_heads"]))
    for l in range(cfg["n_layers"]):
        pat = cache[f"blocks.{l}.attn.hook_pattern"]                          # [b, h, q, k]
        for h in range(cfg["n_heads"]):
            p = pat[:, h]
            out[0, l, h] = np.mean([np.diagonal(x, -1).mean() for x in p])
            out[1, l, h] = np.mean([np.diagonal(x, -seq).mean() for x in p])
            out[2, l, h] = np.mean([np.diagonal(x, 1 - seq).mean() for x in p])
            out[3, l, h] = p[:, :, 0].mean()
    return out


# ---------------------------------------------------------------- driver

def goldens(cfg, params, clean, corrupted, answer, wrong, lens_answer, loss_n, head_list, receivers):
    g = {"clean": clean.astype(np.int64), "corrupted": corrupted.astype(np.int64),
         "answer": np.asarray(answer, dtype=np.int64), "wrong": np.asarray(wrong, dtype=np.int64)}
    names, values, const, ld = dla(cfg, params, clean, answer, wrong)
    g["dla"] = values.astype(np.float32)
    g["dla.constant"] = np.array([const], dtype=np.float32)
    g["dla.logit_diff"] = np.array([ld], dtype=np.float32)
    probs, ids, ranks = lens(cfg, params, clean[0], lens_answer)
    g["lens.probs"] = probs.astype(np.float32)
    g["lens.ids"] = ids.astype(np.int64)
    g["lens.rank"] = ranks.astype(np.int64)
    g["lens.answer"] = np.array([lens_answer], dtype=np.int64)
    loss = lambda logits: loss_last(logits, clean, loss_n)                       # noqa: E731
    ldm = lambda logits: logit_diff(logits, answer, wrong)                       # noqa: E731
    g["ablation.zero.loss"] = ablation(cfg, params, clean, loss, "zero").astype(np.float32)
    g["ablation.mean.loss"] = ablation(cfg, params, clean, loss, "mean").astype(np.float32)
    g["ablation.zero.logit_diff"] = ablation(cfg, params, clean, ldm, "zero").astype(np.float32)
    g["ablation.mean.logit_diff"] = ablation(cfg, params, clean, ldm, "mean").astype(np.float32)
    g["ablation.heads.zero.loss"] = ablation(cfg, params, clean, loss, "zero", head_list).astype(np.float32)
    g["ablation.heads"] = np.array(head_list, dtype=np.int64)
    g["ablation.loss_n"] = np.array([loss_n], dtype=np.int64)
    for target in HOOKS:
        for by_pos in ([False, True] if target not in ("resid_pre", "attn_out") else [False]):
            out, ldc, ldk = patching(cfg, params, clean, corrupted, answer, wrong, target, by_pos)
            g[f"patch.{target}" + (".by_pos" if by_pos else "")] = out.astype(np.float32)
    g["patch.ld_clean"] = np.array([ldc], dtype=np.float32)
    g["patch.ld_corrupt"] = np.array([ldk], dtype=np.float32)
    g["path.logits"] = path_patching(cfg, params, clean, corrupted, answer, wrong).astype(np.float32)
    g["path.receivers"] = np.array(receivers, dtype=np.int64)
    for inp in "qkv":
        g[f"path.{inp}"] = path_patching(cfg, params, clean, corrupted, answer, wrong, receivers, inp).astype(np.float32)
    seq = (cfg["n_ctx"] - 1) // 2
    rng = np.random.default_rng(77)
    r = rng.integers(2, cfg["d_vocab"], size=(4, seq))
    rep = np.concatenate([np.zeros((4, 1), dtype=np.int64), r, r], axis=1)
    g["heads.tokens"] = rep.astype(np.int64)
    g["heads.scores"] = head_scores(cfg, params, rep).astype(np.float32)
    return g, names




def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", help="a model .safetensors (default: the fixture models)")
    ap.add_argument("--name", help="golden name (default: the model's name)")
    ap.add_argument("--pairs", help="JSON file: {clean: [[ids]], corrupted: [[ids]], answer: [ids], wrong: [ids]}")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    if args.model:
        cfg, params, vocab = read_model(args.model)
        with open(args.pairs) as f:
            d = json.load(f)
        if isinstance(d, list):   # the output of `interp data ioi --n N --seed S --json`
            ids = {w: i for i, w in enumerate(vocab)}
            d = {"clean": [p["clean"]["tokens"] for p in d], "corrupted": [p["corrupted"]["tokens"] for p in d],
                 "answer": [ids[p["answer"]] for p in d], "wrong": [ids[p["wrong"]] for p in d]}
        clean, corrupted = np.array(d["clean"]), np.array(d["corrupted"])
        answer, wrong = np.array(d["answer"]), np.array(d["wrong"])
        todo = [(args.name or cfg["model_name"], os.path.relpath(os.path.abspath(args.model), ROOT), cfg, params,
                 clean, corrupted, answer, wrong)]
    else:
        todo = []
        for i, arch in enumerate(["attn_only_shortformer", "gpt2_style"]):
            cfg, params, vocab = read_model(os.path.join(FIXTURES_IN, f"{arch}.model.safetensors"))
            rng = np.random.default_rng(500 + i)
            model = os.path.relpath(os.path.join(FIXTURES_IN, f"{arch}.model.safetensors"), ROOT)
            todo.append((arch, model, cfg, params) + fixture_batch(cfg, params, rng))
    for name, model, cfg, params, clean, corrupted, answer, wrong in todo:
        L, H = cfg["n_layers"], cfg["n_heads"]
        head_list = [(L - 1, H - 1), (0, 0)]
        receivers = [(L - 1, 0), (L - 1, H - 1)]
        loss_n = max(1, (clean.shape[1] - 1) // 2)
        g, names = goldens(cfg, params, clean, corrupted, answer, wrong, int(answer[0]), loss_n, head_list, receivers)
        path = os.path.join(OUT, f"{name}.toolkit.golden.safetensors")
        write_safetensors(path, g, {"dla.components": json.dumps(names), "model": model,
                                    "source": "scripts/toolkit_reference.py (numpy float64 reference)"})
        print(f"{path}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
