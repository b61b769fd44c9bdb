// The functions of logit-diff the check program may call (see ../Serve.swift).
import LogitDiff

Harness.serve([
    "logitDiff": { c in .float(logitDiff(logits: try c.tensor(0), answers: try c.ints(1), wrong: try c.ints(2))) },
    "normalizedMetric": { c in .float(normalizedMetric(patched: try c.float(0), clean: try c.float(1), corrupted: try c.float(2))) },
])
