"""The reports of a run: Cucumber JSON, living documentation, Gherkin terminal, @wip policy."""
