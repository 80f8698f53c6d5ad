"""The people of every feature: shoppers with accounts, signed in, and the store admin."""

from pytest_bdd import given, parsers

from app.core.config import Settings
from harness.api import Api
from steps.support.people import as_store_admin, register, signed_in
from steps.support.vocabulary import NAME
from steps.support.world import Persona, World


@given(parsers.re(rf"^{NAME} has an account$"), target_fixture="persona")
def has_an_account(api: Api, world: World, name: str) -> Persona:
    """Sign the person up through the API."""
    return register(api, world.persona(name))


@given(parsers.re(rf"^{NAME} is signed in$"), target_fixture="persona")
def is_signed_in(api: Api, world: World, name: str) -> Persona:
    """Sign the person up, if need be, and sign them in."""
    return signed_in(api, world, name)


@given(parsers.re(rf"^{NAME} is the store admin$"), target_fixture="persona")
def is_the_store_admin(api: Api, world: World, settings: Settings, name: str) -> Persona:
    """Sign the person in as the admin that the store's settings name."""
    return as_store_admin(api, world, settings, name)
