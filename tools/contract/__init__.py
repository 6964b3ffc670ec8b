"""The event contract's build-time tooling: schemas, compatibility, catalogue, validation."""
