"""The public price list the cost model reads: a JSON file with its date and sources.

Prices are stored as AWS publishes them ("$0.025 per 1,000 state transitions") so a reader
can check each one against its page; the model only ever asks for the price of one unit.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

DEFAULT_PRICE_FILE = Path(__file__).with_name("prices.json")

# Every price the model uses; a price file without one of them is refused when loaded.
REQUIRED_PRICES = (
    "step_functions_state_transition",
    "lambda_request",
    "lambda_gb_second_x86_64",
    "lambda_gb_second_arm64",
    "lambda_function_url_request",
    "eventbridge_custom_event",
    "eventbridge_archive_gb",
    "sqs_request",
    "dynamodb_write_request_unit",
    "dynamodb_read_request_unit",
    "ses_email",
    "sns_publish",
    "sns_email_notification",
    "secrets_manager_api_call",
    "secrets_manager_secret_month",
    "http_api_request",
)
REQUIRED_CHUNKS = ("eventbridge_event", "sqs_request", "sns_publish", "http_api_request")


class Price(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    usd: float = Field(ge=0)
    per: int = Field(gt=0)
    unit: str
    source: str

    @property
    def unit_usd(self) -> float:
        return self.usd / self.per


class PriceList(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: date
    region: str
    currency: str
    note: str
    sources: dict[str, str]
    prices: dict[str, Price]
    billing_chunks_bytes: dict[str, int]

    @model_validator(mode="after")
    def _complete(self) -> PriceList:
        if missing := [name for name in REQUIRED_PRICES if name not in self.prices]:
            raise ValueError(f"the price list has no {', '.join(missing)}")
        if missing := [name for name in REQUIRED_CHUNKS if name not in self.billing_chunks_bytes]:
            raise ValueError(f"the price list has no billing chunk size for {', '.join(missing)}")
        if unknown := {p.source for p in self.prices.values()} - self.sources.keys():
            raise ValueError(f"prices cite unknown sources: {', '.join(sorted(unknown))}")
        return self

    def unit_usd(self, name: str) -> float:
        """The price of one unit (one request, one GB-second, ...)."""
        return self.prices[name].unit_usd

    def chunks(self, kind: str, size_bytes: int) -> int:
        """How many billed units a payload of ``size_bytes`` is (64 KB chunks and the like)."""
        chunk = self.billing_chunks_bytes[kind]
        return max(1, -(-size_bytes // chunk))


def load_prices(path: Path = DEFAULT_PRICE_FILE) -> PriceList:
    return PriceList.model_validate(json.loads(path.read_text(encoding="utf-8")))
