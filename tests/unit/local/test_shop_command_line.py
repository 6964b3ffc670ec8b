"""The ``shop`` command line: every verb finds a running stack the same way, a setting it
refuses is named without a traceback, and every verb has something to run."""

import argparse

import pytest

from local.cli import COMMANDS, build_parser, main

VERBS = (
    ["catalogue", "list"],
    ["customers", "token", "a@example.com"],
    ["dlq", "list"],
    ["keys", "rotate"],
    ["events", "tail"],
    ["orders", "list"],
)


@pytest.mark.parametrize("verb", VERBS, ids=" ".join)
@pytest.mark.parametrize("option", ["--moto-url", "--endpoint-url"])
def test_each_verb_takes_the_moto_endpoint_by_one_name_and_the_aws_clis(
    verb: list[str], option: str
) -> None:
    args = build_parser().parse_args([*verb, option, "http://127.0.0.1:6123"])

    assert args.moto_url == "http://127.0.0.1:6123"


@pytest.mark.parametrize("verb", VERBS, ids=" ".join)
def test_the_defaults_are_the_stack_that_shop_local_starts_with_the_same_settings(
    verb: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_LOCAL_MOTO_PORT", "6124")
    monkeypatch.setenv("SHOP_LOCAL_PREFIX", "shop-other")

    args = build_parser().parse_args(verb)

    assert args.moto_url == "http://127.0.0.1:6124"
    assert getattr(args, "prefix", "shop-other") == "shop-other"


@pytest.mark.parametrize("verb", [["orders", "list"], ["outbox"]], ids=" ".join)
def test_verbs_that_talk_to_the_http_gateway_find_it_from_the_same_settings(
    verb: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_LOCAL_PORT", "6125")

    assert build_parser().parse_args(verb).url == "http://127.0.0.1:6125"


def test_a_setting_the_defaults_refuse_is_named_and_nothing_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHOP_LOCAL_MOTO_PORT", "five thousand")

    assert main(["dlq", "list"]) == 2

    error = capsys.readouterr().err
    assert error.startswith("shop: SHOP_LOCAL_MOTO_PORT='five thousand': Input should be")
    assert "Traceback" not in error


def test_every_verb_on_the_command_line_has_something_to_run() -> None:
    parser = build_parser()
    verbs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))

    assert set(verbs.choices) == set(COMMANDS)
