"""Validate: the exported graph against kg's SHACL shapes, with results a person can act on."""
