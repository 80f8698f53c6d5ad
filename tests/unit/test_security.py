"""Unit tests of password hashing and access tokens."""

import asyncio
import base64
import json
import statistics
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from pydantic import ValidationError

from app.core.config import Settings
from app.core.security import InvalidToken, Passwords, TokenClaims, Tokens
from harness.fakes import FakeClock

pytestmark = [pytest.mark.unit, pytest.mark.auth]

KEY = "unit-test-signing-key-" + "0123456789abcdef" * 4
LIFETIME_MINUTES = 30


@pytest.fixture(scope="module")
def owasp() -> Passwords:
    return Passwords("owasp")


@pytest.fixture(scope="module")
def fast() -> Passwords:
    return Passwords("fast")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tokens(clock: FakeClock) -> Tokens:
    return Tokens(_settings(), clock)


def _settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "env": "test",
        "secret_key": KEY,
        "access_token_expire_minutes": LIFETIME_MINUTES,
    }
    return Settings(_env_file=None, **(values | overrides))


def _argon2_parameters(password_hash: str) -> tuple[str, dict[str, int]]:
    """Split `$argon2id$v=19$m=19456,t=2,p=1$salt$digest` into its variant and parameters."""
    _, variant, _version, params, _salt, _digest = password_hash.split("$")
    return variant, {name: int(value) for name, value in (p.split("=") for p in params.split(","))}


def _segment(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(clock: FakeClock, **overrides: Any) -> dict[str, Any]:
    now = int(clock.now().timestamp())
    claims: dict[str, Any] = {"sub": "42", "iat": now, "exp": now + 60, "ver": 0}
    return {k: v for k, v in (claims | overrides).items() if v is not None}


# Passwords


def test_owasp_profile_hashes_with_argon2id_at_the_owasp_minimum(owasp: Passwords) -> None:
    variant, params = _argon2_parameters(owasp.hash("correct horse 1"))
    assert variant == "argon2id"
    assert params == {"m": 19456, "t": 2, "p": 1}


def test_fast_profile_is_argon2id_with_cheap_parameters(fast: Passwords) -> None:
    variant, params = _argon2_parameters(fast.hash("correct horse 1"))
    assert variant == "argon2id"
    assert params["m"] < 19456


def test_fast_profile_is_refused_outside_the_test_environment() -> None:
    for env in ("development", "production"):
        with pytest.raises(ValidationError, match="only allowed with APP_ENV=test"):
            Settings(
                _env_file=None,
                env=env,
                password_hash_profile="fast",
                secret_key="k" * 32,
            )
    assert _settings(password_hash_profile="fast").password_hash_profile == "fast"


def test_each_hash_has_its_own_salt(fast: Passwords) -> None:
    assert fast.hash("same password 1") != fast.hash("same password 1")


@pytest.mark.parametrize("profile", ["fast", "owasp"])
def test_verify_accepts_the_password_and_refuses_another(
    profile: str, fast: Passwords, owasp: Passwords
) -> None:
    passwords = fast if profile == "fast" else owasp
    stored = passwords.hash("s3cret-enough")
    assert passwords.verify("s3cret-enough", stored) is True
    assert passwords.verify("s3cret-enough ", stored) is False
    assert passwords.verify("S3cret-enough", stored) is False


def test_verify_without_a_hash_fails(fast: Passwords) -> None:
    assert fast.verify("anything at all 1", None) is False


def test_verify_without_a_hash_spends_a_real_verify(owasp: Passwords) -> None:
    # An unknown name must cost what a wrong password costs, or timing tells them apart.
    # An OWASP verify takes tens of milliseconds; returning at once would take microseconds,
    # so a generous lower bound is robust on a busy machine.
    stored = owasp.hash("s3cret-enough")

    def median_seconds(password_hash: str | None) -> float:
        samples = []
        for _ in range(3):
            started = time.perf_counter()
            owasp.verify("wrong password 1", password_hash)
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    assert median_seconds(None) > 0.25 * median_seconds(stored)
    assert median_seconds(None) > 0.002


# Tokens


def test_a_token_reads_back_as_its_user_and_version(tokens: Tokens) -> None:
    token = tokens.issue(user_id=42, version=3)
    assert tokens.read(token) == TokenClaims(user_id=42, version=3)


def test_a_token_carries_the_contract_claims(tokens: Tokens, clock: FakeClock) -> None:
    token = tokens.issue(user_id=7, version=0)
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert header["alg"] == "HS256"
    assert claims["sub"] == "7"
    assert claims["iat"] == int(clock.now().timestamp())
    assert claims["exp"] - claims["iat"] == LIFETIME_MINUTES * 60


def test_tokens_follow_the_injected_clock_not_the_wall_clock(clock: FakeClock) -> None:
    # Issued and read by a clock far from the machine's: only the service's clock counts.
    for start in (datetime(2001, 1, 1, tzinfo=UTC), datetime(2101, 1, 1, tzinfo=UTC)):
        clock.reset(start)
        tokens = Tokens(_settings(), clock)
        assert tokens.read(tokens.issue(user_id=1, version=0)).user_id == 1


def test_a_token_expires_by_the_injected_clock(tokens: Tokens, clock: FakeClock) -> None:
    token = tokens.issue(user_id=42, version=0)
    clock.advance(timedelta(minutes=LIFETIME_MINUTES) - timedelta(seconds=1))
    assert tokens.read(token).user_id == 42
    clock.advance(timedelta(seconds=1))
    with pytest.raises(InvalidToken):
        tokens.read(token)


def test_a_tampered_signature_is_refused(tokens: Tokens) -> None:
    header, payload, signature = tokens.issue(user_id=42, version=0).split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    with pytest.raises(InvalidToken):
        tokens.read(f"{header}.{payload}.{flipped}")


def test_a_tampered_payload_is_refused(tokens: Tokens, clock: FakeClock) -> None:
    header, _payload, signature = tokens.issue(user_id=42, version=0).split(".")
    forged = _segment(_claims(clock, sub="1"))
    with pytest.raises(InvalidToken):
        tokens.read(f"{header}.{forged}.{signature}")


def test_an_unsigned_alg_none_token_is_refused(tokens: Tokens, clock: FakeClock) -> None:
    token = f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment(_claims(clock))}."
    with pytest.raises(InvalidToken):
        tokens.read(token)


@pytest.mark.parametrize(
    ("key", "algorithm"),
    [(KEY, "HS512"), (KEY, "HS384"), ("another-signing-key-" + "fedcba9876543210" * 4, "HS256")],
)
def test_a_token_signed_otherwise_is_refused(
    tokens: Tokens, clock: FakeClock, key: str, algorithm: str
) -> None:
    token = jwt.encode(_claims(clock), key, algorithm=algorithm)
    with pytest.raises(InvalidToken):
        tokens.read(token)


def test_a_well_formed_token_signed_with_the_key_is_read(tokens: Tokens, clock: FakeClock) -> None:
    # The control for the tests below: only the claim each one changes makes it invalid.
    token = jwt.encode(_claims(clock), KEY, algorithm="HS256")
    assert tokens.read(token) == TokenClaims(user_id=42, version=0)


@pytest.mark.parametrize("missing", ["sub", "exp", "iat", "ver"])
def test_a_token_without_a_required_claim_is_refused(
    tokens: Tokens, clock: FakeClock, missing: str
) -> None:
    claims = _claims(clock)
    del claims[missing]
    with pytest.raises(InvalidToken):
        tokens.read(jwt.encode(claims, KEY, algorithm="HS256"))


@pytest.mark.parametrize(
    "overrides",
    [
        {"sub": "abc"},
        {"sub": "-1"},
        {"sub": "1.5"},
        {"sub": " 42"},
        {"sub": ""},
        {"sub": "1" * 19},
        {"sub": 42},
        {"sub": "\u0664\u0662"},
        {"iat": "yesterday"},
        {"ver": "0"},
        {"ver": True},
        {"exp": "never"},
    ],
    ids=repr,
)
def test_a_token_with_an_odd_claim_is_refused(
    tokens: Tokens, clock: FakeClock, overrides: dict[str, Any]
) -> None:
    token = jwt.encode(_claims(clock, **overrides), KEY, algorithm="HS256")
    with pytest.raises(InvalidToken):
        tokens.read(token)


@pytest.mark.parametrize("token", ["", "not-a-token", "a.b.c", "a.b", "....", "é.é.é"])
def test_a_malformed_token_is_refused(tokens: Tokens, token: str) -> None:
    with pytest.raises(InvalidToken):
        tokens.read(token)


@pytest.mark.asyncio(loop_scope="function")
async def test_no_more_passwords_are_checked_at_once_than_the_setting_allows() -> None:
    class Counting(Passwords):
        def __init__(self) -> None:
            super().__init__("fast", concurrency=2)
            self.now = self.most = 0
            self.lock = threading.Lock()

        def verify(self, password: str, password_hash: str | None) -> bool:
            with self.lock:
                self.now += 1
                self.most = max(self.most, self.now)
            time.sleep(0.02)
            try:
                return super().verify(password, password_hash)
            finally:
                with self.lock:
                    self.now -= 1

    passwords = Counting()
    stored = passwords.hash("right-password-1")
    guesses = ["right-password-1" if n % 2 else "wrong-password-1" for n in range(8)]
    answers = await asyncio.gather(*(passwords.verify_async(g, stored) for g in guesses))
    assert answers == [n % 2 == 1 for n in range(8)]
    assert passwords.most == 2
