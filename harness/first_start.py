"""The store's first start, done once into the scenarios' template.

An operator's store makes its configured admin the first time it starts, and sends
that admin a welcome email. Doing it once into the template, rather than in every
scenario, means each scenario starts from a store that has started before: the
admin is there, and its start-up finds it in one query.
"""

import asyncio

from asgi_lifespan import LifespanManager

from app.core.config import Settings
from app.core.db import Database
from app.main import create_app
from harness.fakes import FakeClock, FakeMailer

FIRST_START_SECONDS = 10.0


async def first_start(database: Database, settings: Settings) -> None:
    """Start the store once on the database, until its admin's welcome email is sent."""
    mailer = FakeMailer()
    app = create_app(settings, database=database, mailer=mailer, clock=FakeClock())
    async with LifespanManager(app):
        if settings.admin_email is None:
            return
        async with asyncio.timeout(FIRST_START_SECONDS):
            while not mailer.messages_to(settings.admin_email):
                await asyncio.sleep(0.01)
