"""The harness of the executable specification: how scenarios reach the service.

It knows the service (it builds it, migrates its databases, fakes its ports) but
no step and no feature. `steps/`, `tests/` and `bench/` take the pieces they need:
`harness.databases` and `harness.fakes` for the lower layers, the pytest plugins
`harness.plugin` (options, seeds, guards), `harness.fixtures` (the session's loop,
template and app) and `harness.scenario` (the scenario's service, client and
recorders) for the specification.
"""
