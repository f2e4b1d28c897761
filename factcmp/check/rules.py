"""Every rule id a finding can carry, with what it means (docs/check.md lists them).

`diff` and `brief` stop at the errors of the loader layer; `check` reports those
and the lint and cross-file rules too. Severity is the default: `unknown-topic`
is an error under `--strict`.
"""

from __future__ import annotations

# id: (layer, severity, what it means)
RULES: dict[str, tuple[str, str, str]] = {
    # YAML: the file as text and as YAML
    "io": ("loader", "error", "the file cannot be read"),
    "link-outside": (
        "loader",
        "error",
        "a file in a claims folder that is a link out of the repository: never read",
    ),
    "yaml-encoding": ("loader", "error", "bytes that are not UTF-8"),
    "yaml-invisible-character": (
        "loader",
        "error",
        "an invisible line break (U+0085, U+2028, U+2029) or a byte-order mark mid-file",
    ),
    "yaml-syntax": ("loader", "error", "not valid YAML (with libyaml's reason and position)"),
    "yaml-depth": ("loader", "error", "nested far deeper than any claim file"),
    "yaml-duplicate-key": ("loader", "error", "a key given twice in one mapping"),
    "yaml-alias": ("loader", "error", "an alias (`*name`): anchors and aliases are refused"),
    "yaml-tag": ("loader", "error", "a tag (`!!python/...`, `!!binary`, `!custom`)"),
    "yaml-key": ("loader", "error", "a key that is a list, a mapping or tagged"),
    "yaml-bad-date": ("loader", "error", "a date that does not exist (2022-09-31)"),
    "yaml-bad-number": ("loader", "error", "a number that cannot be read"),
    "yaml-1.1": (
        "loader",
        "error",
        "`no`, `on`, `010`, a date... where text is wanted: YAML 1.1 reads it as "
        "something else; quote it",
    ),
    "yaml-bom": ("lint", "warning", "the file starts with a byte-order mark"),
    "yaml-tab": ("lint", "warning", "a tab character"),
    # structure
    "version": ("loader", "error", "`factcmp:` is not a format version this factcmp reads"),
    "missing": ("loader", "error", "a required key is missing"),
    "unknown-key": ("loader", "error", "a key the format does not have (with a did-you-mean)"),
    "type": ("loader", "error", "a value of the wrong type"),
    "invalid": ("loader", "error", "a value the format does not allow"),
    "side-id": ("loader", "error", "`side.id` differs from the file's stem"),
    # references
    "unknown-speaker": ("loader", "error", "`by:` names no declared speaker"),
    "unknown-source": ("loader", "error", "`source:` names no declared source"),
    "duplicate-id": ("loader", "error", "two claims with one id in a file"),
    "unknown-statement": ("loader", "error", "`statement:` names no statement of the file"),
    "statement-conflict": (
        "loader",
        "error",
        "a claim that names a statement and gives its own `by`, `source` or `said`",
    ),
    "shared-duplicate": (
        "loader",
        "error",
        "a speaker or source key defined both in a side's file and in sources.yaml",
    ),
    "two-shared-files": (
        "loader",
        "error",
        "sources.yml beside sources.yaml: only sources.yaml is read",
    ),
    "unused-speaker": ("lint", "warning", "a declared speaker no claim is `by:`"),
    "unused-source": ("lint", "warning", "a declared source no claim cites"),
    "unused-statement": ("lint", "warning", "a statement no claim names"),
    "statement-quote": (
        "lint",
        "warning",
        "a claim's quote that is not part of its statement's quote",
    ),
    "id-format": ("lint", "error", "a claim id with spaces"),
    # values
    "empty": ("loader", "error", "an empty id, topic, text, quote or name"),
    "value": ("loader", "error", "a value out of its range (stance, status, tolerance, ...)"),
    "date": ("loader", "error", "a date not written YYYY-MM-DD"),
    "translation": (
        "loader",
        "error",
        "`original` without `quote` or `lang`, or `lang` without `original`",
    ),
    "count": ("loader", "error", "a negative count, `min` above `max`, `best` outside them"),
    "period": ("loader", "error", "a period whose `from` is after its `to`"),
    "undated-count": (
        "loader",
        "error",
        "an undated count among the same side's counts on a topic and subject",
    ),
    "future-date": ("lint", "error", "a date after today"),
    "said-after-published": (
        "lint",
        "error",
        "a claim said after its source was published: the source cannot report it",
    ),
    "url": ("lint", "error", "a `url` or `archived` that is not an http(s) address"),
    "duplicate-place": ("lint", "warning", "a place listed twice in one claim"),
    "quote-marks": ("lint", "warning", "a quote wrapped in its own quotation marks"),
    "no-stance": (
        "lint",
        "warning",
        "a claim on a topic that states a `claim` and gives no `stance` (affirms, denies "
        "or undetermined): it is taken to affirm",
    ),
    # across files
    "unknown-topic": (
        "lint",
        "warning",
        "a topic not listed in topics.yaml (an error with --strict)",
    ),
    "count-conflict": (
        "cross-file",
        "error",
        "one side's two counts on a topic, subject and day that differ, with no times of "
        "day that tell which is later",
    ),
    "facet-mismatch": (
        "cross-file",
        "warning",
        "two sides on a topic with no comparable facet in common",
    ),
    "alias-place": (
        "cross-file",
        "warning",
        "a side's alias that a claim also gives as a place: a subject or actor written "
        "with it is taken for the side",
    ),
    "topic-similar": (
        "cross-file",
        "warning",
        "a topic key that looks like another file's misspelt or reworded "
        "(`casualties.militry`, `casualties-military`, `military.casualties`): their claims "
        "are never compared; the message gives the `factcmp topics rename` that merges them",
    ),
}


def severity(rule: str, *, strict: bool = False) -> str:
    """The severity a finding of `rule` has: its registered default; `unknown-topic`
    is an error under --strict. A rule missing from the registry counts as an error
    (tests keep the registry whole)."""
    if strict and rule == "unknown-topic":
        return "error"
    entry = RULES.get(rule)
    return entry[1] if entry else "error"
