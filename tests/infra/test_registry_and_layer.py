"""What goes into the cloud beside the templates: the registry's schemas and the layer's pins.

No synthesis here: these read the repository only.
"""

from __future__ import annotations

import json
import tomllib
from importlib.metadata import requires, version
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from infra.event_schemas import SCHEMAS_DIR, registry_schema, registry_schemas, to_draft4
from infra.lambda_code import LAYER_DIR, pip_install_command
from infra.paths import REPO_ROOT

pytestmark = pytest.mark.infra

EXAMPLES_DIR = SCHEMAS_DIR.parent / "examples"


def test_registry_schemas_are_valid_draft4() -> None:
    schemas = registry_schemas()

    assert len(schemas) == len(list(SCHEMAS_DIR.glob("*.v*.json")))
    for schema in schemas:
        Draft4Validator.check_schema(schema.content)
        assert "$defs" not in json.dumps(schema.content)


@pytest.mark.parametrize("example", sorted(EXAMPLES_DIR.glob("*.json")), ids=lambda p: p.name)
def test_every_example_event_matches_its_registry_schema(example: Path) -> None:
    detail_type, version_tag = example.name.split(".")[:2]
    schema = registry_schema(SCHEMAS_DIR / f"{detail_type}.{version_tag}.json")
    event = json.loads(example.read_text(encoding="utf-8"))

    errors = [e.message for e in Draft4Validator(schema.content).iter_errors(event)]

    assert not errors


def test_translation_still_refuses_what_the_contract_refuses() -> None:
    schema = registry_schema(SCHEMAS_DIR / "OrderPlaced.v1.json")
    event = json.loads((EXAMPLES_DIR / "OrderPlaced.v1.minimal.json").read_text())
    event["detail"]["data"]["items"][0]["quantity"] = 0
    event["source"] = "shop.somebody-else"

    errors = list(Draft4Validator(schema.content).iter_errors(event))

    assert len(errors) == 2


def test_translation_walks_keywords_not_property_names() -> None:
    schema = {
        "$defs": {"A": {"const": 1, "examples": [1]}},
        "properties": {
            "examples": {"$ref": "#/$defs/A"},
            "const": {"type": "integer", "exclusiveMinimum": 0},
        },
    }

    assert to_draft4(schema) == {
        "definitions": {"A": {"enum": [1]}},
        "properties": {
            "examples": {"$ref": "#/definitions/A"},
            "const": {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
        },
    }


def test_layer_pins_are_the_versions_the_tests_run_with() -> None:
    pins = [
        line.split("==")
        for line in (LAYER_DIR / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]

    assert pins
    for name, pinned in pins:
        assert version(name) == pinned, name


# What the Lambda runtime itself provides: boto3 and what it depends on.
RUNTIME_PROVIDED = {"boto3", "botocore", "s3transfer", "urllib3", "python-dateutil", "six"}
LAMBDA_MARKERS = {"python_version": "3.12", "sys_platform": "linux", "platform_system": "Linux"}


def test_layer_holds_every_runtime_dependency_powertools_included() -> None:
    pins = {
        canonicalize_name(line.split("==")[0])
        for line in (LAYER_DIR / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    needed: set[str] = set()
    while wanted:
        requirement = wanted.pop()
        name = canonicalize_name(requirement.name)
        if name in needed or name in RUNTIME_PROVIDED:
            continue
        needed.add(name)
        for text in requires(name) or []:
            dependency = Requirement(text)
            markers = [LAMBDA_MARKERS | {"extra": extra} for extra in requirement.extras or {""}]
            if dependency.marker is None or any(dependency.marker.evaluate(m) for m in markers):
                wanted.append(dependency)

    assert "aws-lambda-powertools" in needed
    assert needed - pins == set(), "imported by the functions but not in the layer"


def test_layer_is_built_for_the_lambda_platform_without_docker(tmp_path: Path) -> None:
    command = pip_install_command(LAYER_DIR / "requirements.txt", tmp_path)

    assert command[1:4] == ["-m", "pip", "install"]
    for flag in ("--no-deps", "--only-binary=:all:", "--no-compile"):
        assert flag in command
    assert command[command.index("--platform") + 1] == "manylinux2014_x86_64"
    assert command[command.index("--python-version") + 1] == "3.12"
