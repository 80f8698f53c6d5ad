"""Waiting for what the store does in the background (its outbox, a held payment)."""

import time
from collections.abc import Callable


def eventually(check: Callable[[], bool], *, seconds: float = 3.0) -> bool:
    """Wait, up to `seconds`, for something that happens in the background."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return check()
