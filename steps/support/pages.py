"""Checking one page of a list against the whole list, read back through the API."""

import httpx


def check_page(response: httpx.Response, *, ids: list[int], count: int, nth: int) -> None:
    """Check a page: the slice of `ids` (all of them, ascending) that starts at the nth."""
    assert response.status_code == 200, response.text
    page = response.json()
    assert ids == sorted(ids), "the items are not in id order"
    assert page["total"] == len(ids) and page["skip"] == nth - 1
    assert [item["id"] for item in page["items"]] == ids[nth - 1 : nth - 1 + page["limit"]]
    assert len(page["items"]) == count
