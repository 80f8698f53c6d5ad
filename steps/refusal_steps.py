"""Being refused: every feature's "… is refused because …", in business words."""

from pytest_bdd import parsers, then

from steps.support.refusals import refusal_for
from steps.support.world import World


@then(
    parsers.re(
        r"^(?:(?P<name>[A-Z][a-z]+)'s|the) (?P<action>[a-z -]+?) is refused because (?P<reason>.+)$"
    )
)
def is_refused(world: World, name: str | None, action: str, reason: str) -> None:
    """Check that the last request was refused, for exactly the reason given."""
    refusal_for(reason).check(world.last)
