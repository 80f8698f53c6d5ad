"""Sign-in."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from app.auth import service
from app.auth.schemas import Token
from app.core.deps import ClockDep, PasswordsDep, SessionDep, SettingsDep, TokensDep
from app.core.responses import error_responses

router = APIRouter(tags=["auth"])


@router.post(
    "/login",
    response_model=Token,
    responses=error_responses(401, 429, body=True),
)
async def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    passwords: PasswordsDep,
    tokens: TokensDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Token:
    """Sign in with a username or email and a password."""
    access_token = await service.sign_in(
        session=session,
        name=form.username,
        password=form.password,
        passwords=passwords,
        tokens=tokens,
        clock=clock,
        settings=settings,
    )
    return Token(access_token=access_token)
