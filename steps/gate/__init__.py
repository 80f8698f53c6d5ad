"""Read the specification without running it: features, step definitions, bindings, traceability."""
