"""A client generated from the committed OpenAPI document takes a shopper through the store.

`openapi-python-client` writes a typed client from `docs/openapi.json`, as a client team
would; the shopper's journey (sign up, sign in, browse, order, confirm, pay, read back) then runs
through that client alone, against the store in process. A document that names
operations badly, types money as a float or leaves out a status breaks this test.
"""

import importlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from app.main import create_app
from harness.databases import SchemaTemplate
from harness.fakes import FakeClock, FakeMailer, FakePaymentGateway
from harness.settings import ADMIN, scenario_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DOCUMENT = Path(__file__).parents[2] / "docs" / "openapi.json"
PACKAGE = "storefront_client"
CONFIG = (
    f"post_hooks: []\nproject_name_override: storefront-client\npackage_name_override: {PACKAGE}\n"
)


@pytest.fixture(scope="module")
def client_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package, generated from the committed document into a folder of its own."""
    generator = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    if generator is None:
        pytest.skip("openapi-python-client is not installed (pip install -e '.[dev]')")
    folder = tmp_path_factory.mktemp("client")
    (folder / "config.yaml").write_text(CONFIG)
    subprocess.run(
        [generator, "generate", "--path", str(DOCUMENT), "--meta", "none"]
        + ["--output-path", str(folder / PACKAGE), "--config", str(folder / "config.yaml")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _module(package: ModuleType, name: str) -> Any:
    return importlib.import_module(f"{package.__name__}.{name}")


async def _signed_in(
    package: ModuleType, transport: httpx.AsyncBaseTransport, name: str, password: str
) -> Any:
    client = package.Client(base_url="http://store.test", httpx_args={"transport": transport})
    sign_in = _module(package, "api.auth.sign_in")
    form = _module(package, "models").BodySignIn(username=name, password=password)
    token = await sign_in.asyncio(client=client, body=form)
    assert token is not None and token.token_type == "bearer", token
    return package.AuthenticatedClient(
        base_url="http://store.test", token=token.access_token, httpx_args={"transport": transport}
    )


@pytest.mark.asyncio
async def test_a_shopper_buys_through_the_generated_client(
    client_package: ModuleType, schema_template: SchemaTemplate, tmp_path: Path
) -> None:
    models = _module(client_package, "models")
    database = tmp_path / "store.db"
    shutil.copyfile(schema_template.path, database)
    settings = scenario_settings().model_copy(
        update={"database_url": f"sqlite+aiosqlite:///{database}"}
    )
    app = create_app(
        settings, mailer=FakeMailer(), clock=FakeClock(), payment_gateway=FakePaymentGateway()
    )
    transport = httpx.ASGITransport(app=app)
    async with LifespanManager(app):
        visitor = client_package.Client(
            base_url="http://store.test", httpx_args={"transport": transport}
        )
        shopper = models.UserCreate(
            email="ada@example.com", username="ada", password="journey-passw0rd"
        )
        account = await _module(client_package, "api.users.sign_up").asyncio(
            client=visitor, body=shopper
        )
        assert isinstance(account, models.UserRead) and account.username == "ada"

        admin = await _signed_in(client_package, transport, ADMIN.username, ADMIN.password)
        product = await _module(client_package, "api.products.create_product").asyncio(
            client=admin, body=models.ProductCreate(name="Teapot", price="19.99", stock=5)
        )
        assert isinstance(product, models.ProductRead) and product.price == "19.99"

        ada = await _signed_in(client_package, transport, "ada", "journey-passw0rd")
        page = await _module(client_package, "api.products.list_products").asyncio(client=ada)
        assert [item.name for item in page.items] == ["Teapot"]

        order = await _module(client_package, "api.orders.create_order").asyncio(
            client=ada,
            body=models.OrderCreate(
                items=[models.OrderItemCreate(product_id=product.id, quantity=2)]
            ),
        )
        assert isinstance(order, models.OrderRead), order
        assert isinstance(order.total, str) and Decimal(order.total) == Decimal("39.98")

        confirmed = await _module(client_package, "api.orders.confirm_order").asyncio(
            client=ada, order_id=order.id
        )
        assert confirmed.status == models.OrderStatus.CONFIRMED, confirmed
        paid = await _module(client_package, "api.payments.pay_for_order").asyncio_detailed(
            client=ada,
            body=models.PaymentCreate(
                order_id=order.id,
                amount=order.total,
                currency=models.PaymentCreateCurrency(order.currency.value),
            ),
            idempotency_key="journey-1",
        )
        assert paid.status_code == 200, paid.content

        again = await _module(client_package, "api.orders.read_order").asyncio(
            client=ada, order_id=order.id
        )
        assert again.status == models.OrderStatus.PAID
        left = await _module(client_package, "api.products.read_product").asyncio(
            client=visitor, product_id=product.id
        )
        assert left.stock == 3
