// The functions of resid-patching the check program may call (see ../Serve.swift).
import ResidPatching

Harness.serve([
    "residPrePatching": { c in
        .tensor(try residPrePatching(model: try c.model, clean: try c.rows(0), corrupted: try c.rows(1),
                                     answers: try c.ints(2), wrong: try c.ints(3)))
    },
])
