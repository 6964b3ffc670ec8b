"""The workflow's rules, free of AWS: they receive their adapters (see ``ports``)."""
