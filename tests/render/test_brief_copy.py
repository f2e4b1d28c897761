"""The words of a brief, as an editor would have to stand behind them: who said it,
capitals after "said that", punctuation, no invisible characters, readable tables.

Checked on the sample, on the curated Galwan Valley files (tests/fixtures/galwan)
and on made-up files built to hit every rule (tests/fixtures/brief-copy).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcmp.cli import main
from tests.conftest import CLAIMS, REPO
from tests.helpers import ALLOWED_TAGS, brief, parse

FIXTURES = REPO / "tests" / "fixtures"
BRIEFS = {
    "sample": (CLAIMS, ["armenia", "azerbaijan", "russia"]),
    "galwan": (FIXTURES / "galwan" / "claims", ["india", "china", "russia", "tass"]),
    "copy": (FIXTURES / "brief-copy" / "claims", ["north", "south"]),
}
# Words that may open a claim after "said that" with a capital: names and acronyms
NAMES = {
    "Armenia", "Azerbaijan", "Azerbaijani", "Armenian", "Armenia's", "Moscow", "NATO",
    "UN", "India's", "Indian", "China", "Chinese", "Russia", "Northland", "I", "Border",
    "First",
}  # fmt: skip
_THAT = re.compile(r" said(?: on [^.]*?)? that (\S+)")


def brief_of(name: str) -> str:
    folder, sides = BRIEFS[name]
    return brief("--claims-dir", str(folder), *sides, "--date", "2024-07-01", cwd=REPO)


@pytest.fixture(scope="module", params=sorted(BRIEFS))
def text(request: pytest.FixtureRequest) -> str:
    return brief_of(request.param)


def test_no_capital_after_that_but_names_and_acronyms(text: str) -> None:
    openers = [m.group(1).strip(",;:") for m in _THAT.finditer(text)]
    assert openers
    capitals = {w for w in openers if w[:1].isupper()}
    assert capitals <= NAMES, capitals - NAMES


def test_no_doubled_punctuation(text: str) -> None:
    visible = "".join(parse(text).text)
    assert not re.search(r"[.!?…,;:][”\"’)]*\.(?![.\d])", visible.replace("...", "…"))
    assert not re.search(r"[,;:]”", visible)


def test_no_invisible_characters(text: str) -> None:
    for number, char in enumerate(text):
        assert unicodedata.category(char) != "Cf", (number, hex(ord(char)))
        assert char in "\n" or unicodedata.category(char)[0] != "C", (number, hex(ord(char)))


def test_renders_in_github_markdown(text: str) -> None:
    page = parse(text)
    assert set(page.tags) <= ALLOWED_TAGS, set(page.tags) - ALLOWED_TAGS
    assert not page.comments
    (table,) = page.tables
    assert len(set(table)) == 1  # every row has all its cells


def test_speakers_are_named_the_way_a_wire_story_names_them() -> None:
    out = brief_of("copy")
    for expected in (
        "Prime Minister Dana Lee said on 16 June 2024 at 21:30 that on 15 June,",
        "Sam Roe, spokesperson of the Ministry of Foreign Affairs, said on 19 June 2024",
        "Kim Park, Minister of State for Roads and Highways, said on 20 June 2024",
        "Ali Vance (Adviser, former Chief of the General Staff) said",
        "The Northland Army said on 18 June 2024 that making such claims",
        "The Northland Ministry of Defence said on 18 June 2024 that Moscow will",
        "Minister Jane Doe said on 19 June 2024 that a soldier died.",
        "John Roe, Minister of Defence, said on 19 June 2024 that Border Security Force "
        "troops fired first.",
        "Lt. Gen. Max Ode said on 19 June 2024 that First Minister Ann Lee called for calm.",
    ):
        assert expected in out, expected


def test_quotes_and_texts_keep_their_own_end_punctuation() -> None:
    out = brief_of("copy")
    assert "Quoted: “If 20 were killed on our side, there would be double on theirs”." in out
    assert "Quoted: “Did they see it?”\n" in out
    assert "Quoted: “Since April they have built roads.”\n" in out
    assert "UN monitors are on their way… Quoted: “We expect them soon…”\n" in out
    assert "nor was any post captured.”\n" in out


def test_handles_and_references_are_code_not_links_and_invisibles_are_gone() -> None:
    out = brief_of("copy")
    assert "a post by `@DrLee` on the ministry's account, see `#12`." in out
    page = parse(out)
    assert not [href for href in page.links if "DrLee" in href]


def test_the_overview_says_who_says_what_and_each_pairs_verdict() -> None:
    out = brief_of("galwan")
    row = next(line for line in out.splitlines() if line.startswith("| Casualties of"))
    assert "| 20 for India (Indian Army, 16 Jun 2020); at least 40 for China (V. K. Singh" in row
    assert "| at least 20 for India (TASS, 10 Feb 2021); at least 45 for China (TASS," in row
    assert "actor " not in row  # no facet lists
    assert "count " not in row
    assert row.endswith("| contradiction (India–China ✗, India–TASS ≠, China–TASS ✗) |")
    row = next(line for line in out.splitlines() if line.startswith("| Who started"))
    assert (
        "| The Chinese side took pre-meditated and planned… (S. Jaishankar, 17 Jun 2020) |" in row
    )


def test_history_says_what_each_claim_is() -> None:
    out = brief_of("galwan")
    assert (
        "- **China** (earlier denial, replaced by a later figure; not compared): Zhao Lijian, "
        "spokesperson of the Ministry of Foreign Affairs, said on 23 June 2020" in out
    )
    assert "- **India** (superseded; not compared): The Indian Army said on 16 June 2020" in out


def test_a_topics_description_is_not_in_the_brief(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "claims"
    shutil.copytree(CLAIMS, folder)
    topics = folder / "topics.yaml"
    topics.write_text(
        topics.read_text(encoding="utf-8").replace(
            "    label: Military deaths\n",
            "    label: Military deaths\n    description: NOTE TO SELF check the toll\n",
        ),
        encoding="utf-8",
    )
    out = brief("--claims-dir", str(folder), "armenia", "azerbaijan", cwd=tmp_path)
    assert "Military deaths" in out
    assert "NOTE TO SELF" not in out


def test_a_topics_claim_is_stated_as_at_issue_not_as_a_heading() -> None:
    out = brief_of("galwan")
    assert "### Sovereignty over the Galwan Valley\n\n" in out
    assert "*At issue:* whether the Galwan Valley is Chinese territory.\n" in out
    assert "### The Galwan Valley is Chinese territory" not in out
    assert (
        "*Why a contradiction:* China affirms (Zhao Lijian, 17 Jun 2020; Zhao Lijian, 19 Jun "
        "2020) / India denies (Anurag Srivastava, 18 Jun 2020; Ministry of External Affairs "
        "of India, 20 Jun 2020): the Galwan Valley is Chinese territory.\n"
    ) in out


def test_an_air_force_or_a_navy_takes_the_article() -> None:
    """From the Balakot fixture: "the Indian Air Force said", not "Indian Air Force said"."""
    result = CliRunner().invoke(
        main,
        [
            "brief",
            "--claims-dir",
            str(REPO / "tests/fixtures/balakot/claims"),
            "--date",
            "2019-03-10",
        ],
    )
    assert result.exit_code == 0
    text = result.output.lower()
    assert "the indian air force said" in text
    assert " indian air force said" not in text.replace("the indian air force said", "")
