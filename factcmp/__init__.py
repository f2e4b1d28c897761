"""factcmp: compare what the sides of a dispute claim.

The package is a small library core (load, match, compare) with renderers and a
click CLI on top. This module stays import-light: `factcmp --version` pays for it.
"""

__version__ = "0.1.0"
