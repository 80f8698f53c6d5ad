"""Binds authentication.feature."""

from pytest_bdd import scenarios

scenarios("authentication.feature")
