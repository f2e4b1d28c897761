"""`factcmp init`: a claims repository that checks clean, with CI and pre-commit."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

EXE = shutil.which("factcmp") or "factcmp"


def factcmp(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    done = factcmp("init", "galwan", "--sides", "india,china,tass", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "galwan"


def test_the_new_repository_checks_clean(repo: Path) -> None:
    assert sorted(p.name for p in (repo / "claims").iterdir()) == [
        "china.yaml",
        "india.yaml",
        "sources.yaml",
        "tass.yaml",
        "topics.yaml",
    ]
    done = factcmp("check", "--strict", cwd=repo)
    assert (done.returncode, done.stdout) == (0, "5 files checked: no problems\n")
    assert factcmp("diff", cwd=repo).returncode == 0


def test_the_workflow_runs_real_commands(repo: Path) -> None:
    workflow = yaml.safe_load((repo / ".github/workflows/factcmp.yml").read_text())
    runs = [step["run"] for job in workflow["jobs"].values() for step in job["steps"]
            if "run" in step]  # fmt: skip
    commands = [shlex.split(run) for run in runs if run.startswith("factcmp ")]
    assert {c[1] for c in commands} == {"check", "brief", "sources"}
    for words in commands:
        name = [w for w in words[1:] if not w.startswith("-")][:2]
        name = name[:2] if name[0] == "sources" else name[:1]
        assert factcmp(*name, "--help", cwd=repo).returncode == 0, words
    assert factcmp("brief", "india", "china", "tass", "-o", "brief.md", cwd=repo).returncode == 0


def test_pre_commit_accepts_the_config(repo: Path) -> None:
    exe = shutil.which("pre-commit")
    if not exe:
        pytest.skip("pre-commit is needed")
    done = subprocess.run(
        [exe, "validate-config", ".pre-commit-config.yaml"], cwd=repo, capture_output=True
    )
    assert done.returncode == 0, done.stdout
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    [hook] = config["repos"][0]["hooks"]
    assert hook["entry"] == "factcmp check"


def test_existing_files_are_kept(repo: Path) -> None:
    india = repo / "claims" / "india.yaml"
    india.write_text("# mine\n" + india.read_text())
    before = india.read_bytes()
    done = factcmp("init", ".", "--sides", "india,china,tass", cwd=repo)
    assert done.returncode == 2
    assert "claims/india.yaml exists" in done.stderr
    assert "nothing written" in done.stderr
    assert india.read_bytes() == before
    assert factcmp("init", ".", "--sides", "india,china,tass", "--force", cwd=repo).returncode == 0
    assert not india.read_text().startswith("# mine")


@pytest.mark.parametrize("sides", ["india", "India,China", "a,a", "a/b,c"])
def test_bad_sides_are_a_usage_error(tmp_path: Path, sides: str) -> None:
    done = factcmp("init", "x", "--sides", sides, cwd=tmp_path)
    assert done.returncode == 2
    assert "--sides" in done.stderr
    assert not (tmp_path / "x").exists()


def test_editors_get_the_schemas(repo: Path) -> None:
    import json

    settings = json.loads((repo / ".vscode/settings.json").read_text())
    schemas = settings["yaml.schemas"]
    assert schemas[".factcmp/sources-file.schema.json"] == ["claims/sources.yaml"]
    assert "!claims/sources.yaml" in schemas[".factcmp/claim-file.schema.json"]
    for path in schemas:
        assert (repo / path).is_file()
        json.loads((repo / path).read_text())


@pytest.mark.slow
def test_every_new_file_is_valid_under_the_schema_its_editor_gets(repo: Path) -> None:
    """The same check an editor makes, with check-jsonschema: the YAML language
    server would flag nothing in the files a newcomer starts from."""
    import json

    schemas = json.loads((repo / ".vscode/settings.json").read_text())["yaml.schemas"]
    claims = sorted((repo / "claims").glob("*.yaml"))
    for schema, patterns in schemas.items():
        excluded = {repo / p[1:] for p in patterns if p.startswith("!")}
        files = [
            path
            for path in claims
            if path not in excluded
            and any(path.match(str(repo / p)) for p in patterns if not p.startswith("!"))
        ]
        assert files, schema
        done = subprocess.run(
            ["check-jsonschema", "--schemafile", str(repo / schema), *map(str, files)],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr
