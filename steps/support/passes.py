"""Passes and sign-in attempts as an attacker makes them: forged passes, wrong guesses."""

from datetime import timedelta
from typing import Any

import jwt

from app.core.config import Settings
from harness.api import Api
from harness.ports import StoreClock
from steps.support.world import Persona

# Passes signed with the store's own key whose claims are not what the store issues.
ODD_CLAIMS: dict[str, dict[str, Any]] = {
    "names its holder by a word": {"sub": "alice"},
    "names a holder number too long to be one": {"sub": "1" * 19},
    "does not say which password it was issued under": {"ver": None},
    # A pass's version is a number: true and false are not 1 and 0 (a new account's).
    "says its password version is true": {"ver": True},
    "says its password version is false": {"ver": False},
    "says when it was issued in words": {"iat": "yesterday"},
}
# The holder's own number in Arabic-Indic digits, which Python's int() would read.
OTHER_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def forged_pass(problem: str, person: Persona, settings: Settings, clock: StoreClock) -> str:
    """Make a pass with the problem the feature names."""
    now = int(clock.now().timestamp())
    claims: dict[str, Any] = {"sub": str(person.id), "iat": now, "exp": now + 600, "ver": 0}
    key, algorithm = settings.signing_key, "HS256"
    if problem == "is not a pass at all":
        return "not-a-pass"
    if problem == "has expired":
        claims.update(iat=now - 3600, exp=now - 1)
    elif problem == "was signed with another key":
        key = "another-signing-key-that-is-long-enough!"
    elif problem == "is not signed":
        return jwt.encode(claims, None, algorithm="none")
    elif problem == "was signed with another algorithm":
        algorithm = "HS512"
    elif problem == "names nobody":
        claims["sub"] = "987654321"
    elif problem == "does not say who it is for":
        del claims["sub"]
    elif problem == "does not say when it expires":
        del claims["exp"]
    elif problem == "names its holder in other digits than 0-9":
        claims["sub"] = str(person.id).translate(OTHER_DIGITS)
    elif problem in ODD_CLAIMS:
        claims.update(ODD_CLAIMS[problem])
        claims = {name: value for name, value in claims.items() if value is not None}
    else:
        raise AssertionError(f"unknown problem {problem!r}")
    return jwt.encode(claims, key, algorithm=algorithm)


def fail_sign_ins(api: Api, login: str, times: int, fake: Any, clock: StoreClock, gap: int) -> None:
    for _ in range(times):
        response = api.post("/login", data={"username": login, "password": fake.password()})
        assert response.status_code == 401, response.text
        clock.advance(timedelta(minutes=gap))
