"""Pure notification logic; AWS is reached only through the adapters it is given."""
