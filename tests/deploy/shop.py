"""The deployed shop as its users reach it: the customer through the HTTP API with a Cognito id
token, the owner through their topic (read by a queue this test subscribes) and the links'
Function URL, and the emails SES sent, as the emulator recorded them.

Nothing here reads a table, queue or state machine of the services: only what a customer, the
owner or their mailboxes would see. Tokens, link signatures and addresses are never printed.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urljoin

import requests

from local.links import forms_in
from tests.support.polling import wait_until
from tools.deploy_check.addresses import on_emulator
from tools.deploy_check.deployment import Deployment

HTTP_TIMEOUT_SECONDS = 30.0
PASSWORD = "Deploy-Check-Passw0rd!"
SKU = "TEA-01"


@dataclass(frozen=True)
class Customer:
    email: str = field(repr=False)
    id_token: str = field(repr=False)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.id_token}"}


@dataclass(frozen=True)
class Page:
    url: str
    status: int
    text: str


class OwnerInbox:
    """A queue subscribed to the owner's topic: what the owner's email would show."""

    def __init__(self, deployment: Deployment, topic_arn: str) -> None:
        self.sqs = deployment.client("sqs")
        name = f"deploy-check-owner-{uuid.uuid4().hex[:8]}"
        self.queue_url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        queue_arn = self.sqs.get_queue_attributes(
            QueueUrl=self.queue_url, AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
        # What AWS needs for SNS to deliver; the emulator does not check it (yet).
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "sns.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": queue_arn,
                    "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}},
                }
            ],
        }
        self.sqs.set_queue_attributes(
            QueueUrl=self.queue_url, Attributes={"Policy": json.dumps(policy)}
        )
        deployment.client("sns").subscribe(
            TopicArn=topic_arn,
            Protocol="sqs",
            Endpoint=queue_arn,
            Attributes={"RawMessageDelivery": "true"},
        )
        self.messages: list[str] = []

    def _receive(self) -> list[str]:
        answer = self.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1
        )
        for message in answer.get("Messages", []):
            self.messages.append(message["Body"])
            self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return self.messages

    def approval_request(self, order_id: str, timeout: float) -> str:
        """The owner's message asking to approve ``order_id``."""

        def found() -> str | None:
            self._receive()
            return next(
                (m for m in self.messages if order_id in m and "needs your approval" in m), None
            )

        result = wait_until(
            found, timeout=timeout, what=f"an approval request for {order_id} on the owner's topic"
        )
        assert result is not None
        return result


class Mailbox:
    """The emails SES sent, as the emulator recorded them."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint

    def subjects_to(self, address: str) -> list[str]:
        answer = requests.get(
            f"{self.endpoint}/_ministack/ses/messages", timeout=HTTP_TIMEOUT_SECONDS
        )
        answer.raise_for_status()
        return [
            str(message["Subject"])
            for messages in answer.json()["messages"].values()
            for message in messages
            if address in message.get("To", [])
        ]

    def wait_for(self, customer: Customer, subject: str, timeout: float) -> None:
        wait_until(
            lambda: subject in self.subjects_to(customer.email),
            timeout=timeout,
            what=f"the email {subject!r} to the customer",
        )


class DeployedShop:
    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        self.endpoint = deployment.emulator.endpoint
        self.api = on_emulator(deployment.outputs("ShopOrders")["HttpApiUrl"], self.endpoint)
        self.mailbox = Mailbox(self.endpoint)
        self.owner_inbox: OwnerInbox | None = None
        if "ShopApprovals" in deployment.stacks:
            (topic,) = [
                arn
                for arn in deployment.physical_ids("ShopApprovals", "OwnerNotificationsTopic")
                if arn.startswith("arn:aws:sns:") and arn.count(":") == 5
            ]
            self.owner_inbox = OwnerInbox(deployment, topic)

    def stock(self, sku: str, name: str, unit_price: str, currency: str) -> None:
        """Puts an item in the catalogue, as the shop's operator does (docs/deploy.md)."""
        (table,) = self.deployment.physical_ids("ShopOrders", "CatalogueTable")
        self.deployment.client("dynamodb").put_item(
            TableName=table,
            Item={
                "sku": {"S": sku},
                "name": {"S": name},
                "unit_price": {"S": unit_price},
                "currency": {"S": currency},
                "active": {"BOOL": True},
            },
        )

    def sign_up(self, name: str) -> Customer:
        """A customer with a verified email, signed in with the storefront client."""
        ssm = self.deployment.client("ssm")
        prefix = f"/shop/{self.deployment.context['stage']}/orders/user-pools/customers"
        pool = ssm.get_parameter(Name=f"{prefix}/id")["Parameter"]["Value"]
        client = ssm.get_parameter(Name=f"{prefix}/clients/storefront/id")["Parameter"]["Value"]
        email = f"customer-{uuid.uuid4().hex[:12]}@example.com"
        cognito = self.deployment.client("cognito-idp")
        cognito.admin_create_user(
            UserPoolId=pool,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "name", "Value": name},
            ],
            MessageAction="SUPPRESS",
        )
        cognito.admin_set_user_password(
            UserPoolId=pool, Username=email, Password=PASSWORD, Permanent=True
        )
        tokens = cognito.initiate_auth(
            ClientId=client,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
        )["AuthenticationResult"]
        return Customer(email=email, id_token=tokens["IdToken"])

    def place_order(self, customer: Customer, quantity: int) -> requests.Response:
        return requests.post(
            f"{self.api}orders",
            headers=customer.headers | {"Idempotency-Key": str(uuid.uuid4())},
            json={"items": [{"sku": SKU, "quantity": quantity}]},
            timeout=HTTP_TIMEOUT_SECONDS,
        )

    def order(self, customer: Customer, order_id: str) -> requests.Response:
        return requests.get(
            f"{self.api}orders/{order_id}", headers=customer.headers, timeout=HTTP_TIMEOUT_SECONDS
        )

    def order_status(self, customer: Customer, order_id: str) -> str:
        """The order's status as the customer reads it; "gone" once it was deleted (404)."""
        answer = self.order(customer, order_id)
        if answer.status_code == 404:
            return "gone"
        answer.raise_for_status()
        body: dict[str, Any] = answer.json()
        return str(body["status"])

    def open_link(self, link: str) -> Page:
        """GET an owner's link as a browser would (the link's own host, served by the emulator)."""
        answer = requests.get(
            on_emulator(link, self.endpoint),
            headers={"accept": "text/html"},
            timeout=HTTP_TIMEOUT_SECONDS,
        )
        return Page(url=link, status=answer.status_code, text=answer.text)

    def confirm(self, page: Page) -> Page:
        """Submits the page's confirmation form, as the owner's click on its button does."""
        (form,) = [f for f in forms_in(page.text) if f.method.lower() == "post"]
        target = urljoin(page.url, form.action)
        answer = requests.post(
            on_emulator(target, self.endpoint),
            data=urlencode(form.fields),
            headers={
                "content-type": "application/x-www-form-urlencoded",
                "accept": "text/html",
            },
            timeout=HTTP_TIMEOUT_SECONDS,
        )
        return Page(url=target, status=answer.status_code, text=answer.text)
