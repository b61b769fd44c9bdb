// The functions of head-dla the check program may call (see ../Serve.swift).
import HeadDLA

Harness.serve([
    "headDLA": { c in
        .float(try headDLA(model: try c.model, tokens: try c.rows(0), layer: try c.int(1), head: try c.int(2),
                           answers: try c.ints(3), wrong: try c.ints(4)))
    },
])
