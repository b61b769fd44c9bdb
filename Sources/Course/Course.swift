// Course module.
