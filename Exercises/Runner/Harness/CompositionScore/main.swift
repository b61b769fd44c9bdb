// The functions of composition-score the check program may call (see ../Serve.swift).
import CompositionScore

Harness.serve([
    "compositionScore": { c in .float(compositionScore(try c.tensor(0), try c.tensor(1))) },
    "kComposition": { c in
        .float(kComposition(model: try c.model, writerLayer: try c.int(0), writerHead: try c.int(1),
                            readerLayer: try c.int(2), readerHead: try c.int(3)))
    },
])
