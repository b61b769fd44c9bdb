// Progress module.
