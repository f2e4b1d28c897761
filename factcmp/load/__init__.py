"""Loading: finding the claim files, reading YAML with positions, validating each side."""
