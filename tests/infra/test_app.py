"""The synthesised CDK app, checked as a reviewer would: stacks, wiring, least privilege.

Every test that needs synthesis lives in this one module on purpose: pytest-xdist
(``--dist loadscope``) sends a module to a single worker, so the app is synthesised once
per run, not once per worker.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks
from cfnlint.api import ManualArgs, lint_by_config  # type: ignore[import-untyped]

from infra.app import ACCOUNT_STACK_ID, BUS_STACK_ID, SERVICES, build_app, load_wiring
from infra.build.messaging import VISIBILITY_PER_FUNCTION_TIMEOUT
from infra.event_schemas import SCHEMAS_DIR, registry_schema
from infra.nag import MIN_REASON_WORDS
from infra.naming import (
    ACCOUNT_STACK_NAME,
    bus_parameters,
    event_source,
    stack_id,
    user_pool_parameters,
)
from infra.paths import REPO_ROOT
from infra.stacks.account import BOUNCE_RATE_ALARM, COMPLAINT_RATE_ALARM
from infra.stacks.domain_alarms import BOUNCE_SHARE_ALARM_PERCENT
from infra.stacks.service import ServiceStack
from local.provision import LocalNames, Provisioner
from services.common.asl import number_placeholders, render_asl
from services.common.wiring import (
    BUS_ENV_VAR,
    FunctionUrlTrigger,
    HttpApiTrigger,
    ScheduleTrigger,
    ServiceWiring,
    SqsTrigger,
    StreamTrigger,
)
from services.notifications.domain.notify import Outcome as EmailOutcome
from services.notifications.handlers.delivery import METRIC_OF_STATUS
from tests.infra.cfn import (
    all_statements,
    as_list,
    logical_id,
    references,
    resources,
    role_statements,
    stand_in,
)
from tests.infra.conftest import Synthesized, deploy_context
from tests.infra.fake_aws import FakeClient

pytestmark = pytest.mark.infra

ERROR = "aws:cdk:error"
MAX_CODE_ASSET_BYTES = 2 * 1024 * 1024
# What only builds, checks or measures the shop (before and after tooling moved to tools/).
BUILD_TIME_TOOLING = (
    "tools/",
    "local/",
    "infra/",
    "tests/",
    "docs/",
    "events/compat.py",
    "events/catalogue.py",
    "events/schema_gen.py",
    "events/schemas/",
    "events/examples/",
)
PROJECT_PACKAGES = ("events", "services", "local", "infra", "tools", "tests")
SEND_TASK = re.compile(r"^states:SendTask")
# CDK renders a function's dependency on its role as DependsOn although Fn::GetAtt already
# orders them; cfn-lint flags the redundancy (W3005). Harmless, and not ours to change.
CFN_LINT_IGNORED = ["W3005"]


# --- the app and its stacks ----------------------------------------------------------------


def test_every_stack_synthesises(synthesized: Synthesized) -> None:
    names = {stack.node.id for stack in synthesized.stacks()}

    assert names == {ACCOUNT_STACK_ID, BUS_STACK_ID, *(stack_id(s) for s in SERVICES)}
    for construct_id, template in synthesized.templates().items():
        assert template["Resources"], f"{construct_id} has no resources"
    # No error annotation anywhere (a missing setting would be one).
    for artifact in synthesized.assembly.stacks:
        errors = [m for m in artifact.messages if m.level.value == "error"]
        assert not errors, f"{artifact.stack_name}: {[m.entry.data for m in errors]}"


def test_stacks_share_nothing_through_cloudformation_exports(synthesized: Synthesized) -> None:
    for construct_id, template in synthesized.templates().items():
        text = json.dumps(template)
        assert "Fn::ImportValue" not in text, construct_id
        exported = [k for k, o in template.get("Outputs", {}).items() if "Export" in o]
        assert not exported, f"{construct_id} exports {exported}"


def test_service_stacks_deploy_after_their_bus_stack(synthesized: Synthesized) -> None:
    bus = synthesized.stack(BUS_STACK_ID)

    for stack in synthesized.stacks():
        depends_on = [d.node.id for d in stack.dependencies]
        if stack.node.id in {stack_id(s) for s in SERVICES}:
            assert depends_on == [BUS_STACK_ID], stack.node.id
        else:
            assert depends_on == [], stack.node.id
    artifact = synthesized.assembly.get_stack_by_name(synthesized.service("orders").stack_name)
    assert bus.artifact_id in [d.id for d in artifact.dependencies]


def test_service_stacks_find_the_bus_through_its_ssm_parameter(
    synthesized: Synthesized, service_name: str
) -> None:
    template = synthesized.template(stack_id(service_name))
    parameter = bus_parameters(synthesized.context["stage"]).name

    defaults = [p.get("Default") for p in template.get("Parameters", {}).values()]

    assert parameter in defaults
    bus_template = synthesized.template(BUS_STACK_ID)
    written = [
        p["Properties"]["Name"] for p in resources(bus_template, "AWS::SSM::Parameter").values()
    ]
    assert parameter in written


def test_each_service_stack_synthesises_in_an_app_of_its_own(
    synthesized: Synthesized, service_name: str, tmp_path: Any
) -> None:
    # The session synthesis comes first: it warms the CDK runtime this one reuses.
    app = build_app(
        App(context=deploy_context(), outdir=str(tmp_path)),
        services=(service_name,),
        include_bus=False,
        include_account=False,
    )

    assembly = app.synth()

    assert [s.stack_name for s in assembly.stacks] == [
        f"shop-{synthesized.context['stage']}-{service_name}"
    ]
    alone = assembly.stacks[0].template
    together = synthesized.template(stack_id(service_name))
    assert alone["Resources"].keys() == together["Resources"].keys()


def test_bus_stack_holds_the_bus_its_archive_and_parameters(synthesized: Synthesized) -> None:
    template = synthesized.template(BUS_STACK_ID)
    stage = synthesized.context["stage"]

    (bus,) = resources(template, "AWS::Events::EventBus").values()
    (archive,) = resources(template, "AWS::Events::Archive").values()
    parameters = {
        p["Properties"]["Name"]: p["Properties"]["Value"]
        for p in resources(template, "AWS::SSM::Parameter").values()
    }

    assert bus["Properties"]["Name"] == f"shop-{stage}"
    assert archive["Properties"]["EventPattern"] == {"source": [{"prefix": "shop."}]}
    assert archive["Properties"]["RetentionDays"] == synthesized.context["archive_retention_days"]
    assert set(parameters) == {bus_parameters(stage).name, bus_parameters(stage).arn}


def test_every_committed_schema_is_in_the_registry(synthesized: Synthesized) -> None:
    template = synthesized.template(BUS_STACK_ID)
    registered = {
        s["Properties"]["SchemaName"]: s["Properties"]
        for s in resources(template, "AWS::EventSchemas::Schema").values()
    }
    files = sorted(SCHEMAS_DIR.glob("*.v*.json"))

    assert len(registered) == len(files)
    for path in files:
        expected = registry_schema(path)
        props = registered[expected.name]
        assert props["Type"] == "JSONSchemaDraft4"
        assert json.loads(props["Content"]) == expected.content


def _errors(app: App, construct_id: str) -> list[str]:
    """The error annotations on a stack: each one fails `cdk synth` / `cdk deploy` of it."""
    stack = app.node.find_child(construct_id)
    return [str(m.data) for m in stack.node.metadata if m.type == ERROR]


def test_a_missing_sender_email_fails_synth_saying_what_to_pass() -> None:
    context = {k: v for k, v in deploy_context().items() if k != "sender_email"}

    app = build_app(App(context=context), services=("orders", "notifications"))

    (notifications,) = _errors(app, stack_id("notifications"))
    assert "`-c sender_email=...`" in notifications
    (account,) = _errors(app, ACCOUNT_STACK_ID)
    assert "`-c sender_email=shop@example.com`" in account
    # Only the stacks that need it: the orders service deploys without a sender.
    assert _errors(app, stack_id("orders")) == []
    assert _errors(app, BUS_STACK_ID) == []


def test_a_missing_owner_email_fails_synth_saying_what_to_pass() -> None:
    context = {k: v for k, v in deploy_context().items() if k != "owner_email"}

    app = build_app(App(context=context), services=("orders", "approvals"), include_account=False)

    (error,) = _errors(app, stack_id("approvals"))
    assert "no owner_email" in error
    assert "`-c owner_email=owner@example.com`" in error
    assert _errors(app, stack_id("orders")) == []


def test_without_a_backup_approver_the_last_reminder_goes_to_the_owner_alone() -> None:
    context = {k: v for k, v in deploy_context().items() if k != "backup_approver_email"}

    app = build_app(App(context=context), services=("approvals",), include_account=False)
    stack = app.node.find_child(stack_id("approvals"))
    assert isinstance(stack, ServiceStack)

    assert list(stack.built.topics) == ["owner-notifications"]
    assert _errors(app, stack_id("approvals")) == []
    template = app.synth().get_stack_by_name(stack.stack_name).template
    for function in resources(template, "AWS::Lambda::Function").values():
        variables = function["Properties"]["Environment"]["Variables"]
        assert "APPROVALS_BACKUP_TOPIC_ARN" not in variables


def test_every_service_has_a_wiring_the_app_reads() -> None:
    for service in SERVICES:
        assert load_wiring(service).name == service


# --- each service stack is its wiring --------------------------------------------------------


def test_tables_are_on_demand_recoverable_and_as_declared(
    synthesized: Synthesized, service_name: str
) -> None:
    stack = synthesized.service(service_name)
    template = synthesized.template(stack.node.id)
    wiring = load_wiring(service_name)

    for table in wiring.tables:
        resource = template["Resources"][logical_id(stack.built.tables[table.name])]
        props = resource["Properties"]
        keys = {k["KeyType"]: k["AttributeName"] for k in props["KeySchema"]}
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert keys == {
            "HASH": table.partition_key,
            **({"RANGE": table.sort_key} if table.sort_key else {}),
        }
        if table.ttl_attribute:
            assert props["TimeToLiveSpecification"] == {
                "AttributeName": table.ttl_attribute,
                "Enabled": True,
            }
        else:
            assert "TimeToLiveSpecification" not in props
        if table.stream:
            assert props["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
        else:
            assert "StreamSpecification" not in props
        indexes = {
            index["IndexName"]: (
                {k["KeyType"]: k["AttributeName"] for k in index["KeySchema"]},
                index["Projection"],
            )
            for index in props.get("GlobalSecondaryIndexes", [])
        }
        assert indexes == {
            index.name: (
                {
                    "HASH": index.partition_key,
                    **({"RANGE": index.sort_key} if index.sort_key else {}),
                },
                {"ProjectionType": "ALL"},
            )
            for index in table.indexes
        }
        assert resource["DeletionPolicy"] == synthesized.context["removal_policy"].capitalize()


def _key_schema(partition_key: str, sort_key: str | None) -> dict[str, str]:
    return {"HASH": partition_key, **({"RANGE": sort_key} if sort_key else {})}


def test_user_pools_sign_in_by_verified_email_with_public_clients(
    synthesized: Synthesized, service_name: str
) -> None:
    stack = synthesized.service(service_name)
    template = synthesized.template(stack.node.id)
    wiring = load_wiring(service_name)
    stage = synthesized.context["stage"]
    parameters = {
        p["Properties"]["Name"]: references(p["Properties"]["Value"])
        for p in resources(template, "AWS::SSM::Parameter").values()
    }

    assert len(resources(template, "AWS::Cognito::UserPool")) == len(wiring.user_pools)
    for declared in wiring.user_pools:
        built = stack.built.user_pools[declared.name]
        props = template["Resources"][logical_id(built.pool)]["Properties"]
        assert props["UsernameAttributes"] == ["email"]
        assert props["AutoVerifiedAttributes"] == ["email"]
        required = {a["Name"] for a in props["Schema"] if a.get("Required")}
        assert required == {"email", *declared.required_attributes}
        assert props["Policies"]["PasswordPolicy"]["MinimumLength"] >= 12
        names = user_pool_parameters(stage, service_name, declared.name)
        assert parameters[names.pool_id] == {logical_id(built.pool)}
        for client in declared.clients:
            client_props = template["Resources"][logical_id(built.clients[client.name])][
                "Properties"
            ]
            assert client_props["GenerateSecret"] is False
            assert set(client_props["ExplicitAuthFlows"]) == {
                *(f"ALLOW_{flow}" for flow in client.auth_flows),
                "ALLOW_REFRESH_TOKEN_AUTH",
            }
            assert parameters[names.client_id(client.name)] == {
                logical_id(built.clients[client.name])
            }


def test_every_route_behind_an_authorizer_checks_the_pools_tokens(
    synthesized: Synthesized, service_name: str
) -> None:
    stack = synthesized.service(service_name)
    template = synthesized.template(stack.node.id)
    wiring = load_wiring(service_name)
    authorizers = resources(template, "AWS::ApiGatewayV2::Authorizer")
    routes = {
        r["Properties"]["RouteKey"]: r["Properties"]
        for r in resources(template, "AWS::ApiGatewayV2::Route").values()
    }

    for fn in wiring.functions:
        trigger = fn.trigger
        if not isinstance(trigger, HttpApiTrigger):
            continue
        for route in trigger.routes:
            props = routes[f"{route.method.upper()} {route.path}"]
            if trigger.authorizer is None:
                assert props.get("AuthorizationType", "NONE") == "NONE"
                continue
            assert props["AuthorizationType"] == "JWT"
            (authorizer_id,) = references(props["AuthorizerId"])
            authorizer = authorizers[authorizer_id]["Properties"]
            built = stack.built.user_pools[trigger.authorizer.user_pool]
            assert authorizer["AuthorizerType"] == "JWT"
            assert authorizer["IdentitySource"] == ["$request.header.Authorization"]
            jwt = authorizer["JwtConfiguration"]
            assert references(jwt["Audience"]) == {
                logical_id(built.clients[trigger.authorizer.client])
            }
            # What Cognito writes as iss: https://cognito-idp.<region>.amazonaws.com/<pool id>.
            assert jwt["Issuer"] == {
                "Fn::Join": [
                    "",
                    [
                        "https://cognito-idp.",
                        {"Ref": "AWS::Region"},
                        ".",
                        {"Ref": "AWS::URLSuffix"},
                        "/",
                        {"Ref": logical_id(built.pool)},
                    ],
                ]
            }


def test_every_queue_has_a_dead_letter_queue(synthesized: Synthesized, service_name: str) -> None:
    stack = synthesized.service(service_name)
    template = synthesized.template(stack.node.id)
    wiring = load_wiring(service_name)
    queues = resources(template, "AWS::SQS::Queue")

    declared = {logical_id(stack.built.queues[q.name]): q for q in wiring.queues}
    dead_letter = {
        logical_id(q) for q in [*stack.built.dlqs.values(), *stack.built.failure_queues.values()]
    }

    assert set(queues) == declared.keys() | dead_letter
    for queue_id, queue in declared.items():
        redrive = queues[queue_id]["Properties"]["RedrivePolicy"]
        assert redrive["maxReceiveCount"] == queue.max_receive_count
        assert references(redrive["deadLetterTargetArn"]) <= dead_letter
        visibility = queues[queue_id]["Properties"]["VisibilityTimeout"]
        assert visibility >= queue.visibility_timeout_seconds
        for fn in wiring.functions:
            if isinstance(fn.trigger, SqsTrigger) and fn.trigger.queue == queue.name:
                # AWS's guidance for SQS event sources.
                assert visibility >= VISIBILITY_PER_FUNCTION_TIMEOUT * fn.timeout_seconds
    for queue_id, resource in queues.items():
        assert resource["Properties"]["SqsManagedSseEnabled"] is True, queue_id
    denied = {
        ref
        for policy in resources(template, "AWS::SQS::QueuePolicy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Deny"
        and statement.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
        for ref in references(policy["Properties"]["Queues"])
    }
    assert denied == set(queues), "every queue refuses requests without TLS"


def test_every_rule_has_its_declared_pattern_and_queue(
    synthesized: Synthesized, service_name: str
) -> None:
    stack = synthesized.service(service_name)
    template = synthesized.template(stack.node.id)
    wiring = load_wiring(service_name)
    rules = {
        r["Properties"]["Description"]: r["Properties"]
        for r in resources(template, "AWS::Events::Rule").values()
        if " subscription " in r["Properties"].get("Description", "")
    }
    bus_name = stack.resolve(stack.built.environment[BUS_ENV_VAR])

    assert len(rules) == len(wiring.subscriptions)
    for sub in wiring.subscriptions:
        rule = rules[f"{service_name} subscription {sub.name} -> queue {sub.queue}"]
        pattern = dict(rule["EventPattern"])
        if sub.on_default_bus:
            # Every stage's SES events land on the default bus: take only this stage's.
            tags = pattern.pop("detail")["mail"]["tags"]
            configuration_sets = stack.built.configuration_sets.values()
            assert configuration_sets
            assert [references(n) for n in tags["ses:configuration-set"]] == [
                {logical_id(c)} for c in configuration_sets
            ]
        assert pattern == sub.pattern
        assert rule.get("EventBusName", "default") == (
            "default" if sub.on_default_bus else bus_name
        )
        (target,) = rule["Targets"]
        assert references(target["Arn"]) == {logical_id(stack.built.queues[sub.queue])}


def test_state_machine_runs_the_committed_asl_with_substitutions_resolved(
    synthesized: Synthesized,
) -> None:
    wiring = load_wiring("workflow")
    stack = synthesized.service("workflow")
    template = synthesized.template(stack.node.id)

    for machine in wiring.state_machines:
        resource = template["Resources"][logical_id(stack.built.state_machines[machine.name])]
        props = resource["Properties"]
        expected_values = {
            placeholder: stand_in(stack.resolve(_declared_value(stack, wiring, source)))
            for placeholder, source in machine.substitutions.items()
        }

        deployed = _resolved_definition(props, synthesized.outdir)

        assert props["StateMachineType"] == "STANDARD"
        assert props["TracingConfiguration"] == {"Enabled": True}
        assert props["LoggingConfiguration"]["Level"] == "ALL"
        assert props["LoggingConfiguration"]["IncludeExecutionData"] is False
        committed = render_asl(REPO_ROOT / machine.definition_file, expected_values)
        assert json.loads(deployed) == json.loads(committed)
        numbers = number_placeholders(
            (REPO_ROOT / machine.definition_file).read_text(encoding="utf-8")
        )
        # Durations reach Step Functions as numbers, rendered at synthesis, not by CloudFormation.
        assert not numbers & set(props.get("DefinitionSubstitutions", {}))


def _declared_value(stack: Any, wiring: ServiceWiring, source: str) -> Any:
    kind, _, name = source.partition(":")
    if kind == "queue_url":
        return stack.built.queues[name].queue_url
    if kind == "bus_name":
        return stack.built.environment[BUS_ENV_VAR]
    assert kind == "setting"
    return stack.built.settings[name]


def _resolved_definition(props: dict[str, Any], outdir: Path) -> str:
    """The definition as CloudFormation will hand it to Step Functions, with every
    intrinsic replaced by the same stand-in the expectation uses."""
    substitutions = {k: stand_in(v) for k, v in props.get("DefinitionSubstitutions", {}).items()}
    if "DefinitionS3Location" in props:
        key = props["DefinitionS3Location"]["Key"]
        text = (outdir / f"asset.{key}").read_text(encoding="utf-8")
    else:
        definition = props["DefinitionString"]
        if isinstance(definition, dict) and "Fn::Sub" in definition:
            body, variables = [*as_list(definition["Fn::Sub"]), {}][:2]
            substitutions.update({k: stand_in(v) for k, v in variables.items()})
            text = body
        elif isinstance(definition, dict) and "Fn::Join" in definition:
            separator, parts = definition["Fn::Join"]
            text = separator.join(stand_in(p) for p in parts)
        else:
            text = definition
    for name, value in substitutions.items():
        text = text.replace("${" + name + "}", value)
    assert "${" not in text, "a substitution was left unresolved"
    return text


def test_functions_run_python_312_with_powertools_and_one_role_each(
    synthesized: Synthesized, service_name: str
) -> None:
    stack = synthesized.service(service_name)
    template = synthesized.template(stack.node.id)
    wiring = load_wiring(service_name)
    functions = resources(template, "AWS::Lambda::Function")
    layers = resources(template, "AWS::Lambda::LayerVersion")

    roles = set()
    for fn in wiring.functions:
        props = functions[logical_id(stack.built.functions[fn.name])]["Properties"]
        assert props["Runtime"] == "python3.12"
        assert props["Handler"] == fn.handler
        assert props["Timeout"] == fn.timeout_seconds
        assert props["MemorySize"] == fn.memory_mb
        assert props["TracingConfig"] == {"Mode": "Active"}
        # Powertools comes in the stack's own pinned layer, never a public one.
        assert [references(layer) for layer in props["Layers"]] == [set(layers)]
        roles |= references(props["Role"])
        role = template["Resources"][logical_id(stack.built.roles[fn.name])]
        assert "ManagedPolicyArns" not in role["Properties"], "grants only, no managed policy"
    assert len(roles) == len(wiring.functions), "one role per function"
    assert len(functions) == len(wiring.functions) + len(stack.observability.probes)


def test_triggers_are_the_declared_ones(synthesized: Synthesized, service_name: str) -> None:
    stack = synthesized.service(service_name)
    template = synthesized.template(stack.node.id)
    wiring = load_wiring(service_name)
    mappings = resources(template, "AWS::Lambda::EventSourceMapping").values()
    routes = {
        r["Properties"]["RouteKey"]
        for r in resources(template, "AWS::ApiGatewayV2::Route").values()
    }
    urls = resources(template, "AWS::Lambda::Url").values()

    for fn in wiring.functions:
        function_id = logical_id(stack.built.functions[fn.name])
        mine = [
            m["Properties"]
            for m in mappings
            if references(m["Properties"]["FunctionName"]) == {function_id}
        ]
        trigger = fn.trigger
        if isinstance(trigger, SqsTrigger):
            (mapping,) = mine
            assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
            assert mapping["BatchSize"] == trigger.batch_size
            assert references(mapping["EventSourceArn"]) == {
                logical_id(stack.built.queues[trigger.queue])
            }
        elif isinstance(trigger, StreamTrigger):
            (mapping,) = mine
            assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
            assert mapping["BisectBatchOnFunctionError"] is True
            assert mapping["MaximumRetryAttempts"] == trigger.max_retry_attempts
            assert mapping["BatchSize"] == trigger.batch_size
            assert references(mapping["DestinationConfig"]["OnFailure"]["Destination"]) == {
                logical_id(stack.built.failure_queues[fn.name])
            }
        elif isinstance(trigger, HttpApiTrigger):
            assert not mine
            assert {f"{r.method.upper()} {r.path}" for r in trigger.routes} <= routes
        elif isinstance(trigger, FunctionUrlTrigger):
            (url,) = [
                u["Properties"]
                for u in urls
                if references(u["Properties"]["TargetFunctionArn"]) == {function_id}
            ]
            assert url["AuthType"] == "NONE"


def test_functions_get_the_environment_the_local_stack_gives_them(
    synthesized: Synthesized, service_name: str
) -> None:
    wiring = load_wiring(service_name)
    urls = {
        f"{service_name}/{fn.name}": f"http://127.0.0.1:9/{fn.name}/"
        for fn in wiring.functions
        if isinstance(fn.trigger, FunctionUrlTrigger)
    }
    local = Provisioner(
        LocalNames(prefix="infra-test"), clients=FakeClient, function_urls=urls
    ).provision(wiring)
    stack = synthesized.service(service_name)
    template = synthesized.template(stack.node.id)

    for fn in wiring.functions:
        props = template["Resources"][logical_id(stack.built.functions[fn.name])]["Properties"]
        cloud = props["Environment"]["Variables"]
        # The stage's own metrics namespace (the local stack has one stage).
        expected = set(local.env) | {"POWERTOOLS_METRICS_NAMESPACE"}
        if isinstance(fn.trigger, FunctionUrlTrigger) and fn.trigger.env_var:
            # A function cannot be handed its own URL (a CloudFormation cycle); it never
            # needs it: only the service's other functions write links to it.
            expected.discard(fn.trigger.env_var)
        assert set(cloud) == expected, f"{service_name}/{fn.name}"
        assert cloud["POWERTOOLS_METRICS_NAMESPACE"] == f"Shop/{synthesized.context['stage']}"


def _code_asset(synthesized: Synthesized, service: str, function: str) -> Path:
    stack = synthesized.service(service)
    template = synthesized.template(stack.node.id)
    props = template["Resources"][logical_id(stack.built.functions[function])]["Properties"]
    return synthesized.outdir / f"asset.{props['Code']['S3Key'].removesuffix('.zip')}"


def _asset_files(asset: Path) -> list[str]:
    return sorted(p.relative_to(asset).as_posix() for p in asset.rglob("*") if p.is_file())


def test_function_code_is_only_the_source_trees_and_small(synthesized: Synthesized) -> None:
    asset = _code_asset(synthesized, "orders", "api")

    files = [p for p in asset.rglob("*") if p.is_file()]

    assert {p.relative_to(asset).parts[0] for p in files} == {"events", "services"}
    assert not [p for p in files if p.suffix == ".pyc" or p.name.startswith(".")]
    assert sum(p.stat().st_size for p in files) < MAX_CODE_ASSET_BYTES


def test_function_code_holds_no_build_time_tooling(
    synthesized: Synthesized, service_name: str
) -> None:
    for fn in load_wiring(service_name).functions:
        files = _asset_files(_code_asset(synthesized, service_name, fn.name))

        tooling = [f for f in files if f.startswith(BUILD_TIME_TOOLING) or "/tests/" in f]

        assert f"{fn.handler.rpartition('.')[0].replace('.', '/')}.py" in files
        assert tooling == [], f"{service_name}/{fn.name}"


def test_every_handler_imports_from_the_code_asset_alone(synthesized: Synthesized) -> None:
    """The allow-list is not too narrow: each handler imports with only the asset on the
    path (no project module comes from the repository), and every template is there."""
    asset = _code_asset(synthesized, "orders", "api")
    handlers = sorted(
        fn.handler.rpartition(".")[0]
        for service in SERVICES
        for fn in load_wiring(service).functions
    )
    script = (
        "import importlib, json, sys\n"
        f"for name in {handlers!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(getattr(m, '__file__', None) or '' for n, m in "
        f"list(sys.modules.items()) if n.partition('.')[0] in {PROJECT_PACKAGES!r})))"
    )

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=asset,
        # No PYTHONPATH: the asset (the working directory) is the only source tree on the path.
        env={"PATH": os.environ["PATH"], "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded
    assert [f for f in loaded if not Path(f).is_relative_to(asset)] == []
    files = _asset_files(asset)
    templates = [
        p.relative_to(REPO_ROOT).as_posix() for p in REPO_ROOT.glob("services/*/templates/*")
    ]
    assert templates
    assert [t for t in templates if t not in files] == []


def test_each_service_has_a_dashboard_and_alarms(
    synthesized: Synthesized, service_name: str
) -> None:
    stack = synthesized.service(service_name)
    template = synthesized.template(stack.node.id)
    built = stack.built
    alarms = resources(template, "AWS::CloudWatch::Alarm").values()
    (dashboard,) = resources(template, "AWS::CloudWatch::Dashboard").values()
    body = json.dumps(dashboard["Properties"]["DashboardBody"])

    alarmed = set().union(*(references(a["Properties"].get("Dimensions", [])) for a in alarms))
    watched_queues = [*built.dlqs.values(), *built.failure_queues.values()]
    for construct in [*built.functions.values(), *watched_queues]:
        assert logical_id(construct) in alarmed, construct.node.path
    for metric in ("Invocations", "Errors", "ApproximateNumberOfMessagesVisible"):
        assert metric in body
    if built.state_machines:
        for metric in ("ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut"):
            assert metric in body
        assert "OwnerRejected" in body
        assert "NobodyAnswered" in body
    if built.failure_queues:
        assert "IteratorAge" in body
    if stack.observability.probes:
        assert "SubscriptionsConfirmed" in body
    if service_name == "approvals":
        assert "decision page" in body
        assert "SubscriptionsConfirmed" in body


def _alarms(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [a["Properties"] for a in resources(template, "AWS::CloudWatch::Alarm").values()]


def test_execution_failure_alarms_fill_the_gaps_of_sparse_metrics(
    synthesized: Synthesized,
) -> None:
    template = synthesized.template(stack_id("workflow"))
    machines = synthesized.service("workflow").built.state_machines

    math = [a for a in _alarms(template) if "executions ended badly" in a["AlarmDescription"]]
    expressions = [m["Expression"] for a in math for m in a["Metrics"] if "Expression" in m]

    assert len(expressions) == len(machines)
    for expression in expressions:
        terms = [t.strip() for t in expression.split("+")]
        assert len(terms) == 3
        assert all(re.fullmatch(r"FILL\(\w+, 0\)", t) for t in terms), expression


def test_approval_requests_nobody_answers_raise_an_alarm(synthesized: Synthesized) -> None:
    stack = synthesized.service("workflow")
    template = synthesized.template(stack.node.id)
    filters = resources(template, "AWS::Logs::MetricFilter").values()
    (log_group,) = stack.built.state_machine_logs.values()

    patterns = {
        f["Properties"]["MetricTransformations"][0]["MetricName"]: f["Properties"] for f in filters
    }
    timed_out = patterns["ApprovalTimedOut"]
    answered = patterns["ApprovalAnswered"]
    (alarm,) = [a for a in _alarms(template) if "never answered" in a["AlarmDescription"]]

    assert references(timed_out["LogGroupName"]) == {logical_id(log_group)}
    # The state each timed-out execution enters (a Pass state in the ASL).
    assert '$.type = "PassStateEntered"' in timed_out["FilterPattern"]
    assert '$.details.name = "NobodyAnswered"' in timed_out["FilterPattern"]
    for state in ("EmitOrderShipped", "OwnerRejected"):
        assert f'$.details.name = "{state}"' in answered["FilterPattern"]
    for transformation in (timed_out, answered):
        (metric,) = transformation["MetricTransformations"]
        assert metric["MetricNamespace"] == f"Shop/{synthesized.context['stage']}"
    (expression,) = [m["Expression"] for m in alarm["Metrics"] if "Expression" in m]
    assert "100 * FILL(timedOut, 0) /" in expression
    assert alarm["Threshold"] == 20
    assert alarm["TreatMissingData"] == "notBreaching"


def test_an_unconfirmed_owner_subscription_raises_an_alarm(synthesized: Synthesized) -> None:
    stack = synthesized.service("approvals")
    template = synthesized.template(stack.node.id)
    # The owner's topic and the backup approver's: one probe each, in the order built.
    topic = stack.built.topics["owner-notifications"]
    assert list(stack.built.topics) == ["owner-notifications", "backup-approver-notifications"]
    probe = stack.observability.probes[0]
    assert len(stack.observability.probes) == len(stack.built.topics)

    alarms = [a for a in _alarms(template) if a.get("MetricName") == "SubscriptionsConfirmed"]
    assert len(alarms) == len(stack.built.topics)
    alarm = alarms[0]
    function = template["Resources"][logical_id(probe.function)]["Properties"]
    schedule = next(
        r["Properties"]
        for r in resources(template, "AWS::Events::Rule").values()
        if "ScheduleExpression" in r["Properties"]
        and references(r["Properties"]["Targets"][0]["Arn"]) == {logical_id(probe.function)}
    )
    role = references(function["Role"]).pop()
    actions = {
        a: s["Resource"] for s in role_statements(template, role) for a in as_list(s["Action"])
    }

    assert alarm["Namespace"] == f"Shop/{synthesized.context['stage']}"
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    assert alarm["Threshold"] == 1
    # The probe going quiet is as bad as a pending subscription: both mean "nobody knows".
    assert alarm["TreatMissingData"] == "breaching"
    assert schedule["ScheduleExpression"] == "rate(1 hour)"
    assert references(schedule["Targets"][0]["Arn"]) == {logical_id(probe.function)}
    assert references(actions["sns:ListSubscriptionsByTopic"]) == {logical_id(topic)}
    assert {a.split(":")[0] for a in actions} == {"sns", "logs"}


def test_the_outbox_takes_inserts_and_retries_until_records_expire(
    synthesized: Synthesized,
) -> None:
    stack = synthesized.service("orders")
    template = synthesized.template(stack.node.id)
    (mapping,) = [
        m["Properties"]
        for m in resources(template, "AWS::Lambda::EventSourceMapping").values()
        if references(m["Properties"]["FunctionName"])
        == {logical_id(stack.built.functions["outbox"])}
    ]

    (criterion,) = mapping["FilterCriteria"]["Filters"]
    assert json.loads(criterion["Pattern"]) == {"eventName": ["INSERT"]}
    assert mapping["MaximumRetryAttempts"] == -1
    assert mapping["BisectBatchOnFunctionError"] is True
    assert references(mapping["DestinationConfig"]["OnFailure"]["Destination"]) == {
        logical_id(stack.built.failure_queues["outbox"])
    }


def test_scheduled_functions_run_on_their_schedule(
    synthesized: Synthesized, service_name: str
) -> None:
    stack = synthesized.service(service_name)
    template = synthesized.template(stack.node.id)
    schedules = {
        next(iter(references(r["Properties"]["Targets"][0]["Arn"]))): r["Properties"]
        for r in resources(template, "AWS::Events::Rule").values()
        if "ScheduleExpression" in r["Properties"]
    }

    for fn in load_wiring(service_name).functions:
        if isinstance(fn.trigger, ScheduleTrigger):
            schedule = schedules[logical_id(stack.built.functions[fn.name])]
            minutes = fn.trigger.every_seconds // 60
            unit = "minute" if minutes == 1 else "minutes"
            assert schedule["ScheduleExpression"] == f"rate({minutes} {unit})"
            assert schedule["State"] == "ENABLED"


def test_email_events_come_back_through_the_configuration_set(
    synthesized: Synthesized,
) -> None:
    stack = synthesized.service("notifications")
    template = synthesized.template(stack.node.id)
    wiring = load_wiring("notifications")
    (declared,) = wiring.email_configuration_sets
    (configuration_set,) = stack.built.configuration_sets.values()
    (destination,) = [
        d["Properties"]
        for d in resources(template, "AWS::SES::ConfigurationSetEventDestination").values()
    ]
    sender = wiring.function("email")
    send = [
        st
        for st in role_statements(template, logical_id(stack.built.roles[sender.name]))
        if "ses:SendEmail" in as_list(st["Action"])
    ]

    assert references(destination["ConfigurationSetName"]) == {logical_id(configuration_set)}
    event_destination = destination["EventDestination"]
    assert event_destination["Enabled"] is True
    assert sorted(event_destination["MatchingEventTypes"]) == sorted(
        t.lower() for t in declared.event_types
    )
    bus_arn = json.dumps(event_destination["EventBridgeDestination"]["EventBusArn"])
    assert ":event-bus/default" in bus_arn
    (statement,) = send
    arns = json.dumps(statement["Resource"])
    assert ":configuration-set/" in arns
    assert logical_id(configuration_set) in references(statement["Resource"])
    environment = template["Resources"][logical_id(stack.built.functions[sender.name])]
    assert references(environment["Properties"]["Environment"]["Variables"][declared.env_var]) == {
        logical_id(configuration_set)
    }


@pytest.mark.parametrize(
    ("service", "metric"),
    [
        ("orders", "OrderPlacedRepublished"),
        ("notifications", EmailOutcome.FAILED.value),
        ("notifications", EmailOutcome.OUTCOME_UNKNOWN.value),
        ("notifications", EmailOutcome.RESENT_AFTER_STALE_CLAIM.value),
        ("workflow", "DecisionAfterWorkflowMovedOn"),
    ],
)
def test_what_a_service_counts_as_lost_or_late_raises_an_alarm(
    synthesized: Synthesized, service: str, metric: str
) -> None:
    template = synthesized.template(stack_id(service))

    (alarm,) = [a for a in _alarms(template) if a.get("MetricName") == metric]

    assert alarm["Namespace"] == f"Shop/{synthesized.context['stage']}"
    assert alarm["Dimensions"] == [{"Name": "service", "Value": service}]
    assert alarm["Statistic"] == "Sum"
    assert alarm["Threshold"] == 1
    assert alarm["TreatMissingData"] == "notBreaching"


def test_the_stages_bounce_share_alarms_below_the_ses_review_threshold(
    synthesized: Synthesized,
) -> None:
    template = synthesized.template(stack_id("notifications"))

    (alarm,) = [a for a in _alarms(template) if "bounced" in a["AlarmDescription"]]
    metrics = {m["Id"]: m for m in alarm["Metrics"]}

    assert alarm["Threshold"] == BOUNCE_SHARE_ALARM_PERCENT < 5
    # The names the delivery-events handler counts under.
    assert metrics["bounced"]["MetricStat"]["Metric"]["MetricName"] == METRIC_OF_STATUS["failed"]
    assert metrics["accepted"]["MetricStat"]["Metric"]["MetricName"] == METRIC_OF_STATUS["sent"]
    (expression,) = [m["Expression"] for m in alarm["Metrics"] if "Expression" in m]
    assert "FILL(bounced, 0)" in expression


def test_every_alarm_says_what_missing_data_means(synthesized: Synthesized) -> None:
    for construct_id, template in synthesized.templates().items():
        for alarm in _alarms(template):
            assert alarm.get("TreatMissingData") in {"notBreaching", "breaching"}, (
                construct_id,
                alarm["AlarmDescription"],
            )


def test_stream_mappings_alarm_when_they_fall_behind(synthesized: Synthesized) -> None:
    stack = synthesized.service("orders")
    template = synthesized.template(stack.node.id)
    streamed = stack.built.failure_queues.keys()
    assert streamed, "the outbox reads the orders table's stream"

    for name in streamed:
        function_id = logical_id(stack.built.functions[name])
        (alarm,) = [
            a
            for a in _alarms(template)
            if a.get("MetricName") == "IteratorAge"
            and references(a.get("Dimensions", [])) == {function_id}
        ]
        assert alarm["Statistic"] == "Maximum"
        assert alarm["Threshold"] == 5 * 60 * 1000
        assert alarm["TreatMissingData"] == "notBreaching"


def test_state_machine_logs_are_vended_log_groups_named_by_stage(
    synthesized: Synthesized,
) -> None:
    stack = synthesized.service("workflow")
    template = synthesized.template(stack.node.id)
    stage = synthesized.context["stage"]

    for name, log_group in stack.built.state_machine_logs.items():
        props = template["Resources"][logical_id(log_group)]["Properties"]
        assert props["LogGroupName"] == f"/aws/vendedlogs/states/shop-{stage}-workflow-{name}"


def test_each_role_puts_events_only_with_its_own_source(synthesized: Synthesized) -> None:
    """No function or state machine may publish another producer's events: every PutEvents
    grant names the bus and its own service's ``events:source``, and nothing else grants it."""
    bus_name_parameter = bus_parameters(synthesized.context["stage"]).name
    publishers: set[str] = set()
    for service in SERVICES:
        stack = synthesized.service(service)
        template = synthesized.template(stack.node.id)
        bus_parameter = next(
            k for k, p in template["Parameters"].items() if p.get("Default") == bus_name_parameter
        )
        for resource_id, statement in all_statements(template):
            actions = as_list(statement.get("Action", []))
            if not [a for a in actions if a.startswith("events:Put")]:
                continue
            assert actions == ["events:PutEvents"], (service, resource_id)
            assert statement["Condition"] == {
                "StringEquals": {"events:source": event_source(service)}
            }, (service, resource_id)
            (bus_arn,) = as_list(statement["Resource"])
            assert bus_parameter in references(bus_arn), (service, resource_id)
            publishers.add(service)
    wired = {
        s
        for s in SERVICES
        if any(f.permissions.put_events for f in load_wiring(s).functions)
        or any(m.puts_events for m in load_wiring(s).state_machines)
    }
    assert publishers == wired


def test_the_sender_identity_belongs_to_the_account_not_to_a_stage(
    synthesized: Synthesized,
) -> None:
    account = synthesized.template(ACCOUNT_STACK_ID)

    (identity,) = resources(account, "AWS::SES::EmailIdentity").values()
    assert identity["Properties"]["EmailIdentity"] == synthesized.context["sender_email"]
    assert identity["DeletionPolicy"] == "Retain"
    assert synthesized.stack(ACCOUNT_STACK_ID).stack_name == ACCOUNT_STACK_NAME
    for service in SERVICES:
        template = synthesized.template(stack_id(service))
        assert not resources(template, "AWS::SES::EmailIdentity"), service


def test_ses_reputation_alarms_fire_below_the_review_thresholds(
    synthesized: Synthesized,
) -> None:
    alarms = {a["MetricName"]: a for a in _alarms(synthesized.template(ACCOUNT_STACK_ID))}

    bounce, complaint = alarms["Reputation.BounceRate"], alarms["Reputation.ComplaintRate"]

    assert bounce["Namespace"] == complaint["Namespace"] == "AWS/SES"
    assert bounce["Threshold"] == BOUNCE_RATE_ALARM < 0.05
    assert complaint["Threshold"] == COMPLAINT_RATE_ALARM < 0.001
    for alarm in (bounce, complaint):
        assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"


# --- least privilege, cdk-nag, cfn-lint ---------------------------------------------------


def test_no_iam_statement_grants_a_wildcard_action(synthesized: Synthesized) -> None:
    for construct_id, template in synthesized.templates().items():
        for resource_id, statement in all_statements(template):
            where = f"{construct_id}/{resource_id}"
            assert "NotAction" not in statement, where
            wildcards = [a for a in as_list(statement.get("Action", [])) if "*" in a]
            if statement["Effect"] == "Allow":
                assert not wildcards, f"{where}: {wildcards}"
            else:
                # The only denials are the "TLS only" guards on queues and topics.
                assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_only_the_declared_relay_can_send_task_results(synthesized: Synthesized) -> None:
    allowed = {
        (stack_id(service), logical_id(synthesized.service(service).built.roles[fn.name]))
        for service in SERVICES
        for fn in load_wiring(service).functions
        if fn.permissions.send_task_results
    }
    holders = set()
    for construct_id, template in synthesized.templates().items():
        for policy in [
            *resources(template, "AWS::IAM::Policy").values(),
            *resources(template, "AWS::IAM::Role").values(),
        ]:
            roles: list[Any] = policy["Properties"].get("Roles", [])
            documents = [policy["Properties"].get("PolicyDocument")] + [
                p["PolicyDocument"] for p in policy["Properties"].get("Policies", [])
            ]
            for document in filter(None, documents):
                for statement in as_list(document["Statement"]):
                    if any(SEND_TASK.match(a) for a in as_list(statement.get("Action", []))):
                        holders |= {(construct_id, r) for r in references(roles)}

    assert allowed == {
        (
            stack_id("workflow"),
            logical_id(synthesized.service("workflow").built.roles["relay-decision"]),
        )
    }
    assert holders == allowed


def test_the_public_decision_url_cannot_touch_the_workflow(synthesized: Synthesized) -> None:
    public = [
        (service, fn.name)
        for service in SERVICES
        for fn in load_wiring(service).functions
        if isinstance(fn.trigger, FunctionUrlTrigger)
    ]
    assert public, "a Function URL is declared somewhere"
    workflow = synthesized.template(stack_id("workflow"))

    for service, name in public:
        stack = synthesized.service(service)
        template = synthesized.template(stack.node.id)
        statements = role_statements(template, logical_id(stack.built.roles[name]))
        text = json.dumps(statements)

        actions = {a for s in statements for a in as_list(s["Action"])}
        assert not [a for a in actions if a.startswith("states:")]
        assert ":states:" not in text
        assert "stateMachine" not in text
        assert not references(statements) & set(workflow["Resources"])
        assert {a.split(":")[0] for a in actions} <= {
            "logs",
            "xray",
            "dynamodb",
            "secretsmanager",
            "events",
            "scheduler",
        }
        # A decision removes the reminder timers still to come: it may only delete them.
        assert {a for a in actions if a.startswith("scheduler:")} <= {"scheduler:DeleteSchedule"}


def test_cdk_nag_finds_nothing_unacknowledged(synthesized: Synthesized) -> None:
    # Synthesis already ran the pack as a validation plugin (it would have raised); this
    # runs it again to report findings by name if that ever changes.
    report = AwsSolutionsChecks(verbose=True).validate_scope(synthesized.app)

    findings = [
        f"{v.severity} {v.rule_name}: {[r.construct_path for r in v.violating_resources]}"
        for v in report.violations
    ]
    assert report.success, "\n".join(findings)


def test_every_acknowledged_finding_carries_a_reason(synthesized: Synthesized) -> None:
    key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY
    acknowledged: dict[str, str] = {}
    for construct in synthesized.app.node.find_all():
        for entry in construct.node.metadata:
            if entry.type == key:
                for rule, reason in dict(entry.data).items():
                    acknowledged[f"{construct.node.path}:{rule}"] = reason

    assert acknowledged, "the app acknowledges some findings"
    for where, reason in acknowledged.items():
        assert len(str(reason).split()) >= MIN_REASON_WORDS, where
    written = 0
    for template in synthesized.templates().values():
        for resource in template["Resources"].values():
            for rule in (
                resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
            ):
                written += 1
                assert rule["id"].startswith("AwsSolutions-")
                assert len(rule["reason"].split()) >= MIN_REASON_WORDS, rule
    assert written, "acknowledgments are written into the templates for audit"


def test_cfn_lint_is_clean_on_every_template(synthesized: Synthesized) -> None:
    templates = [str(synthesized.outdir / a.template_file) for a in synthesized.assembly.stacks]

    # One run over all templates: cfn-lint loads its rules once.
    matches = lint_by_config(
        ManualArgs(templates=templates, regions=["us-east-1"], ignore_checks=CFN_LINT_IGNORED)
    )

    assert len(templates) == len(SERVICES) + 2
    assert not matches, "\n".join(f"{Path(m.filename).name}: {m}" for m in matches)


# --- abuse limits ----------------------------------------------------------------------------


def test_each_http_route_is_throttled_as_its_wiring_says(synthesized: Synthesized) -> None:
    wiring = load_wiring("orders")
    template = synthesized.template(synthesized.service("orders").node.id)
    (stage,) = resources(template, "AWS::ApiGatewayV2::Stage").values()

    routes = [
        route
        for fn in wiring.functions
        if isinstance(fn.trigger, HttpApiTrigger)
        for route in fn.trigger.routes
    ]
    assert all(route.throttle for route in routes), "every public route has its own limits"
    assert stage["Properties"]["RouteSettings"] == {
        route.key: {
            "ThrottlingRateLimit": route.throttle.rate_limit,
            "ThrottlingBurstLimit": route.throttle.burst_limit,
        }
        for route in routes
        if route.throttle
    }
    post = stage["Properties"]["RouteSettings"]["POST /orders"]
    default = stage["Properties"]["DefaultRouteSettings"]
    assert post["ThrottlingRateLimit"] < default["ThrottlingRateLimit"]


@pytest.mark.parametrize(("service", "function"), [("orders", "api"), ("approvals", "decision")])
def test_public_functions_have_reserved_concurrency(
    synthesized: Synthesized, service: str, function: str
) -> None:
    declared = load_wiring(service).function(function).reserved_concurrency
    stack = synthesized.service(service)
    template = synthesized.template(stack.node.id)

    props = template["Resources"][logical_id(stack.built.functions[function])]["Properties"]

    assert declared is not None
    assert props["ReservedConcurrentExecutions"] == declared


def test_the_orders_catalogue_table_is_readable_by_the_api_only(synthesized: Synthesized) -> None:
    stack = synthesized.service("orders")
    template = synthesized.template(stack.node.id)
    table = logical_id(stack.built.tables["catalogue"])

    assert template["Resources"][table]["Properties"]["KeySchema"] == [
        {"AttributeName": "sku", "KeyType": "HASH"}
    ]
    for name in ("api", "outbox", "status"):
        touching = [
            s
            for s in role_statements(template, logical_id(stack.built.roles[name]))
            if table in references(s.get("Resource"))
        ]
        actions = {a for s in touching for a in as_list(s["Action"])}
        if name == "api":
            assert "dynamodb:BatchGetItem" in actions
            assert not {a for a in actions if a.startswith(("dynamodb:Put", "dynamodb:Update"))}
        else:
            assert actions == set()
