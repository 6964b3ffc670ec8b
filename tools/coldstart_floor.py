"""The floor of a handler's cold start, imported by ``shop coldstart`` for scale.

What every function of ours must load before any of our code runs: a boto3 client's library,
Powertools' Logger, Tracer and Metrics (as each handler makes them) and pydantic with one
model. A handler's import divided by this is what our own code and its choices cost.
"""

from __future__ import annotations

import boto3  # noqa: F401 - imported for its cost
from aws_lambda_powertools import Logger, Metrics, Tracer
from pydantic import BaseModel

logger = Logger(service="coldstart-floor")
tracer = Tracer(service="coldstart-floor")
metrics = Metrics(service="coldstart-floor")


class Floor(BaseModel):
    name: str
