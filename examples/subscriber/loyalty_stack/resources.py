"""What the loyalty service deploys, as plain values: read by its CDK stack and by the shop's
local stack (``shop local --with-example-subscriber``), so both run the same thing."""

from __future__ import annotations

from typing import Any

SERVICE = "loyalty"
# The shop's bus stack publishes its bus here (per stage); we never use its CloudFormation.
BUS_ARN_PARAMETER = "/shop/{stage}/bus/arn"
# Only the events we read; the shop's AsyncAPI document lists each channel's pattern.
RULE_PATTERN: dict[str, Any] = {
    "source": ["shop.workflow"],
    "detail-type": ["OrderShipped", "OrderCancelled"],
}
HANDLER = "loyalty.handler.lambda_handler"
TABLE_ENV_VAR = "LOYALTY_TABLE_NAME"
TABLE_PARTITION_KEY = "customer"
TABLE_SORT_KEY = "order_id"
QUEUE_VISIBILITY_TIMEOUT_SECONDS = 60
MAX_RECEIVE_COUNT = 5
BATCH_SIZE = 10
FUNCTION_TIMEOUT_SECONDS = 10
FUNCTION_MEMORY_MB = 256
