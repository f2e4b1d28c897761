"""Claim text is untrusted: make it inert before it reaches a terminal (see
factcmp.plain, where the rules live; kept here for the renderers)."""

from __future__ import annotations

from factcmp.plain import escaped, inert, one_line

__all__ = ["escaped", "inert", "one_line"]
