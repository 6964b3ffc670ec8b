"""Turns the workflow's settings into the adapters each of its functions needs.

Each builder reads its settings from the environment and makes its clients; the handler
caches the result, so it happens once per execution environment, on first use (importing a
handler stays cheap, and reloading one, as the local stack does for a new stack, rebuilds it).
"""

from __future__ import annotations

from dataclasses import dataclass

import boto3

from events.publisher import EventBridgePublisher, EventPublisher
from services.workflow.adapters.stepfunctions import (
    StepFunctionsTaskResults,
    StepFunctionsWorkflows,
)
from services.workflow.adapters.tokens import DynamoTokenStore
from services.workflow.domain.ports import TaskResults, TokenStore, Workflows
from services.workflow.settings import RelaySettings, StarterSettings


@dataclass(frozen=True)
class TokenRelayDependencies:
    tokens: TokenStore
    publisher: EventPublisher


@dataclass(frozen=True)
class DecisionRelayDependencies:
    tokens: TokenStore
    tasks: TaskResults


def workflows() -> Workflows:
    settings = StarterSettings.from_env()
    return StepFunctionsWorkflows(
        boto3.client("stepfunctions"), settings.workflow_state_machine_arn
    )


def token_relay() -> TokenRelayDependencies:
    settings = RelaySettings.from_env()
    return TokenRelayDependencies(
        tokens=_token_store(settings),
        publisher=EventBridgePublisher(boto3.client("events"), settings.event_bus_name),
    )


def decision_relay() -> DecisionRelayDependencies:
    return DecisionRelayDependencies(
        tokens=_token_store(RelaySettings.from_env()),
        tasks=StepFunctionsTaskResults(boto3.client("stepfunctions")),
    )


def _token_store(settings: RelaySettings) -> DynamoTokenStore:
    return DynamoTokenStore(boto3.client("dynamodb"), settings.workflow_tokens_table_name)
