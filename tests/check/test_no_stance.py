"""`check` on a topic that states its claim (issue 22, point 3): a claim there that gives
no `stance` is warned of (`no-stance`), at the claim, naming the proposition and the
three values; and such a topic is not one of facets two sides cannot be compared on."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from factcmp.cli import main

STANCES = Path(__file__).resolve().parents[1] / "fixtures" / "stances" / "claims"


def check(*args: str) -> tuple[int, list[dict[str, object]]]:
    result = CliRunner().invoke(
        main, ["check", *args, "--format", "json"], env={"GITHUB_ACTIONS": ""}
    )
    data = json.loads(result.output)
    return result.exit_code, data["findings"]


def test_a_claim_without_stance_on_a_stated_topic_is_warned_of_at_the_claim() -> None:
    code, found = check(str(STANCES))
    assert code == 0  # warnings only
    warned = [(Path(str(f["file"])).name, f["line"], f["col"], f["severity"]) for f in found]
    assert sorted(warned) == [
        ("eastland.yaml", 15, 5, "warning"),
        ("eastland.yaml", 28, 5, "warning"),
        ("wire-desk.yaml", 13, 5, "warning"),
        ("wire-desk.yaml", 19, 5, "warning"),
    ]
    assert {f["rule"] for f in found} == {"no-stance"}
    (first,) = [f for f in found if f["line"] == 15]
    assert first["message"] == (
        "claim `misfire-1019` gives no `stance` on topic `blast.cause`, which states a "
        "claim, and is taken to affirm it: say whether it affirms, denies or leaves "
        "undetermined: A misfired Southland rocket caused the blast at the hospital"
    )


def test_a_claim_without_stance_elsewhere_is_not_warned_of(tmp_path: Path) -> None:
    (tmp_path / "topics.yaml").write_text(
        "factcmp: 1\ntopics:\n  t: {label: T, claim: '  '}\n  u: {label: U}\n", encoding="utf-8"
    )
    (tmp_path / "red.yaml").write_text(
        "factcmp: 1\nside: {name: Red}\nclaims:\n"
        "  - {id: a, topic: t, text: x}\n  - {id: b, topic: u, text: y}\n",
        encoding="utf-8",
    )
    assert check(str(tmp_path)) == (0, [])


def test_a_stated_topic_is_not_a_facet_mismatch(tmp_path: Path) -> None:
    (tmp_path / "topics.yaml").write_text(
        "factcmp: 1\ntopics:\n  t: {label: T, claim: The rocket misfired}\n", encoding="utf-8"
    )
    for name, facet in (("red", "count: 5"), ("blue", "actor: red")):
        (tmp_path / f"{name}.yaml").write_text(
            f"factcmp: 1\nside: {{name: {name}}}\nclaims:\n"
            f"  - {{id: a, topic: t, text: x, stance: affirms, {facet}}}\n",
            encoding="utf-8",
        )
    assert check(str(tmp_path)) == (0, [])
    (tmp_path / "topics.yaml").write_text(
        "factcmp: 1\ntopics:\n  t: {label: T}\n", encoding="utf-8"
    )
    _, found = check(str(tmp_path))
    assert [f["rule"] for f in found] == ["facet-mismatch"]


def test_an_undetermined_claim_makes_stance_decide(tmp_path: Path) -> None:
    for name, facet in (("red", "count: 5, stance: undetermined"), ("blue", "actor: red")):
        (tmp_path / f"{name}.yaml").write_text(
            f"factcmp: 1\nside: {{name: {name}}}\nclaims:\n"
            f"  - {{id: a, topic: t, text: x, {facet}}}\n",
            encoding="utf-8",
        )
    assert check(str(tmp_path)) == (0, [])
