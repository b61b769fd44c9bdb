"""Cross-check interp's engine against TransformerLens itself (optional; CI never runs it).

Loads a model file into TransformerLens exactly as the README shows, runs the same tokens through
`run_with_cache`, and compares every hook activation and the logits with the cache file that
`interp cache MODEL --tokens-file F --out C` wrote.

    python3 scripts/tl_crosscheck.py MODEL.safetensors CACHE.safetensors
"""
import json
import sys

import numpy as np
import torch
from safetensors import safe_open
from safetensors.numpy import load_file as load_numpy
from safetensors.torch import load_file
from transformer_lens import HookedTransformer, HookedTransformerConfig


def load_model(path, dtype=torch.float32):
    """The model file as a TransformerLens HookedTransformer (weights cast to `dtype`), in eval mode."""
    with safe_open(path, "pt") as f:
        meta = f.metadata()
    cfg = json.loads(meta["config"])
    model = HookedTransformer(HookedTransformerConfig(**cfg, dtype=dtype))
    missing, unexpected = model.load_state_dict(load_file(path), strict=False)
    assert not unexpected, unexpected
    assert all(k.endswith((".mask", ".IGNORE")) for k in missing), missing
    model.eval()
    return model


def main(model_path, cache_path):
    torch.set_num_threads(1)
    model = load_model(model_path)
    ours = load_numpy(cache_path)
    tokens = torch.tensor(ours["tokens"].astype(np.int64))
    with torch.no_grad():
        logits, cache = model.run_with_cache(tokens)
    worst = 0.0
    names = sorted(k for k in ours if k not in ("tokens",))
    for name in names:
        theirs = logits if name == "logits" else cache[name]
        theirs = theirs.detach().numpy()
        mine = ours[name]
        assert mine.shape == theirs.shape, (name, mine.shape, theirs.shape)
        finite = np.isfinite(theirs)
        assert np.array_equal(finite, np.isfinite(mine)), name
        diff = float(np.max(np.abs(mine[finite] - theirs[finite]))) if finite.any() else 0.0
        worst = max(worst, diff)
        if diff > 1e-4:
            print(f"MISMATCH {name}: max |diff| = {diff:.3g}")
    missing = sorted(set(cache.keys()) - set(names))
    print(f"{model_path}: {len(names)} tensors compared, worst |diff| {worst:.2e}; TL hooks not in our cache: {missing}")
    return 0 if worst <= 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
