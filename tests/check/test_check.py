"""`factcmp check`: every rule, every output format, the exit codes, the schema, the hook."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from factcmp.check.files import check
from factcmp.cli import main
from factcmp.load.schema import ClaimFileSpec, json_schema
from tests.conftest import CLAIMS, REPO
from tests.growth import assert_linear

FIXTURES = REPO / "tests" / "fixtures" / "check"
BROKEN = FIXTURES / "broken"
FACTCMP = shutil.which("factcmp")
GITHUB_LINE = re.compile(
    r"^::(error|warning) file=[^,:]+,line=\d+,col=\d+,title=factcmp [a-z0-9.-]+::[^\n\r]+$"
)


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    env = {"GITHUB_ACTIONS": "", **(env or {})}
    return CliRunner().invoke(main, ["check", *args], env=env, catch_exceptions=False)


def findings(*args: str) -> list[tuple[str, int, int, str, str]]:
    result = invoke(*args, "--format", "json")
    data = json.loads(result.output)
    return [
        (Path(f["file"]).name, f["line"], f["col"], f["severity"], f["rule"])
        for f in data["findings"]
    ]


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


CLAIM_HEAD = "factcmp: 1\nside: {name: Red}\n"


# The sample and the broken fixtures -------------------------------------------------


def test_the_sample_is_clean(in_repo: Path) -> None:
    result = invoke()
    assert result.exit_code == 0, result.output
    assert "4 files checked: no problems" in result.output


def test_every_finding_of_the_broken_folder_at_its_place() -> None:
    assert findings(str(BROKEN)) == [
        ("blue.yaml", 1, 1, "warning", "yaml-bom"),
        ("blue.yaml", 7, 15, "warning", "yaml-tab"),
        ("blue.yaml", 19, 12, "error", "count-conflict"),
        ("green.yaml", 8, 5, "error", "yaml-duplicate-key"),
        ("red.yaml", 6, 3, "warning", "unused-speaker"),
        ("red.yaml", 10, 10, "error", "url"),
        ("red.yaml", 13, 9, "error", "id-format"),
        ("red.yaml", 18, 11, "error", "said-after-published"),
        ("red.yaml", 20, 22, "warning", "duplicate-place"),
        ("red.yaml", 24, 9, "error", "unknown-speaker"),
        ("red.yaml", 25, 11, "error", "future-date"),
        ("red.yaml", 26, 12, "error", "count"),
        ("red.yaml", 28, 12, "warning", "unknown-topic"),
        ("red.yaml", 30, 5, "error", "unknown-key"),
        ("topics.yaml", 7, 16, "error", "value"),
    ]


def test_text_report_shows_each_finding_with_its_line() -> None:
    result = invoke(str(BROKEN), env={"COLUMNS": "80"})
    assert result.exit_code == 1
    lines = result.output.splitlines()
    i = lines.index(
        f"{BROKEN}/red.yaml:30:5: error: unknown key `cout`: did you mean `count`? [unknown-key]"
    )
    assert lines[i + 1] == "    30 |     cout: 3"
    assert lines[i + 2] == "             ^"
    assert lines[-1] == "10 errors, 5 warnings in 4 files (4 checked)"


def test_github_format_is_annotations_and_chosen_under_github_actions() -> None:
    result = invoke(str(BROKEN), env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    annotations = result.output.splitlines()[:-1]
    assert len(annotations) == 15
    for line in annotations:
        assert GITHUB_LINE.match(line), line
    assert annotations[0].startswith(f"::warning file={BROKEN}/blue.yaml,line=1,col=1,")
    assert invoke(str(BROKEN), "--format", "text", env={"GITHUB_ACTIONS": "true"}).output[0] != ":"


def test_github_annotations_cannot_be_broken_by_file_content(tmp_path: Path) -> None:
    write(tmp_path, "red.yaml", CLAIM_HEAD + 'speakers:\n  "a\\n::error::x, y": {name: N}\n')
    result = invoke(str(tmp_path), "--format", "github")
    annotations = result.output.splitlines()[:-1]
    assert len(annotations) == 1
    assert GITHUB_LINE.match(annotations[0])


def test_json_format_lists_findings() -> None:
    data = json.loads(invoke(str(BROKEN), "--format", "json").output)
    assert data["summary"] == {"errors": 10, "warnings": 5}
    assert set(data["findings"][0]) == {"file", "line", "col", "severity", "rule", "message"}
    assert len(data["files"]) == 4


# Rules one by one (those the broken folder does not show) ----------------------------


def test_facets_two_sides_cannot_be_compared_on() -> None:
    assert findings(str(FIXTURES / "mismatch")) == [("red.yaml", 4, 5, "warning", "facet-mismatch")]


def test_side_id_must_be_the_file_stem(tmp_path: Path) -> None:
    write(tmp_path, "red.yaml", "factcmp: 1\nside: {name: Red, id: blue}\n")
    assert findings(str(tmp_path)) == [("red.yaml", 2, 23, "error", "side-id")]


def test_yaml_1_1_values_where_text_is_wanted(tmp_path: Path) -> None:
    write(
        tmp_path,
        "red.yaml",
        CLAIM_HEAD + "claims:\n  - {id: a, topic: t, text: x, subject: no, places: [On]}\n",
    )
    rules = findings(str(tmp_path))
    assert rules == [
        ("red.yaml", 4, 41, "error", "yaml-1.1"),
        ("red.yaml", 4, 54, "error", "yaml-1.1"),
    ]


def test_unused_source_and_future_published_and_period(tmp_path: Path) -> None:
    write(
        tmp_path,
        "red.yaml",
        CLAIM_HEAD
        + "sources:\n  s: {outlet: X, published: 2999-01-01}\n"
        + "claims:\n  - id: a\n    topic: t\n    text: x\n"
        + "    period: {from: 2022-01-01, to: 2999-01-01}\n",
    )
    assert findings(str(tmp_path)) == [
        ("red.yaml", 4, 3, "warning", "unused-source"),
        ("red.yaml", 4, 29, "error", "future-date"),
        ("red.yaml", 9, 36, "error", "future-date"),
    ]


def test_future_is_relative_to_today(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "red.yaml",
        CLAIM_HEAD + "claims:\n  - {id: a, topic: t, text: x, said: 2022-09-14}\n",
    )
    assert check([path], today=dt.date(2022, 9, 14)).findings == []
    assert [f.rule for f in check([path], today=dt.date(2022, 9, 13)).findings] == ["future-date"]


def test_strict_makes_warnings_fail_and_wants_every_topic_listed(tmp_path: Path) -> None:
    write(tmp_path, "red.yaml", CLAIM_HEAD + "claims:\n  - {id: a, topic: t, text: x}\n")
    assert invoke(str(tmp_path)).exit_code == 0
    strict = invoke(str(tmp_path), "--strict", "--format", "json")
    assert strict.exit_code == 1
    assert [f["rule"] for f in json.loads(strict.output)["findings"]] == ["unknown-topic"]
    write(tmp_path, "topics.yaml", "factcmp: 1\ntopics:\n  u: {label: U}\n")
    assert findings(str(tmp_path)) == [("red.yaml", 4, 20, "warning", "unknown-topic")]
    assert findings(str(tmp_path), "--strict") == [("red.yaml", 4, 20, "error", "unknown-topic")]


def test_a_warning_alone_exits_0_and_1_under_strict(tmp_path: Path) -> None:
    write(tmp_path, "red.yaml", CLAIM_HEAD + "speakers:\n  s: {name: S}\n")
    assert invoke(str(tmp_path)).exit_code == 0
    assert invoke(str(tmp_path), "--strict").exit_code == 1


def test_nothing_to_check_is_a_usage_error(tmp_path: Path) -> None:
    empty = invoke(str(tmp_path))
    assert empty.exit_code == 2
    assert "no .yaml claim files" in empty.output
    missing = invoke(str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2
    assert "no such file or folder" in missing.output


def test_check_one_file_uses_the_topics_beside_it() -> None:
    assert ("red.yaml", 28, 12, "warning", "unknown-topic") in findings(str(BROKEN / "red.yaml"))


# The YAML corpus -----------------------------------------------------------------------

CORPUS = REPO / "tests" / "fixtures" / "corpus"  # copied into the repository: see its README.md


def test_every_invalid_yaml_document_gives_a_positioned_finding(tmp_path: Path) -> None:
    errors = sorted((CORPUS / "yaml-test-suite" / "error").glob("*.yaml"))
    assert len(errors) == 94
    for path in errors:
        report = check([path])
        assert report.failed(strict=False), path
        assert any(f.line >= 1 and f.severity == "error" for f in report.findings), path


def test_valid_yaml_documents_never_crash() -> None:
    for path in sorted((CORPUS / "yaml-test-suite" / "valid").glob("*.yaml")):
        report = check([path])
        assert all(f.line >= 1 for f in report.findings), path


def test_the_installed_command_on_the_corpus(tmp_path: Path) -> None:
    assert FACTCMP
    done = subprocess.run(
        [FACTCMP, "check", "--format", "json", str(CORPUS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)
    assert len(data["files"]) == 231
    for hostile in ("pyyaml-tag-time-sleep.yaml", "pyyaml-tag-builtins-range.yaml"):
        tagged = [f for f in data["findings"] if f["file"].endswith(hostile)]
        assert [f["rule"] for f in tagged] == ["yaml-tag"]
    bombs = [f for f in data["findings"] if "billion-laughs" in f["file"]]
    assert {f["rule"] for f in bombs} == {"yaml-alias"}


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_billion_laughs_are_refused_with_bounded_memory() -> None:
    for bomb in sorted((CORPUS / "hostile").glob("billion-laughs-*.yaml")):
        # the peak of this process's own memory: ru_maxrss would be the test runner's,
        # which a child inherits through fork and exec
        code = (
            "import sys\n"
            "from pathlib import Path\n"
            "from factcmp.check.files import check\n"
            "r = check([Path(sys.argv[1])])\n"
            "peak = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
            "print(peak, r.findings[0].rule)"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, str(bomb)], capture_output=True, text=True, check=True
        )
        max_rss_kib, rule = done.stdout.split()
        assert int(max_rss_kib) < 200_000, bomb  # 200 MB: the process, not the bomb
        assert rule == "yaml-alias"


def _bomb(folder: Path, width: int) -> Path:
    """A "billion laughs" of depth 4: width ** 4 strings once expanded."""
    lines = ["factcmp: 1", 'l0: &l0 "lol"']
    for level in range(1, 5):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    path = folder / f"bomb-{width}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_wider_billion_laughs_takes_check_no_longer(tmp_path: Path) -> None:
    # 8 times as wide is 4,096 times the strings: walking them would show
    assert_linear(lambda width: _bomb(tmp_path, width), lambda path: check([path]), 10, 5)
    assert [f.rule for f in check([_bomb(tmp_path, 80)]).findings] == ["yaml-alias"]


# The schema ----------------------------------------------------------------------------


def test_schema_command_prints_draft_2020_12() -> None:
    result = CliRunner().invoke(main, ["schema"])
    schema = json.loads(result.output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema == json_schema(ClaimFileSpec)
    topics = json.loads(CliRunner().invoke(main, ["schema", "--topics"]).output)
    assert "TopicSpec" in topics["$defs"]


def check_jsonschema(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("check-jsonschema")
    assert exe, "check-jsonschema is a test dependency"
    return subprocess.run(
        [exe, "--schemafile", str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


STRUCTURALLY_INVALID = {
    "missing-side.yaml": "factcmp: 1\n",
    "wrong-version.yaml": "factcmp: 2\nside: {name: R}\n",
    "unknown-key.yaml": CLAIM_HEAD + "claims:\n  - {id: a, topic: t, text: x, cout: 3}\n",
    "missing-text.yaml": CLAIM_HEAD + "claims:\n  - {id: a, topic: t}\n",
    "bad-stance.yaml": CLAIM_HEAD + "claims:\n  - {id: a, topic: t, text: x, stance: deny}\n",
    "places-not-list.yaml": CLAIM_HEAD + "claims:\n  - {id: a, topic: t, text: x, places: P}\n",
    "count-words.yaml": CLAIM_HEAD + "claims:\n  - {id: a, topic: t, text: x, count: many}\n",
    "bad-date.yaml": CLAIM_HEAD + "claims:\n  - {id: a, topic: t, text: x, said: '14/09/2022'}\n",
    "speaker-no-name.yaml": CLAIM_HEAD + "speakers:\n  s: {role: R}\n",
}


@pytest.mark.slow
def test_schema_agrees_with_check_jsonschema(tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(CliRunner().invoke(main, ["schema"]).output, encoding="utf-8")
    valid = [CLAIMS / f"{s}.yaml" for s in ("armenia", "azerbaijan", "russia")]
    valid += [FIXTURES / "mismatch" / "red.yaml", FIXTURES / "mismatch" / "blue.yaml"]
    done = check_jsonschema(schema, *valid)
    assert done.returncode == 0, done.stdout + done.stderr
    for path in valid:
        assert not check([path]).failed(strict=False)
    for name, text in STRUCTURALLY_INVALID.items():
        path = write(tmp_path / "invalid", name, text)
        assert check_jsonschema(schema, path).returncode == 1, name
        assert check([path]).failed(strict=False), name


# pre-commit ----------------------------------------------------------------------------


@pytest.mark.slow
def test_pre_commit_hook_through_try_repo(tmp_path: Path) -> None:
    exe = shutil.which("pre-commit")
    git = shutil.which("git")
    if not exe or not git:
        pytest.skip("pre-commit and git are needed")
    newsroom = tmp_path / "newsroom"
    shutil.copytree(CLAIMS, newsroom / "claims")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run([git, "init", "-q"], cwd=newsroom, check=True, env=env)
    subprocess.run([git, "add", "claims"], cwd=newsroom, check=True, env=env)

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [exe, "try-repo", str(REPO), "factcmp-check", "--all-files"],
            cwd=newsroom,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    clean = try_repo()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "factcmp check" in clean.stdout
    with (newsroom / "claims" / "armenia.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  - {id: late, topic: shelling, text: x, said: 2022-09-31}\n")
    subprocess.run([git, "add", "claims"], cwd=newsroom, check=True, env=env)
    broken = try_repo()
    assert broken.returncode == 1
    assert "claims/armenia.yaml:" in broken.stdout
    assert "2022-09-31" in broken.stdout


def test_every_pre_commit_config_the_docs_show_is_valid(tmp_path: Path) -> None:
    """docs/check.md shows a hosted repository, a local path and a local hook: each
    is a config pre-commit accepts, naming this repository's hook."""
    exe = shutil.which("pre-commit")
    if not exe:
        pytest.skip("pre-commit is needed")
    text = (REPO / "docs" / "check.md").read_text(encoding="utf-8")
    section = text.split("## Before each commit: pre-commit", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.S)
    repos = [yaml.safe_load(block)["repos"][0] for block in blocks]
    assert [r["repo"].split(":")[0] for r in repos] == ["https", "/home/desk/src/factcmp", "local"]
    hook_ids = {h["id"] for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    for number, (block, repo) in enumerate(zip(blocks, repos, strict=True)):
        assert {h["id"] for h in repo["hooks"]} <= hook_ids
        config = tmp_path / f"config-{number}.yaml"
        config.write_text(block, encoding="utf-8")
        done = subprocess.run(
            [exe, "validate-config", str(config)], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr


# The rule registry ----------------------------------------------------------------------


def test_every_rule_in_the_code_is_registered_and_documented() -> None:
    import ast

    from factcmp.check.rules import RULES

    used: set[str] = set()
    for path in (REPO / "factcmp").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and (
                value in RULES or re.fullmatch(r"yaml-[a-z0-9.-]+", value)
            ):
                used.add(value)
    assert used - set(RULES) == set()
    doc = (REPO / "docs" / "check.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| `([a-z0-9.-]+)` \| (\S+) \| (\S+) \|", doc, re.M)
    assert {rule: (layer, severity) for rule, layer, severity in table} == {
        rule: (layer, severity) for rule, (layer, severity, _) in RULES.items()
    }


def test_findings_only_carry_registered_rules() -> None:
    from factcmp.check.rules import RULES

    paths = [BROKEN, FIXTURES / "mismatch", CLAIMS, CORPUS]
    rules = {f.rule for f in check(paths).findings}
    assert rules <= set(RULES), rules - set(RULES)


def test_the_json_example_in_the_docs_has_the_real_keys() -> None:
    doc = (REPO / "docs" / "check.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", doc, re.S).group(1))  # type: ignore[union-attr]
    real = json.loads(invoke(str(BROKEN), "--format", "json").output)
    assert set(example) == set(real)
    assert set(example["summary"]) == set(real["summary"])
    assert set(example["findings"][0]) == set(real["findings"][0])


def test_a_quote_in_its_own_quotation_marks(tmp_path: Path) -> None:
    write(
        tmp_path,
        "red.yaml",
        CLAIM_HEAD + "claims:\n  - {id: a, topic: t, text: x, quote: '“Our allies”'}\n",
    )
    assert findings(str(tmp_path)) == [("red.yaml", 4, 39, "warning", "quote-marks")]


def test_a_sexagesimal_where_a_date_is_wanted(tmp_path: Path) -> None:
    write(
        tmp_path, "red.yaml", CLAIM_HEAD + "claims:\n  - {id: a, topic: t, text: x, said: 12:30}\n"
    )
    result = json.loads(invoke(str(tmp_path), "--format", "json").output)
    [finding] = result["findings"]
    assert (finding["line"], finding["col"], finding["rule"]) == (4, 38, "yaml-1.1")
    assert finding["message"].startswith("`12:30` is read by YAML as a number")


def test_a_topics_file_that_loaded_clean_is_read_from_the_cache_the_next_time(
    tmp_path: Path,
) -> None:
    """The second check reads topics.yaml from the cache, --no-cache never does, and a
    topics.yaml with a problem is never cached: it is reported every time."""
    folder = tmp_path / "claims"
    shutil.copytree(REPO / "claims", folder)
    cache = tmp_path / "cache"
    env = {**os.environ, "FACTCMP_CACHE_DIR": str(cache)}
    factcmp = [shutil.which("factcmp") or "factcmp", "check", str(folder)]  # installed
    clean = subprocess.run([*factcmp, "--no-cache"], env=env, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout
    assert not any(cache.rglob("*"))
    first = subprocess.run(factcmp, env=env, capture_output=True, text=True)
    entries = {p for p in cache.rglob("*") if p.is_file()}
    assert first.returncode == 0
    assert entries  # the topics were kept
    second = subprocess.run(factcmp, env=env, capture_output=True, text=True)
    assert (second.returncode, second.stdout) == (0, first.stdout)
    topics = folder / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "topics: {}\n", encoding="utf-8")
    for _ in range(2):
        broken = subprocess.run(factcmp, env=env, capture_output=True, text=True)
        assert broken.returncode == 1, broken.stdout
        assert "topics.yaml:" in broken.stdout
