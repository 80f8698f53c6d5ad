"""Password hashing and access tokens."""

import asyncio
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.core.clock import Clock
from app.core.config import Settings

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ("sub", "exp", "iat", "ver")

# Argon2id at the OWASP minimum: m=19456 KiB, t=2, p=1.
OWASP_ARGON2: dict[str, Any] = {"memory_cost": 19456, "time_cost": 2, "parallelism": 1}
# The cheapest parameters Argon2 accepts: for APP_ENV=test only (Settings enforces it).
FAST_ARGON2: dict[str, Any] = {"memory_cost": 8, "time_cost": 1, "parallelism": 1}


class Passwords:
    """Hash and verify passwords with Argon2id, at most `concurrency` at a time.

    Each Argon2id hash at the OWASP profile holds 19 MiB for its duration: the async
    calls queue for one of `concurrency` threads of their own, so a burst of sign-ins
    waits its turn (and is answered, later) instead of taking memory per request.
    """

    def __init__(self, profile: str, *, concurrency: int = 2) -> None:
        params = FAST_ARGON2 if profile == "fast" else OWASP_ARGON2
        self._hash = PasswordHash((Argon2Hasher(**params),))
        # Unknown names are checked against this, so a sign-in takes as long either way.
        self._dummy = self._hash.hash(secrets.token_urlsafe(16))
        # Threads start when first needed; they serve any event loop.
        self._threads = ThreadPoolExecutor(concurrency, thread_name_prefix="argon2")

    def hash(self, password: str) -> str:
        """Return the Argon2id hash of a password."""
        return str(self._hash.hash(password))

    async def hash_async(self, password: str) -> str:
        """Hash in a hashing thread: Argon2id takes tens of milliseconds of CPU."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self.hash, password)

    async def verify_async(self, password: str, password_hash: str | None) -> bool:
        """Verify in a hashing thread, so the event loop serves other requests meanwhile."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self.verify, password, password_hash)

    def verify(self, password: str, password_hash: str | None) -> bool:
        """Tell whether a password matches a hash; with no hash, spend the same time and fail."""
        if password_hash is None:
            self._hash.verify(password, self._dummy)
            return False
        return bool(self._hash.verify(password, password_hash))


@dataclass(frozen=True)
class TokenClaims:
    """What a valid access token says."""

    user_id: int
    version: int


class InvalidToken(Exception):
    """The token is malformed, expired, badly signed or lacks a claim."""


class Tokens:
    """Issue and read HS256 access tokens."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._key = settings.signing_key
        self._lifetime = timedelta(minutes=settings.access_token_expire_minutes)
        self._clock = clock

    def issue(self, *, user_id: int, version: int) -> str:
        """Return a signed token for a user at their current token version."""
        now = self._clock.now()
        claims: dict[str, Any] = {
            "sub": str(user_id),
            "iat": int(now.timestamp()),
            "exp": int((now + self._lifetime).timestamp()),
            "ver": version,
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM)

    def read(self, token: str) -> TokenClaims:
        """Return the claims of a valid token, or raise `InvalidToken`."""
        try:
            # PyJWT checks exp and iat against the wall clock; only the service's clock counts
            # (exp is checked against it below; a token "issued in the future" is harmless).
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                options={
                    "require": list(REQUIRED_CLAIMS),
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken from exc
        sub, exp, version = claims.get("sub"), claims.get("exp"), claims.get("ver")
        if not isinstance(exp, int) or exp <= self._clock.now().timestamp():
            raise InvalidToken
        if not isinstance(sub, str) or not (sub.isascii() and sub.isdecimal()) or len(sub) > 18:
            raise InvalidToken
        if not isinstance(version, int) or isinstance(version, bool):
            raise InvalidToken
        if not isinstance(claims.get("iat"), int):
            raise InvalidToken
        return TokenClaims(user_id=int(sub), version=version)
