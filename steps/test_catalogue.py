"""Binds catalogue.feature."""

from pytest_bdd import scenarios

scenarios("catalogue.feature")
