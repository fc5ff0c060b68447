"""Write: the exported graph as Turtle, JSON-LD and N-Triples, deterministically."""
