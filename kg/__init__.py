"""kg: bibliographic search results to a validated schema.org + BIBO knowledge graph."""

__version__ = "0.1.0"
