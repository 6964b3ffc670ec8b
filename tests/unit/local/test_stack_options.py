"""Every ``shop`` verb that talks to a running stack's AWS finds it the same way."""

import pytest

from local.cli import build_parser

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
