"""Accounts: sign-up, the signed-in user, and managing accounts."""

from fastapi import APIRouter, Response, status

from app.auth.deps import CurrentUser
from app.core.deps import ClockDep, IdPath, PasswordsDep, SessionDep
from app.core.pagination import Page, PageDep
from app.core.responses import error_responses
from app.users import service
from app.users.schemas import UserCreate, UserRead, UserUpdate

router = APIRouter(tags=["users"])


@router.post(
    "/register",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(409, body=True),
)
async def sign_up(
    data: UserCreate, session: SessionDep, passwords: PasswordsDep, clock: ClockDep
) -> UserRead:
    """Sign up: create an account and send it a welcome email."""
    user = await service.register_user(session=session, data=data, passwords=passwords, clock=clock)
    return UserRead.model_validate(user)


router.add_api_route(
    "/users",
    sign_up,
    methods=["POST"],
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(409, body=True),
    summary="Create user",
    operation_id="create_user",
    description="Sign up under the resource path: the same operation as `POST /register`.",
)


@router.get("/me", response_model=UserRead, responses=error_responses(401))
async def read_me(user: CurrentUser) -> UserRead:
    """Return the signed-in user's account."""
    return UserRead.model_validate(user)


@router.get("/users", response_model=Page[UserRead], responses=error_responses(401))
async def list_users(_user: CurrentUser, session: SessionDep, page: PageDep) -> Page[UserRead]:
    """List accounts, a page at a time."""
    users, total = await service.list_users(session=session, page=page)
    return Page[UserRead].of(users, total=total, page=page)


@router.get("/users/{user_id}", response_model=UserRead, responses=error_responses(401, 404))
async def read_user(user_id: IdPath, _user: CurrentUser, session: SessionDep) -> UserRead:
    """Return one account."""
    return UserRead.model_validate(await service.get_user(session=session, user_id=user_id))


@router.put(
    "/users/{user_id}",
    response_model=UserRead,
    responses=error_responses(401, 403, 404, 409, body=True),
)
async def update_user(
    user_id: IdPath,
    data: UserUpdate,
    user: CurrentUser,
    session: SessionDep,
    passwords: PasswordsDep,
    clock: ClockDep,
) -> UserRead:
    """Change an account: its owner or an admin may."""
    updated = await service.update_user(
        session=session, user_id=user_id, data=data, actor=user, passwords=passwords, clock=clock
    )
    return UserRead.model_validate(updated)


@router.delete(
    "/users/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 403, 404),
)
async def delete_user(
    user_id: IdPath, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> Response:
    """Delete an account: its owner or an admin may."""
    await service.delete_user(session=session, user_id=user_id, actor=user, clock=clock)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
