"""The files `factcmp init` writes: a claims repository a newcomer can fill in, valid
as it stands (`factcmp check` passes), with CI, a pre-commit hook and editor
completion set up.
"""

from __future__ import annotations

import json

from factcmp import __version__

SIDE = """\
# Claims of {name} on this dispute: one file per side.
# Each claim says what {name}'s officials claim, attributed and sourced; factcmp
# compares it with the other sides' claims on the same topic key.
# The format: docs/format.md in factcmp's documentation; `factcmp check` checks a file.
factcmp: 1
side:
  name: {name}
  # aliases: [its people, its capital]   # other names of this side in `subject:`, `actor:`

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
  #   subject: {side_id}               #   stance (affirms or denies), period
  # - id: shelled-first-0913
  #   topic: shelling.first
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
# yes-or-no question, the proposition a stance affirms or denies). A key missing
# here is a warning of `factcmp check`; `factcmp topics list` shows the keys in use.
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
      - run: pip install 'factcmp=={version}'
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
      - run: pip install 'factcmp=={version}'
      - run: factcmp sources check --format github
"""

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): `pre-commit install`, and every commit's claim
# files are checked by the factcmp installed here (pip install 'factcmp=={version}').
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

Hand-curated claims of each side, compared with [factcmp](https://pypi.org/project/factcmp/).

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

CI (`.github/workflows/factcmp.yml`) checks every push; `pre-commit install` checks
every commit; editors that speak the YAML language server complete and validate
claim files from `.factcmp/claim-file.schema.json`.
"""


def files(
    sides: list[str],
    schema: dict[str, object],
    topics_schema: dict[str, object],
    shared_schema: dict[str, object],
) -> dict[str, str]:
    """Path (relative to the repository) -> content."""
    names = {side: side.replace("-", " ").replace("_", " ").title() for side in sides}
    out = {f"claims/{side}.yaml": SIDE.format(name=names[side], side_id=side) for side in sides}
    out["claims/topics.yaml"] = TOPICS
    out["claims/sources.yaml"] = SHARED
    out[".github/workflows/factcmp.yml"] = WORKFLOW.format(
        version=__version__, sides=" ".join(sides)
    )
    out[".pre-commit-config.yaml"] = PRE_COMMIT.format(version=__version__)
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
    title = " vs ".join(names[side] for side in sides)
    out["README.md"] = README.format(title=title, sides=" ".join(sides))
    out[".gitignore"] = GITIGNORE
    return out
