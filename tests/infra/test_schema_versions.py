"""Every committed version of every event schema is registered by the bus stack, so a later
version never unpublishes an earlier one. With no v2 committed yet, a synthetic one proves it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from aws_cdk import App, Stack

from infra.config import DeployConfig
from infra.event_schemas import SCHEMAS_DIR
from infra.stacks.bus import BusStack
from tests.infra.cfn import resources

pytestmark = pytest.mark.infra


def registered(schemas_dir: Path) -> dict[str, dict[str, object]]:
    """Schema name -> registry content, as the bus stack synthesises them."""
    app = App()
    stack = BusStack(app, "Bus", config=DeployConfig(), schemas_dir=schemas_dir)
    template = app.synth().get_stack_by_name(Stack.of(stack).stack_name).template
    return {
        r["Properties"]["SchemaName"]: json.loads(r["Properties"]["Content"])
        for r in resources(template, "AWS::EventSchemas::Schema").values()
    }


def test_a_new_version_is_registered_beside_every_earlier_one(tmp_path: Path) -> None:
    for path in SCHEMAS_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    v2 = json.loads((SCHEMAS_DIR / "OrderShipped.v1.json").read_text())
    v2["x-version"] = 2
    v2["$id"] = v2["$id"].replace(".v1.", ".v2.")
    (tmp_path / "OrderShipped.v2.json").write_text(json.dumps(v2))

    names = registered(tmp_path)

    committed = sorted(p.name.removesuffix(".json") for p in SCHEMAS_DIR.glob("*.json"))
    assert sorted(n.split("@")[1] for n in names) == sorted([*committed, "OrderShipped.v2"])
    assert "shop.workflow@OrderShipped.v1" in names
    assert names["shop.workflow@OrderShipped.v2"]["title"] == "OrderShipped v2"
    assert names["shop.workflow@OrderShipped.v1"]["title"] == "OrderShipped v1"
