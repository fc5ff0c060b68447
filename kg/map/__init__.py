"""Map: records plus resolved identities to triples, one work at a time, and the graph they make."""
