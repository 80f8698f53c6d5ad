"""Steps about the store's servers: a second one beside the first, one that dies."""

from pytest_bdd import given, then, when

from app.core.config import Settings
from harness.ports import MailOutbox, StoreServers
from harness.stores import Stores
from harness.waiting import eventually
from steps.support.world import World

# Only the message a killed server was handing over may be sent twice.
COPIES_A_KILL_MAY_CAUSE = 1


def _shoppers_addresses(world: World) -> list[str]:
    return [world.persona(name).email.lower() for name in world.shoppers]


def _delivered(mailer: MailOutbox, addresses: list[str]) -> int:
    return sum(len(mailer.messages_to(address)) for address in addresses)


@given("the store runs on a second server as well")
def second_server(stores: Stores, settings: Settings) -> None:
    """Start another server of the store on its database, sending mail as the first does."""
    stores.beside(settings)


@when("one of the store's servers dies while it delivers their welcome emails")
def server_dies_mid_delivery(store_servers: StoreServers, mailer: MailOutbox, world: World) -> None:
    """Once the emails are on their way, kill one server outright, then start it again."""
    addresses = _shoppers_addresses(world)
    assert eventually(lambda: _delivered(mailer, addresses) >= 2, seconds=10), (
        "the welcome emails never started to arrive"
    )
    delivered_before = _delivered(mailer, addresses)
    store_servers.kill_one_and_start_again()
    # Had every email been delivered already, the kill would prove nothing.
    assert delivered_before < len(addresses), "every email was delivered before the kill"


@then("each of them receives their welcome email, and any second copy is the same email")
def each_receives_theirs(mailer: MailOutbox, world: World, settings: Settings) -> None:
    """No email was lost; a copy sent again after the kill carries the first one's id."""
    addresses = _shoppers_addresses(world)
    lease = 2 * settings.email_send_timeout_seconds
    assert eventually(lambda: all(mailer.messages_to(a) for a in addresses), seconds=lease + 15), [
        a for a in addresses if not mailer.messages_to(a)
    ]
    copies = {a: [m.message_id for m in mailer.messages_to(a)] for a in addresses}
    assert all(ids[0] is not None and set(ids) == {ids[0]} for ids in copies.values()), copies
    extra = sum(len(ids) - 1 for ids in copies.values())
    assert extra <= COPIES_A_KILL_MAY_CAUSE, copies
