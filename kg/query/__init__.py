"""Query: SPARQL over exported graphs, on Oxigraph (or rdflib), and the shipped example queries."""
