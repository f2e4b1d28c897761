"""Words every renderer uses alike: verdicts in the plural, a claim's facets."""

from __future__ import annotations

from factcmp.model import Claim
from factcmp.result import Verdict

PLURAL = {
    Verdict.CONTRADICTION: ("contradiction", "contradictions"),
    Verdict.DISCREPANCY: ("discrepancy", "discrepancies"),
    Verdict.AGREEMENT: ("agreement", "agreements"),
    Verdict.UNJUDGED: ("unjudged", "unjudged"),
    Verdict.ONE_SIDED: ("one-sided", "one-sided"),
}


def facets(claim: Claim) -> list[str]:
    """The typed facets of a claim, in words, for display."""
    out = []
    if claim.denies:
        out.append("denies")
    if claim.count is not None:
        out.append(f"count {claim.count.shown()}")
    if claim.subject:
        out.append(f"subject {claim.subject}")
    if claim.actor:
        out.append(f"actor {claim.actor}")
    if claim.places:
        out.append("places " + ", ".join(claim.places))
    if claim.period:
        out.append(f"period {claim.period.shown()}")
    return out
