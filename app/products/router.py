"""The catalogue: browsing it, and the store admin's changes."""

from fastapi import APIRouter, status

from app.auth.deps import AdminUser
from app.core.deps import ClockDep, IdPath, SessionDep
from app.core.money import ExactJSONRoute
from app.core.pagination import Page, PageDep
from app.core.responses import error_responses
from app.products import service
from app.products.schemas import ProductCreate, ProductRead, ProductUpdate

router = APIRouter(tags=["products"], route_class=ExactJSONRoute)


@router.get("/products", response_model=Page[ProductRead])
async def list_products(session: SessionDep, page: PageDep) -> Page[ProductRead]:
    """List the catalogue, a page at a time."""
    products, total = await service.list_products(session=session, page=page)
    return Page[ProductRead].of(products, total=total, page=page)


@router.get("/products/{product_id}", response_model=ProductRead, responses=error_responses(404))
async def read_product(product_id: IdPath, session: SessionDep) -> ProductRead:
    """Return one product."""
    product = await service.get_product(session=session, product_id=product_id)
    return ProductRead.model_validate(product)


@router.post(
    "/products",
    response_model=ProductRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, body=True),
)
async def create_product(
    data: ProductCreate, _admin: AdminUser, session: SessionDep, clock: ClockDep
) -> ProductRead:
    """Add a product to the catalogue: the store admin only."""
    product = await service.create_product(session=session, data=data, clock=clock)
    return ProductRead.model_validate(product)


@router.patch(
    "/products/{product_id}",
    response_model=ProductRead,
    responses=error_responses(401, 403, 404, body=True),
)
async def update_product(
    product_id: IdPath,
    data: ProductUpdate,
    _admin: AdminUser,
    session: SessionDep,
    clock: ClockDep,
) -> ProductRead:
    """Change a product's name, description, price or stock: the store admin only."""
    product = await service.update_product(
        session=session, product_id=product_id, data=data, clock=clock
    )
    return ProductRead.model_validate(product)
