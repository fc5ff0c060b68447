"""What every stage shares: the typed record, problems and errors, RDF shapes and namespaces,
shipped files, atomic writes, progress, and reading RDF files strictly."""
