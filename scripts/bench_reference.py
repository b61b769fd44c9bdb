#!/usr/bin/env python3
"""TransformerLens 3.9 on PyTorch CPU, one thread: the reference column of `interp bench`.

Times, on the shapes and workloads `interp bench` times (Sources/Interp/Benchmarks.swift), with the same
statistic (median of repeated runs after warm-up; runs = clamp(seconds / one probe run, 5, 2000)):

    forward.b1, forward.b64                model(tokens) under torch.no_grad(), [batch, 17] tokens
    run_with_cache.b1, .b64                model.run_with_cache(tokens), every hook, torch.no_grad()
    backward_cache.b1, .b64                model.run_with_cache(tokens, return_type="loss", incl_bwd=True)
                                           (grads at every hook, and parameter grads as TL always computes them)
    resid_pre_sweep.b64                    clean run_with_cache + corrupted forward + patching.get_act_patch_resid_pre
                                           (every layer × position) with the normalised logit difference, no_grad
    train_step.b64x32                      forward with return_type="loss", backward, clip_grad_norm_(1.0),
                                           AdamW(lr 3e-3, wd 0.01 on weights, 0 on biases)
    gpt2.forward.b1x16, gpt2.run_with_cache.b1x16, gpt2.backward_cache.b1x16
                                           a GPT-2-small-shaped model (TL random init, no download)
    gpt2.process_predict                   a fresh python process: import, load the model file as the README shows,
                                           one forward on 1 × 16 tokens, top-5 of the last position; wall time and
                                           peak RSS (the anchor for the whole `interp predict FILE` process)
    sgemm.256                              torch.mm 256³ on one thread, in GFLOP/s (the floor of everything else)

The small model is the ioi-3l shape (3 layers, d_model 64, 4 heads × 16, attention-only, no norm,
shortformer, n_ctx 32, d_vocab 128), random TL init, or an interp model file with --model FILE.
Batches are <bos>=0 then random ids; the sweep corrupts positions 3, 7, 11; answer/wrong fixed per row.

Set-up and use (CI never runs this; its JSON is committed):

    python3 -m venv /work/venv && /work/venv/bin/pip install torch transformer_lens==3.9.0 safetensors numpy
    /work/venv/bin/python scripts/bench_reference.py [--model FILE] [--tokens 17] [--batch 64] [--seconds 1]
        [--only forward,gpt2.] [--out scripts/bench_reference.json] [--write-gpt2-model /tmp/gpt2-random.safetensors]

--write-gpt2-model FILE also keeps the GPT-2-shaped model file (interp model format, ~650 MB; never commit it)
so interp can be timed on the very same weights: `interp bench --model FILE`, `interp predict FILE --text "t1 t2"`.
"""
import argparse
import copy
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib.metadata import version

os.environ.setdefault("TQDM_DISABLE", "1")  # get_act_patch_* draws a progress bar otherwise
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from transformer_lens import HookedTransformer, HookedTransformerConfig, patching  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from grad_goldens import logit_diff  # noqa: E402
from make_goldens import write_safetensors  # noqa: E402
from tl_crosscheck import load_model  # noqa: E402

# The shapes, as interp's model files spell their config (HookedTransformerConfig field names).
IOI_3L = {"model_name": "bench-3l", "n_layers": 3, "d_model": 64, "n_heads": 4, "d_head": 16, "n_ctx": 32,
          "d_vocab": 128, "d_vocab_out": 128, "attn_only": True, "d_mlp": None, "act_fn": None,
          "normalization_type": None, "positional_embedding_type": "shortformer", "eps": 1e-5}
GPT2_SMALL = {"model_name": "gpt2-small-random", "n_layers": 12, "d_model": 768, "n_heads": 12, "d_head": 64,
              "n_ctx": 1024, "d_vocab": 50257, "d_vocab_out": 50257, "attn_only": False, "d_mlp": 3072,
              "act_fn": "gelu_new", "normalization_type": "LN", "positional_embedding_type": "standard", "eps": 1e-5}
CORRUPTED_POSITIONS = (3, 7, 11)


# ---------------------------------------------------------------- timing (the statistic of interp bench)

def median_ms(body, seconds, warmup):
    """(median, minimum) wall time of body() in ms after `warmup` calls, and runs = clamp(seconds / probe, 5, 2000)."""
    for _ in range(max(warmup, 0)):
        body()
    start = time.perf_counter()
    body()
    probe = time.perf_counter() - start
    runs = min(max(int(seconds / max(probe, 1e-7)), 5), 2000)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples), min(samples), runs


# ---------------------------------------------------------------- models and batches

def random_model(cfg, seed):
    torch.manual_seed(seed)
    model = HookedTransformer(HookedTransformerConfig(**cfg))
    model.eval()
    return model


def batch(rng, n, length, vocab):
    tokens = rng.integers(1, vocab, size=(n, length))
    tokens[:, 0] = 0
    return torch.tensor(tokens, dtype=torch.int64)


def backward_cache(model, tokens):
    model.zero_grad(set_to_none=True)
    model.run_with_cache(tokens, return_type="loss", incl_bwd=True)


def resid_pre_sweep(model, clean, corrupted, answers, wrong):
    """The analysis interp's activationPatching(target: .residPre) performs, the TL way."""
    clean_logits, clean_cache = model.run_with_cache(clean)
    ld_clean = logit_diff(clean_logits, answers, wrong)
    ld_corrupt = logit_diff(model(corrupted), answers, wrong)
    return patching.get_act_patch_resid_pre(
        model, corrupted, clean_cache,
        lambda logits: (logit_diff(logits, answers, wrong) - ld_corrupt) / (ld_clean - ld_corrupt))


def training_step(model, tokens, clip=1.0, lr=3e-3, weight_decay=0.01):
    """A closure doing one AdamW step; weight decay on weights, none on biases (as interp's Trainer)."""
    named = list(model.named_parameters())
    groups = [{"params": [p for n, p in named if not n.split(".")[-1].startswith("b")], "weight_decay": weight_decay},
              {"params": [p for n, p in named if n.split(".")[-1].startswith("b")], "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    params = [p for _, p in named]

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = model(tokens, return_type="loss")
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, clip)
        optimizer.step()
    return step


def sgemm_gflops(seconds, warmup):
    g = torch.Generator().manual_seed(7)
    a, b = torch.rand(256, 256, generator=g) * 2 - 1, torch.rand(256, 256, generator=g) * 2 - 1
    out = torch.empty(256, 256)
    ms, _, runs = median_ms(lambda: torch.mm(a, b, out=out), seconds, warmup)
    return 2.0 * 256 ** 3 / (ms / 1e3) / 1e9, ms, runs


# ---------------------------------------------------------------- the GPT-2-shaped model file and process

def vocab_strings(n, bos):
    return [bos] + [f"t{i}" for i in range(1, n)]


def write_model_file(model, cfg, path, bos):
    tensors = {k: v.detach().numpy() for k, v in model.state_dict().items() if not k.endswith((".mask", ".IGNORE"))}
    write_safetensors(path, tensors, {"config": json.dumps(cfg), "vocab": json.dumps(vocab_strings(cfg["d_vocab"], bos))})


# The whole-process anchor: what a TL user types to load an interp model file (README) and predict once.
PREDICT_PROCESS = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import torch
torch.set_num_threads(1)
from safetensors import safe_open
from safetensors.torch import load_file
from transformer_lens import HookedTransformer, HookedTransformerConfig
t1 = time.perf_counter()
path, n = sys.argv[1], int(sys.argv[2])
with safe_open(path, "pt") as f:
    meta = f.metadata()
model = HookedTransformer(HookedTransformerConfig(**json.loads(meta["config"])))
model.load_state_dict(load_file(path), strict=False)
model.eval()
vocab = json.loads(meta["vocab"])
t2 = time.perf_counter()
tokens = torch.tensor([[0] + [1 + (7 * i) % (len(vocab) - 1) for i in range(1, n)]])
with torch.no_grad():
    logits = model(tokens)
top = torch.topk(logits[0, -1].softmax(-1), 5)
words = [vocab[i] for i in top.indices.tolist()]
t3 = time.perf_counter()
print(json.dumps({"import_ms": (t1 - t0) * 1e3, "load_ms": (t2 - t1) * 1e3, "forward_ms": (t3 - t2) * 1e3,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "top": words}))
"""


def process_predict(path, tokens, runs):
    """Median wall time (spawn to exit) and the peak RSS of `runs` fresh processes, after one warm-up."""
    results = []
    for i in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PREDICT_PROCESS, path, str(tokens)], check=True,
                              capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
        wall = (time.perf_counter() - start) * 1e3
        if i > 0:
            results.append({"wall_ms": wall, **json.loads(done.stdout.strip().splitlines()[-1])})
    med = lambda k: statistics.median(r[k] for r in results)
    return {"ms": round(med("wall_ms"), 1), "runs": runs, "peak_rss_mb": round(med("peak_rss_mb"), 1), "file_bytes": os.path.getsize(path),
            "phases_ms": {k: round(med(k), 1) for k in ("import_ms", "load_ms", "forward_ms")}}


# ---------------------------------------------------------------- the suite

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", help="an interp model file to time instead of a random ioi-3l-shaped model")
    ap.add_argument("--tokens", type=int, default=17, help="tokens per sequence of the small-model batches")
    ap.add_argument("--batch", type=int, default=64, help="the large batch (the small one is always 1)")
    ap.add_argument("--train-batch", type=int, default=64)
    ap.add_argument("--train-tokens", type=int, default=32)
    ap.add_argument("--gpt2-tokens", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=1.0, help="time per figure (sweeps: 3×), as interp bench")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--process-runs", type=int, default=5, help="timed fresh processes for gpt2.process_predict")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", help="comma-separated id prefixes to run (e.g. forward,gpt2.)")
    ap.add_argument("--out", default=os.path.join(HERE, "bench_reference.json"))
    ap.add_argument("--write-gpt2-model", metavar="FILE", help="keep the GPT-2-shaped model file here (~650 MB)")
    ap.add_argument("--gpt2-bos", default="<bos>",
                    help="token 0 of the GPT-2 file's vocab (interp's word tokenizer prepends <bos>; t1... follow)")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    wanted = lambda id_: not args.only or any(id_.startswith(p) for p in args.only.split(","))
    entries = []

    def record(id_, name, body, seconds=args.seconds, warmup=args.warmup):
        if not wanted(id_):
            return
        ms, fastest, runs = median_ms(body, seconds, warmup)
        entries.append({"id": id_, "name": name, "ms": round(ms, 4), "min_ms": round(fastest, 4), "runs": runs})
        print(f"{id_:32s} {ms:10.3f} ms  ({runs} runs)", file=sys.stderr)

    if wanted("sgemm"):
        gflops, ms, runs = sgemm_gflops(args.seconds, args.warmup)
        entries.append({"id": "sgemm.256", "name": "torch.mm 256³, one thread", "ms": round(ms, 4), "runs": runs,
                        "gflops": round(gflops, 1)})
        print(f"{'sgemm.256':32s} {ms:10.3f} ms  {gflops:.1f} GFLOP/s", file=sys.stderr)

    # ---- the ioi-3l-shaped model
    model = load_model(args.model) if args.model else random_model(IOI_3L, args.seed)
    cfg = model.cfg
    rng = np.random.default_rng(args.seed + 1)
    T, B = args.tokens, args.batch
    small, large = batch(rng, 1, T, cfg.d_vocab), batch(rng, B, T, cfg.d_vocab)
    for label, tokens in (("b1", small), (f"b{B}", large)):
        shape = f"batch {tokens.shape[0]} × {T} tokens"
        with torch.no_grad():
            record(f"forward.{label}", f"forward, {shape}", lambda: model(tokens))
            record(f"run_with_cache.{label}", f"run_with_cache (all hooks), {shape}", lambda: model.run_with_cache(tokens))
        record(f"backward_cache.{label}", f"run_with_cache(incl_bwd=True), loss metric, {shape}",
               lambda: backward_cache(model, tokens))

    corrupted = large.clone()
    for p in CORRUPTED_POSITIONS:
        if p < T:
            corrupted[:, p] = torch.tensor(rng.integers(1, cfg.d_vocab, size=B))
    answers = torch.tensor(rng.integers(1, cfg.d_vocab_out, size=B))
    wrong = torch.where(answers == cfg.d_vocab_out - 1, torch.ones_like(answers), answers + 1)
    with torch.no_grad():
        record(f"resid_pre_sweep.b{B}", f"resid_pre patching sweep ({cfg.n_layers} layers × {T} positions), batch {B}",
               lambda: resid_pre_sweep(model, large, corrupted, answers, wrong), seconds=3 * args.seconds, warmup=1)

    train_model = copy.deepcopy(model)
    train_model.train()
    train_tokens = batch(rng, args.train_batch, args.train_tokens, cfg.d_vocab)
    record(f"train_step.b{args.train_batch}x{args.train_tokens}",
           f"training step (AdamW), batch {args.train_batch} × {args.train_tokens} tokens",
           training_step(train_model, train_tokens))
    del train_model

    # ---- the GPT-2-small-shaped model
    if any(wanted(f"gpt2.{k}") for k in ("forward", "run_with_cache", "backward_cache", "process_predict")) \
            or args.write_gpt2_model:
        gpt2 = random_model(GPT2_SMALL, args.seed)
        G = args.gpt2_tokens
        tokens = batch(rng, 1, G, GPT2_SMALL["d_vocab"])
        with torch.no_grad():
            record(f"gpt2.forward.b1x{G}", f"GPT-2-small shape: forward, batch 1 × {G} tokens", lambda: gpt2(tokens))
            record(f"gpt2.run_with_cache.b1x{G}", f"GPT-2-small shape: run_with_cache, batch 1 × {G} tokens",
                   lambda: gpt2.run_with_cache(tokens))
        record(f"gpt2.backward_cache.b1x{G}", f"GPT-2-small shape: run_with_cache(incl_bwd=True), loss, batch 1 × {G}",
               lambda: backward_cache(gpt2, tokens), warmup=1)
        gpt2.zero_grad(set_to_none=True)
        if wanted("gpt2.process_predict") or args.write_gpt2_model:
            path = args.write_gpt2_model or os.path.join(tempfile.gettempdir(), f"gpt2-random-{os.getpid()}.safetensors")
            write_model_file(gpt2, GPT2_SMALL, path, args.gpt2_bos)
            del gpt2
            try:
                if wanted("gpt2.process_predict"):
                    r = process_predict(path, G, args.process_runs)
                    entries.append({"id": "gpt2.process_predict",
                                    "name": f"GPT-2-small shape: fresh process, load the model file (README way), "
                                            f"one forward on 1 × {G} tokens, top-5", **r})
                    print(f"{'gpt2.process_predict':32s} {r['ms']:10.1f} ms  peak RSS {r['peak_rss_mb']:.0f} MB "
                          f"{r['phases_ms']}", file=sys.stderr)
            finally:
                if not args.write_gpt2_model:
                    os.remove(path)
            if args.write_gpt2_model:
                print(f"wrote {path} ({os.path.getsize(path)} bytes)", file=sys.stderr)

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    report = {
        "machine": {"cpu": cpu, "logical_cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(), "torch": torch.__version__,
                    "transformer_lens": version("transformer_lens"), "threads": torch.get_num_threads(),
                    "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")},
        "settings": {"model": args.model or "random TL init, ioi-3l shape", "tokens": T, "batch": B,
                     "train": [args.train_batch, args.train_tokens], "gpt2_tokens": args.gpt2_tokens,
                     "seconds_per_figure": args.seconds, "warmup": args.warmup, "seed": args.seed,
                     "statistic": "median of runs after warm-up, runs = clamp(seconds / probe, 5, 2000)",
                     "grad_mode": "forward, run_with_cache and the sweep under torch.no_grad(); backward cache and "
                                  "training with autograd"},
        "entries": entries,
    }
    with open(args.out, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
