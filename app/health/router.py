"""The health check."""

import asyncio
import logging
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.core.deps import DatabaseDep
from app.health.service import can_read, can_write

router = APIRouter(tags=["health"])
logger = logging.getLogger("app.health")
# A load balancer's check must not hang with a stalled database: past this, it is down.
HEALTH_TIMEOUT_SECONDS = 2.0


class Health(BaseModel):
    """Whether the service and its database are up, and whether the store can write."""

    status: Literal["ok", "unavailable"]
    database: Literal["ok", "unavailable", "read-only"]


@router.get(
    "/health",
    response_model=Health,
    responses={
        503: {
            "model": Health,
            "description": "The database cannot be reached in time, or cannot be written to",
        }
    },
)
async def check_health(database: DatabaseDep) -> Health | JSONResponse:
    """Tell whether the service can reach its database and write to it."""
    state: Literal["ok", "unavailable", "read-only"] = "ok"
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT_SECONDS):
            await can_read(database)
            try:
                await can_write(database)
            except (TimeoutError, asyncio.CancelledError):
                raise
            except Exception:
                logger.warning("The database cannot be written to", exc_info=True)
                state = "read-only"
    except Exception:
        logger.warning("The database cannot be reached", exc_info=True)
        state = "unavailable"
    if state != "ok":
        down = Health(status="unavailable", database=state)
        return JSONResponse(down.model_dump(), status_code=503)
    return Health(status="ok", database="ok")
