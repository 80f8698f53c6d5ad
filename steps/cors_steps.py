"""Web pages of other origins, allowed only where the store's settings say so."""

from pathlib import Path

from pytest_bdd import given, parsers, then, when

from harness.stores import Stores
from steps.support.operation import settings_for, start, that_store
from steps.support.world import World


@given(parsers.re(r'^a store that allows web pages from "(?P<origin>[^"]+)"$'))
def store_with_cors(world: World, stores: Stores, tmp_path: Path, origin: str) -> None:
    """Start a store with APP_CORS_ORIGINS naming the origin."""
    start(world, stores, settings_for(world, tmp_path, cors_origins=[origin]))


@when(parsers.re(r'^a browser showing "(?P<origin>[^"]+)" asks to sign in there$'))
def browser_preflight(world: World, origin: str) -> None:
    """Send the preflight a browser sends before a cross-origin sign-in."""
    world.response = that_store(world).raw(
        "OPTIONS",
        "/api/v1/login",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )


@then(
    parsers.re(
        r'^the browser is (?P<verdict>allowed|not allowed) to call the store from "(?P<origin>[^"]+)"$'
    )
)
def browser_verdict(world: World, verdict: str, origin: str) -> None:
    """The preflight's answer allows exactly the configured origin."""
    allowed = world.last.headers.get("access-control-allow-origin")
    if verdict == "allowed":
        assert world.last.status_code == 200 and allowed == origin
        assert "POST" in world.last.headers["access-control-allow-methods"]
    else:
        assert world.last.status_code == 400 and allowed is None
