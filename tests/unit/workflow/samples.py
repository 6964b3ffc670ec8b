"""Orders, token messages and decisions for the workflow tests, from the committed examples."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from events.models import OrderApproved, OrderPlaced, OrderRejected
from services.workflow.models import TokenRequest
from tests.support.orders import example

MOMENT = datetime(2026, 3, 1, 14, 5, tzinfo=UTC)
EXECUTION_ARN = "arn:aws:states:us-east-1:123456789012:execution:order-journey:"


def order_placed(order_id: str = "ord_2001") -> OrderPlaced:
    return example(OrderPlaced, order_id=order_id, placed_at=MOMENT)


def token_message(
    order_id: str = "ord_2001",
    *,
    token: str = "token-1",  # noqa: S107 (a fake task token)
    requested_at: datetime = MOMENT,
    window_seconds: int = 3600,
) -> dict[str, Any]:
    """RequestApproval's MessageBody, as the state machine sends it."""
    return {
        "order_id": order_id,
        "order": order_placed(order_id).data.model_dump(mode="json"),
        "task_token": token,
        "requested_at": requested_at.isoformat(),
        "approval_window_seconds": window_seconds,
        "execution_arn": EXECUTION_ARN + order_id,
    }


def token_request(order_id: str = "ord_2001", **kwargs: Any) -> TokenRequest:
    return TokenRequest.model_validate_json(json.dumps(token_message(order_id, **kwargs)))


def approved(
    order_id: str = "ord_2001", *, at: datetime = MOMENT + timedelta(minutes=5)
) -> OrderApproved:
    return example(OrderApproved, order_id=order_id, decided_at=at)


def rejected(
    order_id: str = "ord_2001",
    *,
    at: datetime = MOMENT + timedelta(minutes=5),
    comment: str | None = "Out of stock",
) -> OrderRejected:
    return example(OrderRejected, order_id=order_id, decided_at=at, comment=comment)
