"""pytest-bdd-toolkit: trustworthy reports and a static gate for pytest-bdd suites.

The pytest plugin (`pytest_bdd_toolkit.plugin`, loaded by its `pytest11`
entry point) writes Cucumber JSON and the living documentation under
pytest-xdist too, applies the @wip policy and makes the Gherkin terminal
reporter work with rules and workers. `bdd-gate` and `bdd-catalogue` read
the specification without running it.
"""

__version__ = "0.1.0"
