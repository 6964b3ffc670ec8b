"""Placing an order at most once per Idempotency-Key, with Powertools idempotency on DynamoDB.

The key names the record; the request body is hashed and compared on a retry, so the same key
with another body raises ``IdempotencyValidationError``, and a retry while the first request
is still running ``IdempotencyAlreadyInProgressError``. Records are kept 24 hours. A replayed
response is marked ``replayed`` so the API can say so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord

from services.orders.models import PlaceOrderRequest

IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60
IDEMPOTENCY_KEY_PREFIX = "orders-place"  # stable across function names and stacks

Placement = Callable[[PlaceOrderRequest], dict[str, Any]]


class IdempotentPlacement:
    """A placement behind an Idempotency-Key: the first call's response, for every retry."""

    def __init__(self, *, table_name: str) -> None:
        self.config = IdempotencyConfig(
            event_key_jmespath="idempotency_key",
            payload_validation_jmespath="request",
            expires_after_seconds=IDEMPOTENCY_TTL_SECONDS,
            response_hook=_mark_replayed,
        )

        # ``attempt`` is what Powertools looks at: the key and the body it hashes.
        def run(
            *, place: Placement, request: PlaceOrderRequest, attempt: dict[str, Any]
        ) -> dict[str, Any]:
            return place(request)

        self._once: Callable[..., dict[str, Any]] = idempotent_function(
            run,
            data_keyword_argument="attempt",
            persistence_store=DynamoDBPersistenceLayer(table_name=table_name),
            config=self.config,
            key_prefix=IDEMPOTENCY_KEY_PREFIX,
        )

    def __call__(self, request: PlaceOrderRequest, key: str, place: Placement) -> dict[str, Any]:
        """``place(request)`` unless ``key`` was seen: then the response it gave."""
        attempt = {"idempotency_key": key, "request": request.model_dump(mode="json")}
        return self._once(place=place, request=request, attempt=attempt)


def _mark_replayed(response: Any, idempotent_data: DataRecord) -> Any:
    # Called only when the stored response is returned instead of placing an order.
    return {**response, "replayed": True}
