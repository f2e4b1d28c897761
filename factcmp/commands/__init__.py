"""The commands of the `factcmp` command line, one module per group (see cli.py)."""
