"""Binds payments.feature."""

from pytest_bdd import scenarios

scenarios("payments.feature")
