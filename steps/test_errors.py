"""Binds errors.feature."""

from pytest_bdd import scenarios

scenarios("errors.feature")
