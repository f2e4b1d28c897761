"""Comparing: matching claims across sides, judging each pair, selecting claims, the
timeline and changes between revisions."""
