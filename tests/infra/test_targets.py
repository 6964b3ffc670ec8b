"""The emulator target's adaptations (infra/targets.py) still apply to the AWS app.

An adaptation leaves something out for the emulator; when the AWS app no longer has that
thing (renamed, replaced, removed), the adaptation is dead weight and this fails. Whether the
emulator still needs it is the deploy check's question (tests/deploy/test_adaptations.py).
"""

from __future__ import annotations

import pytest

from infra.config import DeployConfig
from infra.targets import ADAPTATIONS, Adaptation, Target
from tests.infra.conftest import Synthesized

pytestmark = pytest.mark.infra


def test_the_app_deploys_to_aws_unless_told_otherwise() -> None:
    chosen = DeployConfig.from_lookup(lambda _key: None)

    assert chosen.target is Target.AWS
    assert not any(chosen.leaves_out(a) for a in ADAPTATIONS[Target.MINISTACK])


def test_the_emulator_target_leaves_out_exactly_its_adaptations() -> None:
    context = {"target": "ministack"}
    chosen = DeployConfig.from_lookup(context.get)

    assert all(chosen.leaves_out(a) for a in ADAPTATIONS[Target.MINISTACK])


@pytest.mark.parametrize("adaptation", ADAPTATIONS[Target.MINISTACK], ids=lambda a: a.key)
def test_every_adaptation_leaves_out_something_the_aws_app_has(
    synthesized: Synthesized, adaptation: Adaptation
) -> None:
    found = {
        resource["Type"]
        for template in synthesized.templates().values()
        for resource in template.get("Resources", {}).values()
        if adaptation.applies_to(resource)
    }

    assert found == set(adaptation.resource_types), (
        f"the AWS app no longer has every {adaptation.resource_types} the {adaptation.key!r} "
        "adaptation leaves out: drop or narrow it in infra/targets.py"
    )
