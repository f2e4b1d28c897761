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


# --- issue 20: what init writes is what its own check accepts ----------------------


def test_side_ids_that_yaml_would_misread_are_quoted_and_check_clean(tmp_path: Path) -> None:
    """`name: Yes`, `name: Null`, `name: On` are a yes/no value and nothing to YAML:
    init writes them in quotes, and the new repository checks clean."""
    done = factcmp("init", "x", "--sides", "null,yes,on,off,no,1,y", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    repo = tmp_path / "x"
    names = {
        path.stem: yaml.safe_load(path.read_text())["side"]["name"]
        for path in (repo / "claims").glob("*.yaml")
        if path.stem not in ("topics", "sources")
    }
    assert names == {"null": "Null", "yes": "YES", "on": "ON", "off": "OFF", "no": "NO", "1": "1",
                     "y": "Y"}  # fmt: skip
    assert '  name: "Y"' in (repo / "claims" / "y.yaml").read_text()  # `y` is yes in YAML 1.1
    done = factcmp("check", "--strict", cwd=repo)
    assert (done.returncode, done.stdout) == (0, "9 files checked: no problems\n"), done.stdout


@pytest.mark.parametrize("sides", ["topics,sources", "india,topics", "sources,china"])
def test_a_side_named_as_topics_or_sources_is_refused(tmp_path: Path, sides: str) -> None:
    """claims/topics.yaml and claims/sources.yaml are not sides' files: a side of that
    name would be written as one and then overwritten by the template (or read as
    the topics file)."""
    done = factcmp("init", "x", "--sides", sides, cwd=tmp_path)
    assert done.returncode == 2
    assert "--sides" in done.stderr
    assert "claims/topics.yaml holds the topics' labels" in " ".join(done.stderr.split())
    assert not (tmp_path / "x").exists()


def test_short_ids_stay_in_capitals_and_the_curator_is_told_to_check_the_names(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from factcmp.cli import main

    done = CliRunner().invoke(
        main, ["init", str(tmp_path / "x"), "--sides", "hrw,uk,us,south-ossetia,bank-of-china"]
    )
    assert done.exit_code == 0, done.output
    claims = tmp_path / "x" / "claims"
    names = [
        yaml.safe_load((claims / f"{side}.yaml").read_text())["side"]["name"]
        for side in ("hrw", "uk", "us", "south-ossetia", "bank-of-china")
    ]
    assert names == ["HRW", "UK", "US", "South Ossetia", "Bank of China"]
    assert "hrw: HRW" in done.output
    assert "check them" in done.output
    assert "write the side's name as readers should see it" in (claims / "hrw.yaml").read_text()
    readme = (tmp_path / "x" / "README.md").read_text()
    assert readme.startswith("# Claims: HRW vs UK vs US vs South Ossetia vs Bank of China\n")


@pytest.mark.parametrize("force", [False, True])
def test_a_link_is_never_replaced_dangling_or_not(tmp_path: Path, force: bool) -> None:
    """A dangling link was replaced by the new file; a link (to a file or to nothing)
    is refused and named, with --force too, and nothing is written."""
    repo = tmp_path / "x"
    (repo / "claims").mkdir(parents=True)
    (repo / "README.md").symlink_to(tmp_path / "nowhere")
    (tmp_path / "mine.yaml").write_text("# mine\n")
    (repo / "claims" / "india.yaml").symlink_to(tmp_path / "mine.yaml")
    done = factcmp("init", "x", "--sides", "india,china", *(["--force"] if force else []),
                   cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2, done.stdout
    assert "x/README.md is a dangling symbolic link" in done.stderr
    assert "x/claims/india.yaml is a symbolic link" in done.stderr
    assert "nothing written" in done.stderr
    assert (repo / "README.md").is_symlink()
    assert not (tmp_path / "nowhere").exists()
    assert (tmp_path / "mine.yaml").read_text() == "# mine\n"
    assert sorted(p.name for p in (repo / "claims").iterdir()) == ["india.yaml"]


def test_a_file_that_appears_meanwhile_is_never_replaced(tmp_path: Path) -> None:
    """init checks what is in the way, then writes each file only as a new one: a
    file (or a dangling link) made between the two is kept."""
    from factcmp.atomic import create_atomic

    (tmp_path / "a.yaml").write_text("# mine\n")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "nowhere")
    for name in ("a.yaml", "b.yaml"):
        with pytest.raises(FileExistsError):
            create_atomic(tmp_path / name, "new\n")
    assert (tmp_path / "a.yaml").read_text() == "# mine\n"
    assert not (tmp_path / "nowhere").exists()
    create_atomic(tmp_path / "c.yaml", "new\n")
    assert (tmp_path / "c.yaml").read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml", "c.yaml"]


def test_the_workflow_installs_the_requirement_given(tmp_path: Path) -> None:
    """`pip install 'factcmp==0.1.0'` cannot work until factcmp is published: the
    requirement to install is init's to take, and is written where pip is run."""
    requirement = "factcmp @ git+https://github.com/your-newsroom/factcmp@v0.1.0"
    done = factcmp("init", "x", "--factcmp-requirement", requirement, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    repo = tmp_path / "x"
    workflow = yaml.safe_load((repo / ".github/workflows/factcmp.yml").read_text())
    installs = [shlex.split(step["run"]) for job in workflow["jobs"].values()
                for step in job["steps"] if step.get("run", "").startswith("pip ")]  # fmt: skip
    assert installs == [["pip", "install", requirement]] * 2
    assert f"pip install '{requirement}'" in (repo / "README.md").read_text()
    assert f"pip install '{requirement}'" in (repo / ".pre-commit-config.yaml").read_text()
    assert "pip install pre-commit" in (repo / ".pre-commit-config.yaml").read_text()
    assert f"pip install '{requirement}'" in done.stdout


@pytest.mark.parametrize("requirement", ["requests", "factcmpx==1", "factcmp\n==1", ""])
def test_a_requirement_that_is_not_factcmp_is_a_usage_error(
    tmp_path: Path, requirement: str
) -> None:
    done = factcmp("init", "x", "--factcmp-requirement", requirement, cwd=tmp_path)
    assert done.returncode == 2
    assert "Invalid value for '--factcmp-requirement'" in done.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("recorded", "requirement"),
    [
        ('{"url": "https://github.com/n/factcmp.git", "vcs_info": {"vcs": "git", '
         '"commit_id": "3f2c1a9e"}}', "factcmp @ git+https://github.com/n/factcmp.git@3f2c1a9e"),
        ('{"url": "file:///home/me/factcmp", "dir_info": {"editable": true}}', None),
        ('{"url": "file:///home/me/factcmp", "vcs_info": {"vcs": "git"}}', None),
        ("not json", None),
        (None, None),
    ],
)  # fmt: skip
def test_the_default_requirement_is_where_pip_installed_factcmp_from(
    recorded: str | None, requirement: str | None
) -> None:
    """A factcmp installed from a git URL gives CI that URL and its commit; one from a
    clone on this machine (a file:// URL) or from PyPI, nothing (factcmp==VERSION)."""
    from factcmp.edit.scaffold import default_requirement, requirement_from

    assert requirement_from(recorded) == requirement
    assert default_requirement().startswith("factcmp")


def test_a_folder_init_would_make_that_is_a_file_or_a_dangling_link_is_refused(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "x"
    repo.mkdir()
    (repo / "claims").symlink_to(tmp_path / "nowhere")
    (repo / ".github").write_text("mine\n")
    done = factcmp("init", "x", cwd=tmp_path)
    assert done.returncode == 2
    assert "x/claims is a dangling symbolic link where init makes a folder" in done.stderr
    assert "x/.github exists and is not a folder" in done.stderr
    assert "--force" not in done.stderr
    assert sorted(p.name for p in repo.iterdir()) == [".github", "claims"]
    assert not (tmp_path / "nowhere").exists()


def test_a_side_id_yaml_would_read_as_an_impossible_date_is_quoted(tmp_path: Path) -> None:
    """`2022-02-30` is a date to YAML, and one that does not exist: PyYAML raises
    ValueError reading it. init quotes it, as topics rename does, where it gave a
    traceback."""
    done = factcmp("init", "x", "--sides", "2022-02-30,india", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    side = (tmp_path / "x" / "claims" / "2022-02-30.yaml").read_text()
    assert '#   subject: "2022-02-30"' in side
    done = factcmp("check", "--strict", cwd=tmp_path / "x")
    assert done.returncode == 0, done.stdout
