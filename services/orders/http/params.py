"""The orders API's header and query parameters, with their limits and OpenAPI descriptions."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Header, Query

from services.orders.domain.listing import MAX_PAGE_SIZE, MAX_TOKEN_LENGTH

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="A client-chosen key (a UUID, say) that makes retries safe.",
    ),
]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="How many orders per page.")]
PageToken = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=MAX_TOKEN_LENGTH,
        description="The previous page's next_token, to read the page after it.",
    ),
]
