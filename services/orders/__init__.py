"""The orders service: the HTTP API customers place orders through, the OrderPlaced outbox,
and the order status the workflow's events move forward (or delete, on cancellation)."""
