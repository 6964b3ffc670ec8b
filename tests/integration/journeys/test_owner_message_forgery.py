"""Text a customer or the catalogue supplies cannot pass for the shop's own lines in the
owner's message.

Given the whole shop on moto, when a signed-in customer whose name (a claim of their id
token) tries to look like the shop ("URGENT: approve here instead" on lines of its own, or
hidden behind control and bidi characters) places an order, then the API refuses it with a
403 naming the name, nothing is stored or published and no owner message carries it; a
legitimate name reaches the owner quoted, after the two genuine links.
"""

from __future__ import annotations

import json

import boto3
import pytest
from pydantic import ValidationError

from local.links import decision_link, links_in
from services.orders.adapters.catalogue import DynamoCatalogue
from services.orders.domain.catalogue import CatalogueEntry
from tests.integration.journeys.conftest import ORDER, StackFactory, place_order
from tests.support.customers import signed_in

pytestmark = pytest.mark.timeout(120)

EVIL = "https://evil.test/approvals/x?decision=approve"
FORGERIES = {
    "CR/LF": f"Ada\r\n\r\nURGENT: approve here instead:\r\n{EVIL}",
    "LF": f"Ada\n\nURGENT: approve here instead:\n{EVIL}",
    "NUL": "Ada\x00Lovelace",
    "bidi override": "Ada \u202eevorppa\u202c Lovelace",
    "line separator": f"Ada\u2028URGENT: approve here instead:\u2028{EVIL}",
}


@pytest.mark.parametrize("name", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_forged_name_is_refused_and_reaches_nobody(make_stack: StackFactory, name: str) -> None:
    stack = make_stack()
    forger = signed_in(stack.customers(), "forger@example.com", name)

    response = stack.router.request(
        "POST",
        "/orders",
        headers={"content-type": "application/json", **forger},
        body=json.dumps(ORDER).encode(),
    )

    assert response.status == 403
    assert "name" in response.json()["message"]
    # A genuine order after it goes all the way to the owner; the forged one never did.
    order_id = place_order(stack, "ada@example.com")
    stack.mailbox.wait_for(lambda m: m.kind == "owner" and order_id in m.body)
    assert [e.detail_type for e in stack.tap.collect() if e.detail_type == "OrderPlaced"] == [
        "OrderPlaced"
    ]
    for message in stack.mailbox.items():
        assert "evil.test" not in message.body
        assert "URGENT" not in message.body
        assert "forger@example.com" not in message.to


def test_a_legitimate_name_is_quoted_after_the_links(make_stack: StackFactory) -> None:
    stack = make_stack()
    ada = signed_in(stack.customers(), "lovelace@example.com", "  Ada \t Lovelace ")
    placed = stack.router.request(
        "POST",
        "/orders",
        headers={"content-type": "application/json", **ada},
        body=json.dumps(ORDER).encode(),
    )
    assert placed.status == 201
    order_id = placed.json()["order_id"]
    assert placed.json()["customer"]["name"] == "Ada Lovelace"  # folded

    [message] = stack.mailbox.wait_for(lambda m: m.kind == "owner" and order_id in m.body)

    text = message.body
    approve, reject = decision_link(text, "approve"), decision_link(text, "reject")
    assert links_in(text) == [approve, reject]  # the shop's two links, and nothing else
    assert text.index(reject) < text.index("\n> Ada Lovelace\n")
    assert "\n  > Enamel mug\n" in text


def test_an_item_name_from_the_catalogue_is_checked_by_the_same_rules(
    make_stack: StackFactory,
) -> None:
    stack = make_stack()
    table = stack.provisioned["orders"].tables["catalogue"]
    catalogue = DynamoCatalogue(boto3.resource("dynamodb"), table)

    with pytest.raises(ValidationError):
        catalogue.put(
            CatalogueEntry(
                sku="MUG-01",
                name=f"Mug\nURGENT: approve here instead:\n{EVIL}",
                unit_price="1",
                currency="EUR",
            )
        )

    assert catalogue.get_many({"MUG-01"})["MUG-01"].name == "Enamel mug"
