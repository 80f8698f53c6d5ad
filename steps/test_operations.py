"""Binds operations.feature."""

from pytest_bdd import scenarios

scenarios("operations.feature")
