"""The health check."""

import asyncio
import logging
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from app.core.deps import DatabaseDep

router = APIRouter(tags=["health"])
logger = logging.getLogger("app.health")
# A load balancer's check must not hang with a stalled database: past this, it is down.
HEALTH_TIMEOUT_SECONDS = 2.0


class Health(BaseModel):
    """Whether the service and its database are up."""

    status: Literal["ok", "unavailable"]
    database: Literal["ok", "unavailable"]


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database cannot be reached in time"}},
)
async def health(database: DatabaseDep) -> Health | JSONResponse:
    """Tell whether the service can reach its database."""
    try:
        async with (
            asyncio.timeout(HEALTH_TIMEOUT_SECONDS),
            database.session(read_only=True) as session,
        ):
            await session.execute(text("SELECT 1"))
    except Exception:
        logger.warning("The database cannot be reached", exc_info=True)
        down = Health(status="unavailable", database="unavailable")
        return JSONResponse(down.model_dump(), status_code=503)
    return Health(status="ok", database="ok")
