"""Read a specification without running it: feature files, step definitions, bindings, contract."""
