"""Renderers: each turns a `Comparison` into one output format. They never compare."""
