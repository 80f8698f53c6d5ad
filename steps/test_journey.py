"""Binds journey.feature."""

from pytest_bdd import scenarios

scenarios("journey.feature")
