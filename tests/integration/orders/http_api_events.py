"""API Gateway HTTP API (payload format 2.0) events, as AWS sends them to the orders API."""

from __future__ import annotations

import json
import uuid
from typing import Any


def http_api_event(
    method: str,
    path: str,
    *,
    route_key: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    path_parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    """``body`` is JSON-encoded unless it is already a string (to send malformed JSON)."""
    # API Gateway lower-cases header names in payload 2.0.
    all_headers = {"content-type": "application/json", "user-agent": "pytest"}
    all_headers.update({name.lower(): value for name, value in (headers or {}).items()})
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "",
        "headers": all_headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "orders",
            "domainName": "orders.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "orders",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "192.0.2.10",
                "userAgent": "pytest",
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "time": "21/Nov/2026:16:00:00 +0000",
            "timeEpoch": 1_795_276_800_000,
        },
        "isBase64Encoded": False,
    }
    if body is not None:
        event["body"] = body if isinstance(body, str) else json.dumps(body)
    if path_parameters:
        event["pathParameters"] = path_parameters
    return event


def post_order(body: Any, *, idempotency_key: str | None = None) -> dict[str, Any]:
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key is not None else {}
    return http_api_event("POST", "/orders", route_key="POST /orders", body=body, headers=headers)


def get_order(order_id: str) -> dict[str, Any]:
    return http_api_event(
        "GET",
        f"/orders/{order_id}",
        route_key="GET /orders/{order_id}",
        path_parameters={"order_id": order_id},
    )
