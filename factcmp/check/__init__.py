"""Checking: every problem in every claim file, the lint rules and their registry."""
