"""Pages of a list: `skip`, `limit` and the envelope around the items."""

from collections.abc import Iterable
from typing import Annotated, Any, Generic, Self, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

from app.core.schemas import AsciiDigits

T = TypeVar("T")

# Beyond this a SQL OFFSET overflows a 64-bit integer; it is refused with 422.
MAX_SKIP = 2**62


class PageParams(BaseModel):
    """Where a page starts and how long it is."""

    skip: int
    limit: int


Skip = Annotated[int, Query(ge=0, le=MAX_SKIP, description="Items to skip"), AsciiDigits]
Limit = Annotated[int, Query(ge=1, le=100, description="Items per page"), AsciiDigits]


# FastAPI reads these defaults from the signature once, at import, never from a mutant of
# the function: mutmut's changes to them could not be seen, so it makes none.
def page_params(
    skip: Skip = 0,  # pragma: no mutate
    limit: Limit = 10,  # pragma: no mutate
) -> PageParams:
    """Read `skip` and `limit` from the query string."""
    return PageParams(skip=skip, limit=limit)


PageDep = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    """A page of items, ordered by id, and how many there are in all."""

    items: list[T]
    total: int
    skip: int
    limit: int

    @classmethod
    def of(cls, records: Iterable[Any], *, total: int, page: PageParams) -> Self:
        """Build a page from its records, the total, and where it starts.

        The records are rows, read by attribute: every item schema says `from_attributes`.
        """
        return cls.model_validate(
            {"items": list(records), "total": total, "skip": page.skip, "limit": page.limit}
        )
