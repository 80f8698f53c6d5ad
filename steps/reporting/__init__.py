"""Reports of the acceptance suite: Cucumber JSON, living documentation, the @wip policy."""
