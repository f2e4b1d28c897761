"""Nothing a pull request writes runs in CI, and no secret is read through a link.

Each test builds the hostile repository that the third hostile-input hunt found
(issue 20, points 1 and 2), runs the installed `factcmp` on it, and checks that no
command ran and no secret was printed, and that the honest answer still comes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from factcmp.load.provenance import provenance

EXE = shutil.which("factcmp") or "factcmp"
GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is needed")
CLAIMS = Path(__file__).resolve().parents[2] / "claims"
SECRET = "SECRET-TOKEN-4242"


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


def factcmp(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args], cwd=repo, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    """A claims repository with the sample claims, committed."""
    repo = tmp_path / "newsroom"
    (repo / "claims").mkdir(parents=True)
    for name in ("armenia.yaml", "azerbaijan.yaml", "topics.yaml"):
        shutil.copy(CLAIMS / name, repo / "claims" / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "claims")
    return repo


def pwn_script(repo: Path, mark: Path) -> str:
    """A command that leaves `mark` behind when it runs."""
    script = repo / "pwn.sh"
    script.write_text(f"#!/bin/sh\ntouch {mark}\ncat >/dev/null\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def commands_that_ask_git(repo: Path) -> list[list[str]]:
    return [
        ["brief", "armenia", "azerbaijan", "-o", str(repo.parent / "brief.md")],
        ["brief", "armenia", "azerbaijan", "--since", "HEAD"],
        ["changes", "--format", "json"],
        ["diff", "armenia", "azerbaijan", "--since", "HEAD"],
    ]


@pytest.mark.slow
def test_a_claims_folder_that_looks_like_a_bare_repository_is_not_one(
    newsroom: Path, tmp_path: Path
) -> None:
    """HEAD, objects/ and refs/ in claims/, with a config naming fsmonitor: git
    must never take claims/ for the repository (the brief's commit is the real
    repository's, and nothing runs)."""
    mark = tmp_path / "PWNED"
    claims = newsroom / "claims"
    head = git(newsroom, "rev-parse", "HEAD")
    (claims / "HEAD").write_text(head + "\n", encoding="utf-8")
    (claims / "objects" / "info").mkdir(parents=True)
    (claims / "objects" / "info" / "alternates").write_text("../../.git/objects\n")
    (claims / "refs" / "heads").mkdir(parents=True)
    (claims / "refs" / "heads" / ".keep").write_text("")
    (claims / "config").write_text(
        f'[core]\n\tworktree = ..\n\tfsmonitor = "{pwn_script(newsroom, mark)}"\n'
    )
    git(newsroom, "add", "-A")
    git(newsroom, "commit", "-q", "-m", "a pull request's files")
    commit = head  # the last commit that touched the claim files
    for args in commands_that_ask_git(newsroom):
        done = factcmp(newsroom, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert not mark.exists(), args
    brief = (tmp_path / "brief.md").read_text(encoding="utf-8")
    assert f"at commit `{commit[:12]}`" in brief  # the repository's own commit
    assert "uncommitted" not in brief
    assert provenance([str(claims / "armenia.yaml")]).commit == commit


@pytest.mark.slow
@pytest.mark.parametrize("key", ["core.fsmonitor", "core.hooksPath", "core.pager"])
def test_the_repositorys_own_config_runs_nothing(newsroom: Path, tmp_path: Path, key: str) -> None:
    mark = tmp_path / "PWNED"
    script = pwn_script(newsroom, mark)
    value = str(newsroom) if key == "core.hooksPath" else script
    if key == "core.hooksPath":
        for hook in ("post-index-change", "reference-transaction", "post-checkout"):
            shutil.copy(script, newsroom / hook)
    git(newsroom, "config", key, value)
    (newsroom / "claims" / "armenia.yaml").touch()  # stat-dirty: status would look
    for args in commands_that_ask_git(newsroom):
        done = factcmp(newsroom, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert not mark.exists(), (key, args)


@pytest.mark.slow
def test_a_clean_filter_named_by_gitattributes_never_runs(newsroom: Path, tmp_path: Path) -> None:
    mark = tmp_path / "PWNED"
    script = pwn_script(newsroom, mark)
    git(newsroom, "config", "filter.pwn.clean", script)
    git(newsroom, "config", "filter.pwn.smudge", script)
    git(newsroom, "config", "filter.pwn.process", script)
    git(newsroom, "config", "diff.pwn.textconv", script)
    (newsroom / ".gitattributes").write_text("*.yaml filter=pwn diff=pwn\n", encoding="utf-8")
    (newsroom / "claims" / "armenia.yaml").touch()
    for args in commands_that_ask_git(newsroom):
        done = factcmp(newsroom, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert not mark.exists(), args


def test_a_hooks_git_dir_does_not_redirect_git(newsroom: Path, tmp_path: Path) -> None:
    """Under a hook, git sets GIT_DIR and GIT_INDEX_FILE: factcmp still asks the
    repository that holds the claims."""
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    commit = git(newsroom, "rev-parse", "HEAD")
    env = {**os.environ, "GIT_DIR": str(other / ".git"), "GIT_WORK_TREE": str(other)}
    done = subprocess.run(
        [EXE, "brief", "armenia", "azerbaijan"],
        cwd=newsroom,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"at commit `{commit[:12]}`" in done.stdout


def test_uncommitted_changes_are_found_without_git_status(newsroom: Path) -> None:
    path = newsroom / "claims" / "armenia.yaml"
    files = [str(path), str(newsroom / "claims" / "azerbaijan.yaml")]
    assert provenance(files).dirty is False
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # autocrlf's checkout
    assert provenance(files).dirty is False
    path.write_bytes(path.read_bytes() + b"# an edit\r\n")
    assert provenance(files).dirty is True
    untracked = newsroom / "claims" / "russia.yaml"
    shutil.copy(CLAIMS / "russia.yaml", untracked)
    git(newsroom, "checkout", "-q", "--", "claims/armenia.yaml")
    assert provenance([*files, str(untracked)]).dirty is True


# -- point 2: links out of the repository ------------------------------------


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the repository, holding a secret (as /proc/self/environ does)."""
    path = tmp_path / "environ"
    path.write_text(f"TOKEN={SECRET}\nHOME=/root\n", encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("name", ["env.yaml", "topics.yaml", "sources.yaml"])
def test_a_link_out_of_the_repository_is_refused_never_read(
    newsroom: Path, secret: Path, name: str
) -> None:
    link = newsroom / "claims" / name
    link.unlink(missing_ok=True)
    link.symlink_to(secret)
    checked = factcmp(newsroom, "check")
    assert checked.returncode == 1
    assert f"claims/{name}:1:1: error: claims/{name} is a link to {secret}" in checked.stdout
    assert "[link-outside]" in checked.stdout
    for args in (["check"], ["check", "--format", "json"], ["diff"], ["brief"], ["timeline"]):
        done = factcmp(newsroom, *args)
        assert SECRET not in done.stdout + done.stderr, args
        assert "Traceback" not in done.stderr, args
    everything = factcmp(newsroom, "diff")
    assert everything.returncode == 2
    assert f"claims/{name} is a link to {secret}, outside the repository" in everything.stderr
    findings = json.loads(factcmp(newsroom, "check", "--format", "json").stdout)["findings"]
    assert [f["rule"] for f in findings] == ["link-outside"]


def test_a_link_out_leaves_the_other_sides_usable_and_a_named_file_is_read(
    newsroom: Path, secret: Path
) -> None:
    (newsroom / "claims" / "env.yaml").symlink_to(secret)
    assert factcmp(newsroom, "diff", "armenia", "azerbaijan").returncode == 0
    refused = factcmp(newsroom, "diff", "armenia", "env")
    assert refused.returncode == 2
    assert "outside the repository" in refused.stderr
    outside = newsroom.parent / "elsewhere.yaml"
    shutil.copy(CLAIMS / "russia.yaml", outside)
    named = factcmp(newsroom, "diff", "armenia", str(outside))  # on purpose: read
    assert named.returncode == 0, named.stderr
    assert factcmp(newsroom, "check", str(outside)).returncode in (0, 1)


def test_a_link_inside_the_repository_is_followed(newsroom: Path) -> None:
    data = newsroom / "data"
    data.mkdir()
    shutil.move(newsroom / "claims" / "armenia.yaml", data / "armenia.yaml")
    (newsroom / "claims" / "armenia.yaml").symlink_to("../data/armenia.yaml")
    assert factcmp(newsroom, "check").returncode == 0
    assert factcmp(newsroom, "diff", "armenia", "azerbaijan").returncode == 0


def test_without_git_the_claims_folders_parent_is_the_limit(tmp_path: Path, secret: Path) -> None:
    project = tmp_path / "project"
    (project / "claims").mkdir(parents=True)
    for name in ("armenia.yaml", "azerbaijan.yaml"):
        shutil.copy(CLAIMS / name, project / "claims" / name)
    (project / "notes").mkdir()
    shutil.copy(CLAIMS / "russia.yaml", project / "notes" / "russia.yaml")
    (project / "claims" / "russia.yaml").symlink_to("../notes/russia.yaml")
    assert factcmp(project, "diff").returncode == 0  # inside the project: followed
    (project / "claims" / "env.yaml").symlink_to(secret)
    done = factcmp(project, "diff")
    assert done.returncode == 2
    assert "outside the repository" in done.stderr
    assert SECRET not in done.stdout + done.stderr
