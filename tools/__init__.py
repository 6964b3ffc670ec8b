"""Measuring and build-time tools: the bench, the cost model, cold start and the event contract."""
