"""The files `factcmp init` writes: a claims repository a newcomer can fill in, valid
as it stands (`factcmp check` passes), with CI, a pre-commit hook and editor
completion set up.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from factcmp import __version__
from factcmp.edit.exact import plain_safe

SIDE = """\
# Claims of {name} on this dispute: one file per side.
# Each claim says what {name}'s officials claim, attributed and sourced; factcmp
# compares it with the other sides' claims on the same topic key.
# The format: docs/format.md in factcmp's documentation; `factcmp check` checks a file.
factcmp: 1
side:
  name: {name_value}   # from the id `{side_id}`: write the side's name as readers should see it
  # aliases: [its people, its capital]   # other names of this side in `subject:`, `actor:`
{role}
speakers: {{}}
  # mod: {{name: Ministry of Defence of {name}}}
  # spokesperson: {{name: A. Name, role: "Spokesperson, Ministry of Foreign Affairs"}}
  #   (text with a comma inside {{…}} goes in quotes)

sources: {{}}
  # Only what this side alone cites; what several sides cite goes in sources.yaml.
  # `factcmp source URL --write {side_id}` fills one in from the page.
  # wire-0914:
  #   outlet: AP
  #   title: The headline as published
  #   url: https://example.org/news/...
  #   published: 2022-09-14

statements: {{}}
  # One statement that speaks to several topics: written once, named by each claim.
  # mod-0913:
  #   by: mod
  #   source: wire-0914
  #   said: 2022-09-13
  #   quote: The words of the whole statement

claims: []
  # - id: troops-killed-0914          # unique in this file, stable across edits
  #   topic: casualties.military       # the same key in every side's file
  #   text: 49 soldiers of {name} were killed.   # what the side claims, in a sentence
  #   by: mod                          # a key under speakers: (here or in sources.yaml)
  #   source: wire-0914                # a key under sources: (here or in sources.yaml)
  #   said: 2022-09-13                 # when the claim was made
  #   quote: Verbatim words from the source
  #   count: 49                        # typed facets: count, subject, actor, places,
  #   subject: {subject}               #   stance, period
  # - id: shelled-first-0913
  #   topic: shelling.first            # a yes-or-no topic (its `claim:` in topics.yaml):
  #   stance: affirms                  #   affirms, denies or undetermined (not yet known)
  #   text: The other side shelled first.
  #   statement: mod-0913              # by, source and said come from the statement
  #   quote: Words of the statement    # a part of its quote (or leave it out)
  #   original: The words as spoken    # when `quote` is a translation...
  #   lang: ru                         # ...and the language they were spoken in
"""

SHARED = """\
# Sources and speakers that several sides cite: an agency report quoting both sides,
# a joint statement, a mediator. Any side's claims name these keys as their own
# (`source: agency-0914`, `by: un-spokesman`); a key must not be in a side's file too.
# `factcmp source URL --write` adds a source here from its page.
factcmp: 1
sources: {}
  # agency-0914:
  #   outlet: AP
  #   title: The headline as published
  #   author: A. Reporter
  #   url: https://apnews.com/article/...
  #   published: 2022-09-14

speakers: {}
  # un-spokesman: {name: A. Name, role: Spokesman for the UN Secretary-General}
"""

TOPICS = """\
# The topics of this dispute: a label for each key the claim files use (and, for a
# yes-or-no question, the `claim`: the proposition a stance affirms, denies or leaves
# undetermined; every claim on it should say which). A key missing here is a warning
# of `factcmp check`; `factcmp topics list` shows the keys in use.
factcmp: 1
topics: {}
  # casualties.military:
  #   label: Military deaths
  #   tolerance: 5%          # how far apart two counts may be and still agree
  # shelling.first:
  #   label: Who shelled first
  #   claim: The other side shelled first
"""

WORKFLOW = """\
# factcmp for this claims repository: every claim file checked on every push and pull
# request (annotations on the lines), every cited link and quote checked weekly, and
# the brief of the sides built as an artifact.
name: factcmp
on:
  push:
  pull_request:
  schedule:
    - cron: "17 6 * * 1"   # Mondays, 06:17 UTC: links and quotes
  workflow_dispatch:

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # `factcmp changes` reads the history
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: {install}
      - run: factcmp check --format github
      - run: factcmp brief {sides} -o brief.md
      - uses: actions/upload-artifact@v4
        with:
          name: brief
          path: |
            brief.md
            brief-figures.svg
          if-no-files-found: ignore

  sources:
    if: github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: {install}
      - run: factcmp sources check --format github
"""

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): `pip install pre-commit`, then `pre-commit install`,
# and every commit's claim files are checked by the factcmp installed here
# ({install}).
repos:
  - repo: local
    hooks:
      - id: factcmp-check
        name: factcmp check
        entry: factcmp check
        language: system
        files: (^|/)claims/.*\\.ya?ml$
        types: [yaml]
        require_serial: true
"""

GITIGNORE = """\
# What factcmp makes from the claims: outputs, not sources
brief.md
brief-figures.svg
*.db
metadata.json
"""

README = """\
# Claims: {title}

Hand-curated claims of each side, compared with factcmp. Install it as CI does
(in a virtual environment: `python -m venv .venv && . .venv/bin/activate`):

    pip install {install}

- `claims/<side>.yaml`: what each side claims, one claim per entry, attributed
  (`by:`), sourced (`source:`), dated (`said:`), quoted (`quote:`).
- `claims/topics.yaml`: a label for each topic key; the same key in every file
  is what makes two claims comparable.
- `claims/sources.yaml`: the sources and speakers several sides cite, once.

The five commands a curator needs:

    factcmp source URL --write     # a source entry from its page, into sources.yaml
    factcmp check                  # every problem in every file, at file:line:col
    factcmp diff                   # where the sides contradict or agree
    factcmp brief {sides} -o brief.md
    factcmp changes HEAD~1         # what changed since the last commit

and `factcmp topics suggest` when two curators may have named one topic twice.

CI (`.github/workflows/factcmp.yml`) checks every push; `pip install pre-commit`
then `pre-commit install` checks every commit; editors that speak the YAML
language server complete and validate claim files from
`.factcmp/claim-file.schema.json`.
"""


# a party's file says what a role is; an observer's gives it (revision 3)
PARTY_ROLE = (
    "  # role: observer   # for one who assesses the dispute (a government, a rights group,\n"
    "  #                  # a newsroom's own analysis); a side of the dispute is a party\n"
)
OBSERVER_ROLE = "  role: observer   # one who assesses the dispute, not a side of it (a party)\n"


def files(
    sides: list[str],
    requirement: str,
    schema: dict[str, object],
    topics_schema: dict[str, object],
    shared_schema: dict[str, object],
    observers: tuple[str, ...] = (),
) -> dict[str, str]:
    """Path (relative to the repository) -> content. `requirement` is what CI and the
    README give pip to install factcmp (see default_requirement). `sides` are the
    parties; `observers` get `role: observer`."""
    parties = sides
    sides = [*parties, *observers]
    names = {side: side_name(side) for side in sides}
    out = {
        f"claims/{side}.yaml": SIDE.format(
            name=names[side],
            name_value=yaml_text(names[side]),
            side_id=side,
            subject=yaml_text(side),
            role=OBSERVER_ROLE if side in observers else PARTY_ROLE,
        )
        for side in sides
    }
    out["claims/topics.yaml"] = TOPICS
    out["claims/sources.yaml"] = SHARED
    install = yaml_text(f"pip install {shlex.quote(requirement)}")
    out[".github/workflows/factcmp.yml"] = WORKFLOW.format(install=install, sides=" ".join(sides))
    out[".pre-commit-config.yaml"] = PRE_COMMIT.format(
        install=f"pip install {shlex.quote(requirement)}"
    )
    out[".factcmp/claim-file.schema.json"] = json.dumps(schema, indent=2) + "\n"
    out[".factcmp/topics-file.schema.json"] = json.dumps(topics_schema, indent=2) + "\n"
    out[".factcmp/sources-file.schema.json"] = json.dumps(shared_schema, indent=2) + "\n"
    settings = {
        "yaml.schemas": {
            ".factcmp/topics-file.schema.json": ["claims/topics.yaml"],
            ".factcmp/sources-file.schema.json": ["claims/sources.yaml"],
            ".factcmp/claim-file.schema.json": [
                "claims/*.yaml",
                "!claims/topics.yaml",
                "!claims/sources.yaml",
            ],
        }
    }
    out[".vscode/settings.json"] = json.dumps(settings, indent=2) + "\n"
    title = " vs ".join(names[side] for side in parties)
    out["README.md"] = README.format(
        title=title, sides=" ".join(sides), install=shlex.quote(requirement)
    )
    out[".gitignore"] = GITIGNORE
    return out


# Short words that join a name's words, written in lower case after the first word
_JOINING = frozenset({
    "of", "the", "and", "for", "de", "del", "la", "le", "les", "al", "el", "du", "des",
    "da", "do", "dos", "van", "von", "und", "et",
})  # fmt: skip


def side_name(side_id: str) -> str:
    """The name a side's file starts with, guessed from its id for the curator to
    check: `hrw` is HRW, `uk` UK, `south-ossetia` South Ossetia, `bank-of-china` Bank
    of China. A word of three letters or fewer is taken for an abbreviation."""
    words = [w for w in side_id.replace("_", "-").split("-") if w]
    out = []
    for index, word in enumerate(words):
        if index and word in _JOINING:
            out.append(word)
        elif len(word) <= 3 and word not in _JOINING:
            out.append(word.upper())
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out) or side_id


def yaml_text(text: str) -> str:
    """`text` as a YAML value on one line that any YAML reader (1.1 or 1.2) reads as
    that text: plain when it is unambiguous, else in double quotes (`Yes`, `Null`,
    `On`, `2022`, `a: b`, `#x` would be read as something else)."""
    if _plain_is_text(text):
        return text
    return json.dumps(text, ensure_ascii=False)


# What some YAML reader takes for other than text where PyYAML reads text: numbers as
# YAML 1.2 writes them (1e3, 0o17), and the yes/no `y` and `n` of the YAML 1.1 spec
_NOT_TEXT_ELSEWHERE = re.compile(
    r"^(?:[-+]?(?:\.inf|\.nan|\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?|0o[0-7]+)|y|n)$", re.I
)


def _plain_is_text(text: str) -> bool:
    return plain_safe(text) and text.strip() == text and not _NOT_TEXT_ELSEWHERE.match(text)


def default_requirement() -> str:
    """What CI installs unless `init --factcmp-requirement` says otherwise: this
    factcmp's own repository and commit when pip installed it from one, else
    `factcmp==VERSION`, which pip finds only once factcmp is published."""
    from importlib import metadata

    try:
        recorded = metadata.distribution("factcmp").read_text("direct_url.json")
    except (metadata.PackageNotFoundError, OSError):
        recorded = None
    return requirement_from(recorded) or f"factcmp=={__version__}"


def requirement_from(direct_url: str | None) -> str | None:
    """`factcmp @ git+URL@COMMIT` from the direct_url.json pip wrote when it installed
    factcmp from a repository (PEP 610); None for anything else (PyPI, a clone on
    this machine: a file:// URL that CI cannot reach)."""
    try:
        origin = json.loads(direct_url or "null")
    except ValueError:
        return None
    if not isinstance(origin, dict):
        return None
    url, vcs = origin.get("url"), origin.get("vcs_info")
    if not isinstance(url, str) or not isinstance(vcs, dict) or url.startswith("file:"):
        return None
    kind, commit = vcs.get("vcs"), vcs.get("commit_id")
    if not isinstance(kind, str) or any(ch.isspace() or ch == "'" for ch in url + kind):
        return None
    at = f"@{commit}" if isinstance(commit, str) and commit.isalnum() else ""
    return f"factcmp @ {kind}+{url}{at}"


def check_requirement(requirement: str) -> str | None:
    """Why `requirement` cannot be written in the workflow (None when it can): it must
    be one line naming factcmp, as pip takes it (`factcmp==0.1.0`, `factcmp[charts]`,
    `factcmp @ git+https://host/factcmp@v0.1.0`)."""
    if not requirement.strip() or any(not ch.isprintable() for ch in requirement):
        return "give one line, e.g. 'factcmp @ git+https://host/you/factcmp@v0.1.0'"
    if not _NAMES_FACTCMP.match(requirement.strip()):
        return (
            "it must name factcmp, as pip takes it: 'factcmp==0.1.0', or "
            "'factcmp @ git+https://host/you/factcmp@v0.1.0' for a clone on a git server"
        )
    return None


_NAMES_FACTCMP = re.compile(r"^factcmp(?:\[[\w,\s-]*\])?\s*(?:$|[=<>!~;@ (])", re.I)


class Refused(Exception):
    """Files init will not write over: (path relative to the folder, why) each."""

    def __init__(self, refused: list[tuple[str, str]], message: str) -> None:
        super().__init__(message)
        self.refused = refused


def write_new(root: Path, planned: dict[str, str], *, force: bool) -> None:
    """Write each planned file under `root`, as a new file (atomic.create_atomic).
    Anything already at one of the paths is refused before a byte is written, a
    symbolic link even with `force` (which replaces regular files, atomically);
    Refused names them all. A file that appears meanwhile is refused as well."""
    from factcmp.atomic import create_atomic, write_atomic

    folders = sorted({str(parent) for name in planned for parent in Path(name).parents} - {"."})
    refused = [(name, why) for name in folders if (why := _not_a_folder(root / name))]
    refused += [(name, why) for name in planned if (why := _in_the_way(root / name, force))]
    if refused:
        raise Refused(refused, _refusal(refused, force))
    for name, text in planned.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if force and path.is_file() and not path.is_symlink():
                write_atomic(path, text)
            else:
                create_atomic(path, text)
        except FileExistsError:
            done = list(planned).index(name)
            why = "appeared while init was writing: not replaced"
            raise Refused([(name, why)], f"{done} file(s) written before it; stopped") from None


def _not_a_folder(path: Path) -> str | None:
    """Why init cannot write in the folder `path` (None when it can, or will make it)."""
    if path.is_dir():
        return None  # a folder, or a link to one: written in, never replaced
    if path.is_symlink():
        return "is a dangling symbolic link where init makes a folder: remove it"
    if path.exists():
        return "exists and is not a folder: init writes files in it"
    return None


def _in_the_way(path: Path, force: bool) -> str | None:
    """Why init must not write `path` (None when it may)."""
    import os

    if path.is_symlink():
        where = os.readlink(path)
        what = "a symbolic link" if path.exists() else "a dangling symbolic link"
        return f"is {what} (to {where}): init never replaces a link; remove it or move it"
    if not os.path.lexists(path):
        return None
    if force and path.is_file():
        return None
    if path.is_file():
        return "exists"
    return "exists and is not a regular file: init never replaces it"


def _refusal(refused: list[tuple[str, str]], force: bool) -> str:
    files = not force and any(why == "exists" for _, why in refused)
    hint = " (--force replaces regular files)" if files else ""
    return f"{len(refused)} file(s) in the way: nothing written{hint}"
