"""The orders service's rules, free of AWS: they receive the store and publisher they use."""
