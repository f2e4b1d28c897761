"""The keys a claim file's entries name, checked as written: claim ids used twice,
`by:` and `source:` that name nothing (in the file, or in the shared sources.yaml),
`statement:` that names no statement or is given with what it already says, and a
speaker or source defined both in the file and in sources.yaml.

Checked on the raw values, so that a claim with another problem is checked too; a
speaker or source declared with a problem of its own still counts as declared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factcmp.load.yamlsrc import Document, PathItem, shown

if TYPE_CHECKING:
    from factcmp.load.shared import Shared
    from factcmp.problems import Problem

# what a claim takes from the statement it names
FROM_STATEMENT = ("by", "source", "said")
_MAX_SUGGEST = 100


class References:
    def __init__(
        self,
        doc: Document,
        value: dict[str, Any],
        problems: list[Problem],
        shared: Shared | None,
    ) -> None:
        self.doc, self.problems, self.shared = doc, problems, shared
        self.claims = value.get("claims")
        self.statements = value.get("statements")
        self.sections = {key: value.get(key) for key in ("speakers", "sources")}
        # the keys each section declares here and in sources.yaml, worked out once (not
        # once per claim): None when the file's section is not a mapping (reported
        # elsewhere)
        self.declared = {key: self._declared(key) for key in self.sections}

    def check(self) -> None:
        self._shared_twice()
        if isinstance(self.statements, dict):
            for key, entry in self.statements.items():
                if isinstance(entry, dict):
                    self._names(["statements", key], entry)
        if not isinstance(self.claims, list):
            return
        seen: dict[str, int] = {}
        for index, entry in enumerate(self.claims):
            if not isinstance(entry, dict):
                continue
            at: list[PathItem] = ["claims", index]
            self._unique_id(at, entry, index, seen)
            self._names(at, entry)
            self._statement(at, entry)

    def _declared(self, section: str) -> dict[str, Any] | None:
        """The keys `section` declares here and in sources.yaml (None: the file's
        section is not a mapping)."""
        names = self.sections[section]
        if names is not None and not isinstance(names, dict):
            return None
        declared = dict.fromkeys(names or {})
        if self.shared is not None:
            declared.update(dict.fromkeys(self.shared.keys(section)))
        return declared

    def _unique_id(
        self, at: list[PathItem], entry: dict[str, Any], index: int, seen: dict[str, int]
    ) -> None:
        claim_id = entry.get("id")
        if isinstance(claim_id, str) and claim_id.strip():
            if claim_id in seen:
                line, _ = self.doc.position(["claims", seen[claim_id], "id"])
                self.problems.append(
                    self.doc.problem(
                        [*at, "id"],
                        f"claim id `{shown(claim_id)}` is used twice in this file "
                        f"(first at line {line}): give each claim its own id",
                        "duplicate-id",
                    )
                )
            seen.setdefault(claim_id, index)

    def _names(self, at: list[PathItem], entry: dict[str, Any]) -> None:
        for key, section, rule in (
            ("by", "speakers", "unknown-speaker"),
            ("source", "sources", "unknown-source"),
        ):
            name = entry.get(key)
            declared = self.declared[section]
            # an empty name is reported as empty
            if (
                isinstance(name, str)
                and name.strip()
                and declared is not None
                and name not in declared
            ):
                message = self._unknown(key, name, section, declared)
                self.problems.append(self.doc.problem([*at, key], message, rule))

    def _statement(self, at: list[PathItem], entry: dict[str, Any]) -> None:
        name = entry.get("statement")
        if not isinstance(name, str):
            return
        if not name.strip():
            message = "`statement` is empty: name a key under `statements:` or remove the line"
            self.problems.append(self.doc.problem([*at, "statement"], message, "empty"))
            return
        statements = self.statements if isinstance(self.statements, dict) else {}
        if name not in statements:
            if self.statements is not None and not isinstance(self.statements, dict):
                return  # reported as a section of the wrong type
            text = f"`statement: {shown(name)}` names nothing under `statements:` in this file"
            message = _with_choices(text, name, "statements", statements)
            self.problems.append(self.doc.problem([*at, "statement"], message, "unknown-statement"))
            return
        line, _ = self.doc.position(["statements", name], key=True)
        for key in FROM_STATEMENT:
            if key in entry:
                self.problems.append(
                    self.doc.problem(
                        [*at, key],
                        f"this claim takes `{key}` from statement `{shown(name)}` (line {line}), "
                        f"so it cannot give its own: remove `{key}:` here, or remove "
                        "`statement:` and give `by`, `source` and `said` here",
                        "statement-conflict",
                        key=True,
                    )
                )

    def _shared_twice(self) -> None:
        """A key both here and in sources.yaml would name two things: one must go."""
        if self.shared is None:
            return
        for section, noun in (("speakers", "speaker"), ("sources", "source")):
            names = self.sections[section]
            if not isinstance(names, dict):
                continue
            for key in names:
                line = self.shared.line(section, key)
                if line is None:
                    continue
                self.problems.append(
                    self.doc.problem(
                        [section, key],
                        f"{noun} `{shown(key)}` is defined here and in {self.shared.file} "
                        f"(line {line}): keep one. What several sides cite belongs in "
                        f"{self.shared.file} only; a {noun} of this side alone, here only "
                        "(rename one key if they are two)",
                        "shared-duplicate",
                        key=True,
                    )
                )

    def _unknown(self, key: str, name: str, section: str, choices: dict[str, Any]) -> str:
        where = "in this file"
        if self.shared is not None:
            where = f"in this file or in {self.shared.file}"
        return _with_choices(f"`{key}: {shown(name)}` names nothing under `{section}:` {where}",
                             name, section, choices)  # fmt: skip


def _with_choices(text: str, name: str, section: str, choices: dict[str, Any]) -> str:
    import difflib

    # difflib compares with every choice: bounded, so that a file with thousands of
    # speakers and bad references cannot take minutes
    if len(choices) <= _MAX_SUGGEST:
        close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
        if close:
            return f"{text}: did you mean `{close[0]}`?"
    if 0 < len(choices) <= 10:
        return f"{text}: use one of {', '.join(choices)}, or add it under `{section}:`"
    return f"{text}: add it under `{section}:`"
