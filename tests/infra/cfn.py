"""Reading synthesised CloudFormation templates: resources, references, IAM statements."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from aws_cdk import Stack
from constructs import IConstruct

Template = dict[str, Any]


def resources(template: Template, type_: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def logical_id(construct: IConstruct) -> str:
    """The logical id CloudFormation knows a construct's main resource by."""
    stack = Stack.of(construct)
    child = construct.node.default_child
    target = child if child is not None else construct
    value: str = stack.resolve(stack.get_logical_id(target))  # type: ignore[arg-type]
    return value


def references(value: Any) -> set[str]:
    """Every logical id a template fragment points at (Ref / Fn::GetAtt)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                target = inner[0] if isinstance(inner, list) else str(inner).split(".")[0]
                found.add(target)
            else:
                found |= references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= references(inner)
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def role_statements(template: Template, role: str) -> list[dict[str, Any]]:
    """Every IAM statement that applies to a role: inline policies and attached ones."""
    statements: list[dict[str, Any]] = []
    for policy in resources(template, "AWS::IAM::Policy").values():
        if {"Ref": role} in policy["Properties"].get("Roles", []):
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    for inline in template["Resources"][role]["Properties"].get("Policies", []):
        statements += inline["PolicyDocument"]["Statement"]
    return statements


def all_statements(template: Template) -> Iterator[tuple[str, dict[str, Any]]]:
    """(resource id, statement) for every identity and resource policy in a template."""
    for rid, resource in template["Resources"].items():
        props = resource.get("Properties", {})
        documents = [props.get("PolicyDocument")]
        # A list of IAM policies (a Cognito user pool's "Policies" is its password policy).
        policies = props.get("Policies", [])
        documents += [p.get("PolicyDocument") for p in policies if isinstance(policies, list)]
        if resource["Type"] == "AWS::IAM::Role":
            documents.append(props.get("AssumeRolePolicyDocument"))
        for document in documents:
            if document:
                for statement in as_list(document["Statement"]):
                    yield rid, statement


def stand_in(value: Any) -> str:
    """A JSON-string-safe token for a CloudFormation value, the same on both sides of a
    comparison: literals stay themselves, intrinsics become a hash of their JSON."""
    if isinstance(value, str):
        return value
    digest = hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]
    return f"__cfn_{digest}__"
