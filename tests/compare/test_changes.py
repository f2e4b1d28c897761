"""`factcmp changes`: claims and verdicts that changed between git revisions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

EXE = shutil.which("factcmp") or "factcmp"
GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is needed")

HEAD = """\
factcmp: 1
side: {{name: {name}}}
sources:
  wire: {{outlet: Wire, url: "https://example.org/1", published: 2022-09-20}}
claims:
"""
CLAIM = """\
  - id: {id}
    topic: {topic}
    text: {text}
    source: wire
    said: {said}
{facets}"""


def claim(id: str, topic: str, said: str = "2022-09-13", **facets: str) -> str:
    lines = "".join(f"    {k}: {v}\n" for k, v in facets.items())
    return CLAIM.format(id=id, topic=topic, text=f"Claim {id}.", said=said, facets=lines)


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def commit(repo: Path, files: dict[str, str], message: str) -> str:
    claims = repo / "claims"
    claims.mkdir(exist_ok=True)
    for name in [p.name for p in claims.glob("*.yaml")]:
        if name not in files:
            (claims / name).unlink()
    for name, text in files.items():
        (claims / name).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, list[str]]:
    """Three commits: a count rises and a new denial turns an agreement into a
    contradiction; then a claim is removed and a file added."""
    repo = tmp_path / "newsroom"
    repo.mkdir()
    git(repo, "init", "-q")
    a1 = HEAD.format(name="North") + claim("n-killed", "killed", count="49", subject="north")
    a1 += claim("n-talks", "talks", stance="affirms") + claim("n-old", "old", actor="south")
    b1 = HEAD.format(name="South") + claim("s-talks", "talks", stance="affirms")
    first = commit(repo, {"north.yaml": a1, "south.yaml": b1}, "first")
    a2 = a1.replace("count: 49", "count: 105")
    b2 = b1 + claim("s-talks-no", "talks", said="2022-09-14", stance="denies")
    second = commit(repo, {"north.yaml": a2, "south.yaml": b2}, "second")
    a3 = a2.split("  - id: n-old")[0]
    c3 = HEAD.format(name="West") + claim("w-killed", "killed", count="100", subject="north")
    third = commit(repo, {"north.yaml": a3, "south.yaml": b2, "west.yaml": c3}, "third")
    return repo, [first, second, third]


def changes(repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [EXE, "changes", *args, "--format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_a_count_rising_and_a_new_denial(repo: tuple[Path, list[str]]) -> None:
    folder, (first, second, _) = repo
    code, data = changes(folder, f"{first}..{second}", "--exit-code")
    assert code == 1  # a verdict changed
    assert data["since"] == {"rev": first, "commit": first, "date": data["since"]["date"]}
    assert data["until"]["commit"] == second
    claims = data["claims"]
    assert claims["added"] == [{"side": "south", "id": "s-talks-no", "topic": "talks"}]
    assert claims["removed"] == []
    assert claims["changed"] == [
        {"side": "north", "id": "n-killed", "topic": "killed", "fields": ["count"]}
    ]
    assert data["topics"] == [{"topic": "talks", "before": "agreement", "after": "contradiction"}]


def test_a_claim_removed_and_a_file_added(repo: tuple[Path, list[str]]) -> None:
    folder, (_, second, third) = repo
    code, data = changes(folder, f"{second}..{third}", "--exit-code")
    claims = data["claims"]
    assert claims["removed"] == [{"side": "north", "id": "n-old", "topic": "old"}]
    assert claims["added"] == [{"side": "west", "id": "w-killed", "topic": "killed"}]
    assert claims["changed"] == []
    topics = {t["topic"]: (t["before"], t["after"]) for t in data["topics"]}
    assert topics["old"] == ("one-sided", None)  # a topic gone
    assert topics["killed"][1] == "contradiction"  # west's 100 beside north's 105
    assert code == 1


def test_the_table_says_it_in_words(repo: tuple[Path, list[str]]) -> None:
    folder, (first, second, _) = repo
    done = subprocess.run(
        [EXE, "changes", f"{first}..{second}"], cwd=folder, capture_output=True, text=True
    )
    assert done.returncode == 0
    assert "count 49 → 105" in done.stdout
    assert "Talks (talks): ✓ agreement → ✗ contradiction" in done.stdout


@pytest.mark.slow
def test_a_revision_against_itself_is_empty(repo: tuple[Path, list[str]]) -> None:
    folder, commits = repo
    for rev in [*commits, "HEAD", "HEAD~1"]:
        code, data = changes(folder, f"{rev}..{rev}", "--exit-code")
        assert code == 0
        assert data["claims"] == {"added": [], "removed": [], "changed": []}
        assert data["topics"] == []
    code, data = changes(folder)  # HEAD against a clean working tree
    assert (code, data["topics"], data["until"]) == (0, [], None)


def test_the_working_tree_against_head(repo: tuple[Path, list[str]]) -> None:
    folder, _ = repo
    path = folder / "claims" / "north.yaml"
    path.write_text(path.read_text().replace("count: 105", "count: 135"))
    _, data = changes(folder)
    assert data["claims"]["changed"][0]["fields"] == ["count"]
    assert data["since"]["rev"] == "HEAD"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuchrev"], "no revision 'nosuchrev'"),
        (["--", "--output=x"], "is not a revision"),
    ],
)
def test_bad_revisions_exit_2(repo: tuple[Path, list[str]], args: list[str], message: str) -> None:
    folder, _ = repo
    done = subprocess.run([EXE, "changes", *args], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_no_repository_and_a_shallow_clone(repo: tuple[Path, list[str]], tmp_path: Path) -> None:
    folder, (first, _, _) = repo
    plain = tmp_path / "plain"
    shutil.copytree(folder / "claims", plain / "claims")
    done = subprocess.run([EXE, "changes"], cwd=plain, capture_output=True, text=True)
    assert done.returncode == 2
    assert "not in a git repository" in done.stderr
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{folder}", str(shallow)],
        check=True,
        capture_output=True,
    )
    done = subprocess.run([EXE, "changes", first], cwd=shallow, capture_output=True, text=True)
    assert done.returncode == 2
    assert "shallow clone" in done.stderr


@pytest.mark.slow
def test_diff_and_brief_since(repo: tuple[Path, list[str]]) -> None:
    folder, (first, _, _) = repo
    done = subprocess.run(
        [EXE, "diff", "--since", first], cwd=folder, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "count 49 → 105" in done.stdout
    assert "✓ agreement → ✗ contradiction" in done.stdout
    brief = subprocess.run(
        [EXE, "brief", "--since", first, "--date", "2022-09-30"],
        cwd=folder,
        capture_output=True,
        text=True,
    ).stdout
    sections = [line for line in brief.splitlines() if line.startswith("## ")]
    assert sections[0] == f"## What changed since {first[:12]} ({sections[0][-11:-1]})"
    assert "- **Talks**: agreement → **contradiction**" in brief
    assert "- Changed: North, claim n-killed on killed: count 49 → 105" in brief
    refused = subprocess.run(
        [EXE, "diff", "--since", first, "--format", "json"], cwd=folder, capture_output=True
    )
    assert refused.returncode == 2
    unknown = subprocess.run(
        [EXE, "brief", "--since", "nosuchrev"], cwd=folder, capture_output=True, text=True
    )
    assert unknown.returncode == 2
    assert "no revision 'nosuchrev'" in unknown.stderr


def test_across_two_commits_at_once(repo: tuple[Path, list[str]]) -> None:
    """first..third is first..second and second..third together, where they do not
    undo each other."""
    folder, (first, _, third) = repo
    _, data = changes(folder, f"{first}..{third}")
    claims = data["claims"]
    assert {(c["side"], c["id"]) for c in claims["added"]} == {
        ("south", "s-talks-no"),
        ("west", "w-killed"),
    }
    assert claims["removed"] == [{"side": "north", "id": "n-old", "topic": "old"}]
    assert claims["changed"] == [
        {"side": "north", "id": "n-killed", "topic": "killed", "fields": ["count"]}
    ]
    topics = {t["topic"]: (t["before"], t["after"]) for t in data["topics"]}
    assert topics == {
        "talks": ("agreement", "contradiction"),
        "killed": ("one-sided", "contradiction"),
        "old": ("one-sided", None),
    }
    assert [t["topic"] for t in data["topics"]][-1] == "old"  # new contradictions first


def test_a_side_file_deleted_since_is_reported_gone_with_its_verdicts(
    repo: tuple[Path, list[str]],
) -> None:
    """Deleting south.yaml turns talks' contradiction into one-sided: that must be
    said, not "Nothing changed"."""
    folder, _ = repo
    (folder / "claims" / "south.yaml").unlink()
    code, data = changes(folder, "--exit-code")
    assert code == 1
    assert {(c["side"], c["id"]) for c in data["claims"]["removed"]} == {
        ("south", "s-talks"),
        ("south", "s-talks-no"),
    }
    assert data["files"]["removed"] == ["claims/south.yaml"]
    topics = {t["topic"]: (t["before"], t["after"]) for t in data["topics"]}
    assert topics["talks"] == ("contradiction", "one-sided")
    table = subprocess.run([EXE, "changes"], cwd=folder, capture_output=True, text=True)
    assert "claims/south.yaml (gone: its claims are removed)" in table.stdout
    assert "Nothing changed" not in table.stdout


def test_a_side_file_renamed_is_named_renamed_not_all_added(
    repo: tuple[Path, list[str]],
) -> None:
    folder, _ = repo
    git(folder, "mv", "claims/north.yaml", "claims/northland.yaml")
    _, uncommitted = changes(folder)
    git(folder, "commit", "-q", "-m", "renamed")
    _, committed = changes(folder, "HEAD~1..HEAD")
    for data in (uncommitted, committed):
        assert data["files"]["renamed"] == [
            {
                "before": "claims/north.yaml",
                "after": "claims/northland.yaml",
                "was": "north",
                "side": "northland",
            }
        ]
        assert data["claims"] == {"added": [], "removed": [], "changed": []}
        assert data["files"]["added"] == data["files"]["removed"] == []
    table = subprocess.run([EXE, "changes", "HEAD~1..HEAD"], cwd=folder, capture_output=True,
                           text=True)  # fmt: skip
    assert "claims/north.yaml → claims/northland.yaml (renamed)" in table.stdout


@pytest.mark.slow
def test_a_claim_file_moved_behind_a_link_is_the_same_file(
    repo: tuple[Path, list[str]],
) -> None:
    """Today's link is not read back into the old revision, and a revision's link is
    followed in its own tree, never parsed as YAML."""
    folder, _ = repo
    data_dir = folder / "data"
    data_dir.mkdir()
    shutil.move(folder / "claims" / "north.yaml", data_dir / "north.yaml")
    (folder / "claims" / "north.yaml").symlink_to("../data/north.yaml")
    code, data = changes(folder, "--exit-code")
    assert (code, data["claims"], data["topics"]) == (
        0,
        {"added": [], "removed": [], "changed": []},
        [],
    )
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "behind a link")
    for args in (["HEAD~1..HEAD"], ["HEAD"], ["HEAD..HEAD~1"]):
        code, data = changes(folder, *args, "--exit-code")
        assert (code, data["claims"]["added"], data["claims"]["removed"]) == (0, [], []), args


def test_a_revisions_link_out_of_the_repository_is_refused(
    repo: tuple[Path, list[str]], tmp_path: Path
) -> None:
    folder, _ = repo
    secret = tmp_path / "environ"
    secret.write_text("TOKEN=SECRET-4242\n")
    (folder / "claims" / "leak.yaml").symlink_to(secret)
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "a link out")
    (folder / "claims" / "leak.yaml").unlink()
    done = subprocess.run([EXE, "changes"], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 2
    assert "leak.yaml" in done.stderr
    assert "outside the repository" in done.stderr
    assert "SECRET" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_three_dots_compare_with_where_the_branches_forked(
    repo: tuple[Path, list[str]],
) -> None:
    folder, (first, second, third) = repo
    code, data = changes(folder, "HEAD...HEAD~1")  # was: no revision '.HEAD~1'
    assert code == 0
    assert data["since"]["commit"] == second  # the merge base of HEAD and HEAD~1
    assert data["claims"] == {"added": [], "removed": [], "changed": []}
    git(folder, "checkout", "-q", "-b", "side-branch", second)
    path = folder / "claims" / "north.yaml"
    path.write_text(path.read_text().replace("count: 105", "count: 200"))
    git(folder, "commit", "-q", "-am", "on a branch")
    _, data = changes(folder, f"{third}...side-branch")
    assert data["since"]["commit"] == second
    assert data["claims"]["changed"] == [
        {"side": "north", "id": "n-killed", "topic": "killed", "fields": ["count"]}
    ]
    assert data["claims"]["added"] == data["claims"]["removed"] == []  # not third's
    _, two_dots = changes(folder, f"{first}..{third}")
    _, three_dots = changes(folder, f"{first}...{third}")
    assert two_dots["claims"] == three_dots["claims"]
