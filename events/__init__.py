"""The shop's event contract: envelope, one model per event, publisher, schemas."""
