"""The live store and what the suite runs beside it: the SMTP sink, the payment provider,
and, when the suite started the store itself, a way into its database to empty it."""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from anyio.from_thread import BlockingPortal
from sqlalchemy import delete, make_url

from app.core.db import Database
from app.models import metadata
from app.users.models import User
from harness.databases import ServerDatabase
from harness.live.servers import ServerProcess, restarted, running_servers
from harness.mailserver import MailServer, running_mail_server
from harness.provider import HttpProvider
from harness.target import Target


@dataclass
class Deployment:
    """The store the scenarios speak to over HTTP, and the parts beside it."""

    target: Target
    sink: MailServer | None
    provider: HttpProvider | None
    database: Database | None
    servers: list[ServerProcess]

    async def empty(self) -> None:
        """Empty the store's database, keeping only the admin its settings name."""
        if self.database is None:
            return
        admin = self.target.settings.admin_email
        async with self.database.engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):
                if table.name == User.__tablename__:
                    await connection.execute(delete(table).where(table.c.email != admin))
                else:
                    await connection.execute(delete(table))

    def kill_one_and_start_again(self) -> None:
        """Kill the last replica outright (SIGKILL), then start it again on its port."""
        victim = self.servers[-1]
        victim.kill()
        self.servers[-1] = restarted(victim)

    def start_scenario(self, portal: BlockingPortal) -> None:
        """Give the next scenario an empty store, an empty mailbox and a fresh provider."""
        portal.call(self.empty)
        if self.sink is not None:
            self.sink.reset()
        if self.provider is not None:
            self.provider.reset()


@contextmanager
def deployed(target: Target, portal: BlockingPortal) -> Iterator[Deployment]:
    """Run the sink and the provider, and, for --live-server, the store's servers too."""
    with ExitStack() as stack:
        sink = None
        if target.mail_port is not None:
            sink = stack.enter_context(running_mail_server(target.mail_port))
        provider = None
        if target.provider_port is not None:
            provider = HttpProvider(
                target.provider_port, timeout_seconds=target.settings.payment_timeout_seconds
            )
            stack.callback(provider.stop)
        database: Database | None = None
        servers: list[ServerProcess] = []
        if target.kind == "live server":
            target.folder.mkdir(parents=True, exist_ok=True)
            url = target.settings.database_url
            if target.server_url:
                name = make_url(url).database or ""
                portal.call(ServerDatabase.recreate, target.server_url, name)
            servers = stack.enter_context(running_servers(target.replicas, target.folder))
            database = Database.from_url(url)
            stack.callback(portal.call, database.dispose)
        yield Deployment(target, sink, provider, database, servers)
