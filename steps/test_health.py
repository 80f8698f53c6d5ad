"""Binds health.feature."""

from pytest_bdd import scenarios

scenarios("health.feature")
