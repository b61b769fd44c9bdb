// The functions of induction-score the check program may call (see ../Serve.swift).
import InductionScore

Harness.serve([
    "inductionScore": { c in .float(inductionScore(pattern: try c.tensor(0), seqLen: try c.int(1))) },
])
