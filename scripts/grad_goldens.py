#!/usr/bin/env python3
"""Gradient goldens for the engine, from TransformerLens 3.9 and PyTorch autograd (independent of the Swift code).

For each committed fixture model `Tests/TransformerTests/Fixtures/<arch>.model.safetensors` (read, never
rewritten) it loads the model into TransformerLens in float32 (as scripts/tl_crosscheck.py does) and
writes `<arch>.grad.golden.safetensors` beside it:

    tokens                          I64 [3, 7]   the batch (<bos>=0 first, seeded)
    logits                          F32 [3, 7, d_vocab_out]
    loss.value                      F32 [1]      TL return_type="loss": mean next-token CE, every position and row
    loss.<hook name>_grad           F32          d loss / d activation at every hook, the keys and shapes of
                                                 run_with_cache(tokens, return_type="loss", incl_bwd=True); at
                                                 a hook that fires several times (TL calls ln1 once each for the
                                                 query, key and value inputs) the sum of its gradients, which is
                                                 d loss / d activation; TL's cache keeps only the last of them
    loss.grad.<param name>          F32          d loss / d parameter (TL state-dict names), torch autograd
    logit_diff.answers, .wrong      I64 [3]      per-row answer and wrong token ids
    logit_diff.value                F32 [1]      mean_b logits[b, -1, answers[b]] - logits[b, -1, wrong[b]]
    logit_diff.<hook name>_grad     F32          as for loss (TL caching hooks with incl_bwd, metric.backward())
    logit_diff.grad.<param name>    F32

Metadata: `config` (the model file's config JSON), `transformer_lens`, `torch`, `groups` (JSON: one line
per group), `zero_grads` (JSON: hook grads TL never produced, stored as zeros; expected empty), `model`.

Before writing, it checks that TransformerLens's forward on the tokens of the existing
`<arch>.golden.safetensors` (the numpy reference of scripts/make_goldens.py) matches every activation and
the logits there to 1e-5, and stops with an error if not.

Set-up (CI never runs this; its outputs are committed):

    python3 -m venv /work/venv && /work/venv/bin/pip install torch transformer_lens==3.9.0 safetensors numpy
    /work/venv/bin/python scripts/grad_goldens.py
"""
import json
import os
import sys
from importlib.metadata import version

import numpy as np
import torch
from safetensors import safe_open
from safetensors.numpy import load_file as load_numpy

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_goldens import ARCHS, OUT, write_safetensors  # noqa: E402
from tl_crosscheck import load_model  # noqa: E402

BATCH, POS = 3, 7
FORWARD_TOLERANCE = 1e-5

GROUPS = {
    "tokens": "I64 [batch, pos]: the token batch (seeded; <bos>=0 first), shared by both metrics",
    "logits": "F32 [batch, pos, d_vocab_out]: TransformerLens logits for tokens",
    "loss.value": "F32 [1]: TL return_type='loss', mean next-token cross-entropy over every position and batch row",
    "loss.<hook>_grad": "d loss / d hook activation for every hook, keys and shapes of run_with_cache(..., incl_bwd=True); "
                        "at a hook that fires several times per forward (ln1, once each for q, k, v) the sum of its gradients "
                        "(metadata summed_hooks), where TL's cache keeps the last one",
    "loss.grad.<param>": "d loss / d parameter, TL state-dict names and shapes, torch autograd",
    "logit_diff.answers": "I64 [batch]: answer token id of each row",
    "logit_diff.wrong": "I64 [batch]: wrong token id of each row",
    "logit_diff.value": "F32 [1]: mean over rows of logits[b, -1, answers[b]] - logits[b, -1, wrong[b]]",
    "logit_diff.<hook>_grad": "d logit_diff / d hook activation for every hook (TL caching hooks, incl_bwd)",
    "logit_diff.grad.<param>": "d logit_diff / d parameter, torch autograd",
}


def check_forward(model, arch):
    """TL's forward on the numpy golden's tokens equals every activation of that golden to 1e-5."""
    golden = load_numpy(os.path.join(OUT, f"{arch}.golden.safetensors"))
    tokens = torch.tensor(golden["tokens"].astype(np.int64))
    with torch.no_grad():
        logits, cache = model.run_with_cache(tokens)
    names = sorted(k for k in golden if k != "tokens" and not k.startswith("patched."))
    worst = 0.0
    for name in names:
        theirs = (logits if name == "logits" else cache[name]).numpy()
        mine = golden[name]
        if mine.shape != theirs.shape:
            raise SystemExit(f"{arch}: {name} has shape {theirs.shape} in TransformerLens, {mine.shape} in the golden")
        finite = np.isfinite(mine)
        if not np.array_equal(finite, np.isfinite(theirs)) or not np.array_equal(mine[~finite], theirs[~finite]):
            raise SystemExit(f"{arch}: {name}: non-finite entries differ between TransformerLens and the golden")
        diff = float(np.max(np.abs(mine[finite] - theirs[finite]))) if finite.any() else 0.0
        if diff > FORWARD_TOLERANCE:
            raise SystemExit(f"{arch}: {name}: TransformerLens differs from the numpy golden by {diff:.3g} > {FORWARD_TOLERANCE}")
        worst = max(worst, diff)
    return len(names), worst


def grads_at_hooks(model, tokens, metric):
    """(metric value, {hook_grad name: grad}, {param name: grad}, [hooks without a grad], {hook: [each gradient]}).

    A hook that fires more than once in one forward (TL calls ln1 three times per block: for the query,
    key and value inputs) gets the sum of its gradients: d metric / d activation, as autograd computes
    it for a value used three times. TL's own incl_bwd cache keeps only the last one computed (checked
    in check_loss_path)."""
    model.zero_grad(set_to_none=True)
    acts, firings = {}, {}

    def forward_hook(t, hook):
        acts[hook.name] = t.detach().clone()

    def backward_hook(g, hook):
        g = g[0] if isinstance(g, tuple) else g
        firings.setdefault(hook.name, []).append(g.detach().clone())

    names = list(model.hook_dict)
    with model.hooks(fwd_hooks=[(n, forward_hook) for n in names], bwd_hooks=[(n, backward_hook) for n in names]):
        value = metric(model, tokens)
        value.backward()
    missing = [k for k in acts if k not in firings]
    grads = {k + "_grad": (sum(firings[k]) if k in firings else torch.zeros_like(acts[k])) for k in acts}
    params = {}
    for name, p in model.named_parameters():
        params[name] = p.grad if p.grad is not None else torch.zeros_like(p)
    return value.detach(), grads, params, missing, firings


def loss_metric(model, tokens):
    return model(tokens, return_type="loss")


def logit_diff(logits, answers, wrong):
    """Mean over rows of logits[b, -1, answers[b]] - logits[b, -1, wrong[b]] (shared with bench_reference.py)."""
    rows = torch.arange(len(answers))
    last = logits[:, -1, :]
    return (last[rows, answers] - last[rows, wrong]).mean()


def logit_diff_metric(answers, wrong):
    return lambda model, tokens: logit_diff(model(tokens), answers, wrong)


def metric_outputs(model, tokens, metrics):
    """{"<metric>.value" / "<metric>.<hook>_grad" / "<metric>.grad.<param>": array}, and the hooks with no grad."""
    out, zero = {}, {}
    for prefix, metric in metrics.items():
        value, grads, params, zero[prefix], _ = grads_at_hooks(model, tokens, metric)
        out[f"{prefix}.value"] = value.reshape(1)
        out.update({f"{prefix}.{k}": g for k, g in grads.items()})
        out.update({f"{prefix}.grad.{k}": g for k, g in params.items()})
    return {k: v.numpy() for k, v in out.items()}, zero


def check_loss_path(model, tokens):
    """Our hooks give TL's run_with_cache(..., incl_bwd=True) exactly at every hook that fires once; at a
    hook that fires several times TL's cache holds the last gradient computed and ours their sum.
    Returns the names of the hooks that fire more than once."""
    model.zero_grad(set_to_none=True)
    loss, tl_cache = model.run_with_cache(tokens, return_type="loss", incl_bwd=True)
    tl_params = {k: p.grad.clone() for k, p in model.named_parameters()}
    value, grads, params, missing, firings = grads_at_hooks(model, tokens, loss_metric)
    assert torch.equal(value, loss.detach())
    assert set(tl_cache) == set(grads) - {k + "_grad" for k in missing} | {k[:-len("_grad")] for k in grads}
    repeated = sorted(k for k, f in firings.items() if len(f) > 1)
    for k, g in grads.items():
        name = k[:-len("_grad")]
        if k not in tl_cache:
            continue
        if name in repeated:
            assert torch.equal(firings[name][-1], tl_cache[k]), name
            assert torch.allclose(g, sum(firings[name])), name
        else:
            assert torch.equal(g, tl_cache[k]), name
    assert all(torch.equal(g, tl_params[k]) for k, g in params.items())
    return repeated


def check_float64(path, tokens, metrics, out):
    """The float32 goldens are within 1e-5 of TransformerLens in float64 (relative to each tensor's largest entry, at least 0.01)."""
    model = load_model(path, dtype=torch.float64)
    ref, _ = metric_outputs(model, tokens, metrics)
    worst = 0.0
    for k, v in ref.items():
        err = float(np.max(np.abs(out[k] - v))) / max(float(np.max(np.abs(v))), 1e-2)
        if err > 1e-5:
            raise SystemExit(f"{os.path.basename(path)}: {k}: float32 differs from float64 by {err:.3g} (relative)")
        worst = max(worst, err)
    return worst


def golden_for(arch, index):
    path = os.path.join(OUT, f"{arch}.model.safetensors")
    model = load_model(path)
    compared, worst = check_forward(model, arch)
    cfg = model.cfg
    rng = np.random.default_rng(2000 + index)
    tokens = rng.integers(1, cfg.d_vocab, size=(BATCH, POS))
    tokens[:, 0] = 0
    answers = rng.integers(1, cfg.d_vocab_out, size=BATCH)
    wrong = (answers + rng.integers(1, cfg.d_vocab_out - 1, size=BATCH)) % cfg.d_vocab_out  # never the answer
    tokens_t = torch.tensor(tokens, dtype=torch.int64)
    metrics = {"loss": loss_metric, "logit_diff": logit_diff_metric(torch.tensor(answers), torch.tensor(wrong))}

    repeated = check_loss_path(model, tokens_t)
    out, zero = metric_outputs(model, tokens_t, metrics)
    with torch.no_grad():
        out["logits"] = model(tokens_t).numpy()
    assert all(np.all(np.isfinite(v)) for v in out.values()), arch
    precision = check_float64(path, tokens_t, metrics, out)
    out["tokens"] = tokens
    out["logit_diff.answers"] = answers
    out["logit_diff.wrong"] = wrong
    out = {k: np.ascontiguousarray(v, dtype=np.int64 if v.dtype == np.int64 else np.float32) for k, v in out.items()}

    with safe_open(path, "np") as f:
        config = f.metadata()["config"]
    meta = {"config": config, "model": os.path.basename(path), "transformer_lens": version("transformer_lens"),
            "torch": torch.__version__.split("+")[0], "groups": json.dumps(GROUPS),
            "zero_grads": json.dumps(zero), "dtype": "float32 (TransformerLens computed in float32)",
            "summed_hooks": json.dumps(repeated)}
    dest = os.path.join(OUT, f"{arch}.grad.golden.safetensors")
    write_safetensors(dest, out, meta)
    n_hooks = sum(1 for k in out if k.startswith("loss.") and k.endswith("_grad"))
    n_params = sum(1 for k in out if k.startswith("loss.grad."))
    print(f"{arch}: forward matches the numpy golden ({compared} tensors, worst |diff| {worst:.1e}); "
          f"{n_hooks} hook grads, {n_params} param grads per metric; loss {float(out['loss.value'][0]):.5f}, "
          f"logit_diff {float(out['logit_diff.value'][0]):.5f}; zero grads {zero}; "
          f"float32 vs float64 worst {precision:.1e}; {os.path.getsize(dest)} bytes")


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    for index, cfg in enumerate(ARCHS):
        golden_for(cfg["model_name"], index)


if __name__ == "__main__":
    main()
