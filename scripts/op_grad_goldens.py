#!/usr/bin/env python3
"""Per-op gradient goldens for the Tensor module, from PyTorch autograd (independent of the Swift code).

Writes `Tests/TensorTests/Fixtures/ops.grad.golden.safetensors`. Each case `<op>.<case>` has seeded float32
inputs, a seeded upstream gradient, the forward output and the gradient of every float operand, computed
in float64 torch from the float32 inputs and stored as float32:

    <op>.<case>.<operand>      F32 inputs: x first; w, b for extra operands (semantic names for attention: q, k, pattern, v)
    <op>.<case>.ids|index|target  I64 integer operands (no gradient)
    <op>.<case>.dy             F32 upstream gradient, shape of y (two outputs: dy_<output> for each)
    <op>.<case>.y              F32 forward output (two outputs: y_<output>); a full reduction or a loss is [1]
    <op>.<case>.d<operand>     F32 d(sum(y * dy)) / d operand, the shape of the operand

Metadata `ops` (JSON) lists every case: its operands, outputs, parameters (axis, permutation, slice,
scalar, eps, ...) and formula; `torch` is the version.

Set-up (CI never runs this; its outputs are committed):

    python3 -m venv /work/venv && /work/venv/bin/pip install torch numpy
    /work/venv/bin/python scripts/op_grad_goldens.py
"""
import json
import math
import os
import sys
import zlib

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_goldens import write_safetensors  # noqa: E402

OUT = os.path.join(os.path.dirname(HERE), "Tests", "TensorTests", "Fixtures", "ops.grad.golden.safetensors")

TENSORS = {}
OPS = {}


def normal(rng, *shape, s=1.0):
    return (rng.standard_normal(shape) * s).astype(np.float32)


def case(name, fn, inputs, ints=None, params=None, outputs=("y",), formula="", fix=None, zero_dy=()):
    """Runs fn(**float64 inputs, **int inputs) -> output(s) and stores inputs, dy, y and d<input>.

    `zero_dy` names outputs whose upstream gradient is 0; `fix(dx_by_name, inputs)` may rewrite gradients
    torch leaves undefined (documented in `formula`)."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    ints = ints or {}
    leaves = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in inputs.items()}
    consts = {k: torch.tensor(v, dtype=torch.int64) for k, v in ints.items()}
    ys = fn(**leaves, **consts)
    ys = ys if isinstance(ys, tuple) else (ys,)
    assert len(ys) == len(outputs), name
    suffix = (lambda o: "") if outputs == ("y",) else (lambda o: "_" + o)
    dys = [torch.tensor(normal(rng, *y.shape) * (o not in zero_dy), dtype=torch.float64) for o, y in zip(outputs, ys)]
    torch.autograd.backward(list(ys), dys)
    grads = {k: v.grad.clone() for k, v in leaves.items()}
    if fix:
        fix(grads, leaves)
    for k, g in grads.items():
        assert torch.all(torch.isfinite(g)), (name, k)
    for k, v in inputs.items():
        TENSORS[f"{name}.{k}"] = v
    for k, v in ints.items():
        TENSORS[f"{name}.{k}"] = np.asarray(v, dtype=np.int64)
    for o, y, dy in zip(outputs, ys, dys):
        TENSORS[f"{name}.y{suffix(o)}"] = y.detach().numpy().astype(np.float32)
        TENSORS[f"{name}.dy{suffix(o)}"] = dy.numpy().astype(np.float32)
    for k, g in grads.items():
        TENSORS[f"{name}.d{k}"] = g.numpy().astype(np.float32)
    outs = ["y"] if outputs == ("y",) else [f"y_{o}" for o in outputs]
    OPS[name] = {"operands": list(inputs) + list(ints), "outputs": outs, "params": params or {}, "formula": formula}


def seeded(name):
    return np.random.default_rng(zlib.crc32(("inputs:" + name).encode()))


# ---------------------------------------------------------------- elementwise and broadcasting

def binary_ops():
    ops = {"add": lambda x, w: x + w, "sub": lambda x, w: x - w, "mul": lambda x, w: x * w, "div": lambda x, w: x / w}
    shapes = {"same": ([2, 3, 4], [2, 3, 4]), "row": ([2, 3, 4], [4]), "column": ([2, 3, 4], [3, 1])}
    for op, fn in ops.items():
        for c, (xs, ws) in shapes.items():
            rng = seeded(f"{op}.{c}")
            x = normal(rng, *xs)
            w = normal(rng, *ws)
            if op == "div":  # keep |w| in [0.5, 2]
                w = (np.sign(w) * rng.uniform(0.5, 2.0, size=ws)).astype(np.float32)
            case(f"{op}.{c}", fn, {"x": x, "w": w}, formula=f"y = x {dict(add='+', sub='-', mul='*', div='/')[op]} w "
                 f"(numpy broadcasting of w {ws} against x {xs}; dw sums over the broadcast axes)")
    rng = seeded("scalar_mul")
    s = -1.75
    case("scalar_mul.basic", lambda x: x * s, {"x": normal(rng, 2, 3, 4)}, params={"scalar": s}, formula="y = scalar * x")


def unary_ops():
    rng = seeded("unary")
    case("exp.basic", lambda x: torch.exp(x), {"x": normal(rng, 2, 3, 4)}, formula="y = exp(x)")
    case("log.basic", lambda x: torch.log(x), {"x": rng.uniform(0.2, 3.0, size=(2, 3, 4)).astype(np.float32)},
         formula="y = log(x), x in [0.2, 3]")
    case("relu.basic", lambda x: F.relu(x), {"x": normal(rng, 2, 3, 4)}, formula="y = max(x, 0)")
    case("gelu.basic", lambda x: F.gelu(x), {"x": normal(rng, 2, 3, 4, s=2.0)}, formula="y = 0.5 x (1 + erf(x / sqrt 2)) (exact)")
    c = math.sqrt(2.0 / math.pi)
    case("gelu_new.basic", lambda x: 0.5 * x * (1.0 + torch.tanh(c * (x + 0.044715 * x ** 3))),
         {"x": normal(rng, 2, 3, 4, s=2.0)}, formula="y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (GPT-2)")


# ---------------------------------------------------------------- reductions

def reductions():
    for op, fn in {"sum": torch.sum, "mean": torch.mean}.items():
        rng = seeded(op)
        case(f"{op}.all", lambda x: fn(x).reshape(1), {"x": normal(rng, 2, 3, 4)}, formula=f"y = {op} of every entry, shape [1]")
        for axis in (1, 2):
            case(f"{op}.axis{axis}", lambda x, a=axis: fn(x, dim=a), {"x": normal(rng, 2, 3, 4)},
                 params={"axis": axis, "keepdim": False}, formula=f"y = {op} over axis {axis} (axis dropped)")


# ---------------------------------------------------------------- matrix products

def products():
    rng = seeded("matmul")
    cases = {
        "plain": ((3, 4), (4, 5), lambda x, w: x @ w, "y = x · w"),
        "transpose_a": ((4, 3), (4, 5), lambda x, w: x.T @ w, "y = xᵀ · w (x stored [4, 3])"),
        "transpose_b": ((3, 4), (5, 4), lambda x, w: x @ w.T, "y = x · wᵀ (w stored [5, 4])"),
        "transpose_both": ((4, 3), (5, 4), lambda x, w: x.T @ w.T, "y = xᵀ · wᵀ"),
        "batched": ((2, 3, 4), (2, 4, 5), lambda x, w: x @ w, "y[b] = x[b] · w[b]"),
        "batched_shared": ((2, 3, 4), (4, 5), lambda x, w: x @ w, "y[b] = x[b] · w (w shared by the batch)"),
    }
    for c, (xs, ws, fn, formula) in cases.items():
        params = {"transpose_a": c in ("transpose_a", "transpose_both"), "transpose_b": c in ("transpose_b", "transpose_both")}
        case(f"matmul.{c}", fn, {"x": normal(rng, *xs), "w": normal(rng, *ws)}, params=params, formula=formula)
    rng = seeded("linear")
    case("linear.basic", lambda x, w, b: x @ w + b, {"x": normal(rng, 2, 3, 4), "w": normal(rng, 4, 5), "b": normal(rng, 5)},
         formula="y = x · w + b, x [2,3,4], w [4,5], b [5]")


# ---------------------------------------------------------------- shape ops

def shape_ops():
    rng = seeded("shape")
    for c, (shape, perm) in {"0213": ((2, 3, 4, 5), (0, 2, 1, 3)), "201": ((2, 3, 4), (2, 0, 1))}.items():
        case(f"permute.p{c}", lambda x, p=perm: x.permute(*p).contiguous(), {"x": normal(rng, *shape)},
             params={"perm": list(perm)}, formula="y = x.permute(perm): y axis i is x axis perm[i]")
    for c, (shape, new) in {"flatten_leading": ((2, 3, 4), (6, 4)), "merge_trailing": ((2, 3, 4), (2, 12)),
                            "split_last": ((2, 3, 12), (2, 3, 4, 3))}.items():
        case(f"reshape.{c}", lambda x, n=new: x.reshape(*n), {"x": normal(rng, *shape)},
             params={"shape": list(new)}, formula="y = x.reshape(shape) (row-major)")
    for c, (shape, axis, start, length) in {"axis1": ((2, 5, 4), 1, 1, 3), "last": ((2, 3, 6), 2, 2, 2)}.items():
        case(f"slice.{c}", lambda x, a=axis, s=start, n=length: x.narrow(a, s, n).contiguous(), {"x": normal(rng, *shape)},
             params={"axis": axis, "start": start, "length": length}, formula="y = x[start ..< start+length] along axis")
    for c, (xs, ws, axis) in {"axis1": ((2, 3, 4), (2, 2, 4), 1), "last": ((2, 3, 4), (2, 3, 2), 2)}.items():
        case(f"concat.{c}", lambda x, w, a=axis: torch.cat([x, w], dim=a), {"x": normal(rng, *xs), "w": normal(rng, *ws)},
             params={"axis": axis}, formula="y = concatenate([x, w], axis)")


# ---------------------------------------------------------------- indexing

def indexing():
    rng = seeded("indexing")
    case("embedding.basic", lambda w, ids: w[ids], {"w": normal(rng, 10, 4)}, ints={"ids": [[1, 3, 3], [0, 9, 1]]},
         formula="y[b, p] = w[ids[b, p]]; dw accumulates over repeated ids (3 twice, 1 twice)")
    case("gather_last.basic", lambda x, index: x.gather(-1, index.unsqueeze(-1)).squeeze(-1),
         {"x": normal(rng, 2, 3, 5)}, ints={"index": rng.integers(0, 5, size=(2, 3))},
         formula="y[b, p] = x[b, p, index[b, p]]")


# ---------------------------------------------------------------- softmax and losses

def softmaxes():
    rng = seeded("softmax")
    case("softmax.basic", lambda x: torch.softmax(x, -1), {"x": normal(rng, 2, 3, 5, s=2.0)}, params={"axis": -1},
         formula="softmax over the last axis")
    case("log_softmax.basic", lambda x: torch.log_softmax(x, -1), {"x": normal(rng, 2, 3, 5, s=2.0)}, params={"axis": -1},
         formula="log_softmax over the last axis")
    for c, target in {"plain": [4, 0, 6, 2, 2], "ignore": [4, -1, 6, 2, -1]}.items():
        case(f"cross_entropy.{c}", lambda x, target: F.cross_entropy(x, target, ignore_index=-1).reshape(1),
             {"x": normal(rng, 5, 7, s=2.0)}, ints={"target": target}, params={"ignore_index": -1},
             formula="y = mean over rows with target != -1 of -log_softmax(x[row])[target[row]], shape [1] "
                     "(PyTorch cross_entropy, ignore_index=-1); ignored rows get dx = 0")


# ---------------------------------------------------------------- LayerNorm as TransformerLens splits it

def layer_norms():
    rng = seeded("layernorm")
    eps = 1e-5

    def split(x):
        centred = x - x.mean(-1, keepdim=True)
        scale = torch.sqrt((centred ** 2).mean(-1, keepdim=True) + eps)
        return scale, centred / scale
    for c in ("both", "normalized_only"):
        case(f"layernorm_split.{c}", split, {"x": normal(rng, 2, 3, 8, s=1.5) + 0.5}, outputs=("scale", "normalized"),
             params={"eps": eps}, zero_dy=("scale",) if c == "normalized_only" else (),
             formula="centred = x - mean(x); y_scale = sqrt(mean(centred^2) + eps) [..., 1] (TL hook_scale); "
                     "y_normalized = centred / y_scale (TL hook_normalized); dx from dy_scale and dy_normalized"
                     + ("" if c == "both" else "; dy_scale is 0 here: the LayerNorm backward when nothing reads hook_scale"))
    case("ln_affine.basic", lambda x, w, b: x * w + b, {"x": normal(rng, 2, 3, 8), "w": normal(rng, 8) + 1.0, "b": normal(rng, 8)},
         formula="y = x * w + b over the last axis (LayerNorm affine after hook_normalized)")


# ---------------------------------------------------------------- attention

def causal(n):
    return torch.tril(torch.ones(n, n, dtype=torch.bool))


def attention():
    rng = seeded("attention")
    b, p, h, dh = 2, 4, 3, 5
    mask = causal(p)

    def scores(q, k):
        s = torch.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(dh)
        return torch.where(mask, s, torch.tensor(-math.inf, dtype=s.dtype))
    case("attn_scores.causal", scores, {"q": normal(rng, b, p, h, dh), "k": normal(rng, b, p, h, dh)},
         params={"d_head": dh},
         formula="y[b,h,q,k] = sum_d q[b,q,h,d] k[b,k,h,d] / sqrt(d_head), -inf where k > q (TL hook_attn_scores); "
                 "dy is random everywhere and its masked entries must be ignored")

    def pattern(x):
        y = torch.softmax(x, -1)
        return torch.where(torch.isnan(y), torch.zeros_like(y), y)

    def zero_fully_masked(grads, leaves):
        x = leaves["x"].detach()
        full = torch.isinf(x).all(-1, keepdim=True).expand_as(x)
        nan = torch.isnan(grads["x"])
        assert torch.equal(nan, full & nan) and torch.equal(nan.any(-1), full.any(-1)), "NaN only on fully masked rows"
        grads["x"] = torch.where(full, torch.zeros_like(grads["x"]), grads["x"])

    raw = normal(rng, b, h, p, p, s=2.0)
    causal_scores = np.where(mask.numpy(), raw, -np.inf).astype(np.float32)
    case("attn_pattern.causal", pattern, {"x": causal_scores},
         formula="y = softmax over keys of the masked scores x (-inf above the diagonal), NaN -> 0 (TL hook_pattern)")
    padded = causal_scores.copy()
    padded[1, :, :, 0] = -np.inf      # key 0 of batch row 1 masked (left padding): query 0 of that row has no key
    case("attn_pattern.fully_masked_row", pattern, {"x": padded}, fix=zero_fully_masked,
         formula="as attn_pattern.causal, with key 0 of batch 1 also masked, so query 0 of batch 1 has every key "
                 "at -inf: its y row is 0 (TL's NaN -> 0) and its dx row is 0 (torch's autograd gives NaN there)")

    pat = torch.softmax(torch.tensor(np.where(mask.numpy(), normal(rng, b, h, p, p), -np.inf)), -1).numpy().astype(np.float32)
    case("attn_mix.causal", lambda pattern, v: torch.einsum("bhqk,bkhd->bqhd", pattern, v),
         {"pattern": pat, "v": normal(rng, b, p, h, dh)},
         formula="z[b,q,h,d] = sum_k pattern[b,h,q,k] v[b,k,h,d] (TL hook_z); pattern is causal, but dpattern is "
                 "nonzero above the diagonal too (TL's hook_pattern_grad is)")


def main():
    torch.set_num_threads(1)
    for build in (binary_ops, unary_ops, reductions, products, shape_ops, indexing, softmaxes, layer_norms, attention):
        build()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    meta = {"ops": json.dumps(OPS, ensure_ascii=False), "torch": torch.__version__.split("+")[0],
            "conventions": "float32 inputs, computed in float64 torch, stored float32; d<operand> = "
                           "d sum(y * dy) / d operand; two outputs: y_<name>, dy_<name>"}
    write_safetensors(OUT, TENSORS, meta)
    print(f"{os.path.relpath(OUT)}: {len(OPS)} cases, {len(TENSORS)} tensors, {os.path.getsize(OUT)} bytes")


if __name__ == "__main__":
    main()
