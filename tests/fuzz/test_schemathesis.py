"""schemathesis over every operation of the store's own OpenAPI document, in process.

All of its checks run (status codes, content types and response schemas included), with
valid and invalid input, as a shopper and as the store admin, then its stateful phase
follows the links between operations. Any failure is a bug of the store or a gap in its
document: it is fixed there, and becomes a scenario of features/security.feature.
"""

from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import Case

from app.main import create_app
from harness.databases import SchemaTemplate
from tests.fuzz.conftest import (
    MAX_EXAMPLES,
    REQUEST_TIMEOUT_SECONDS,
    SEED,
    STATEFUL_STEPS,
    fuzz_config,
    open_store,
    sent_as,
    store_settings,
)

# `format: email` says less than the store checks: it takes addresses a mail server can
# deliver to (USER-03), never a special-use domain such as `.test` or `.invalid`.
schemathesis.openapi.format(
    "email",
    st.from_regex(
        r"\A[a-z0-9]{1,12}(?:[._-][a-z0-9]{1,12}){0,2}@(?:example\.com|mail\.example\.org)\Z"
    ),
)

# The document is the one the store serves; each test sends its requests to a store of
# its own (`signed_in["app"]`), never to this one.
DOCUMENTED = create_app(store_settings())
schema = schemathesis.openapi.from_dict(DOCUMENTED.openapi(), config=fuzz_config())
schema.app = DOCUMENTED


# One store per test, on purpose: the examples of one operation share it, as clients do.
BOUND = settings(
    deadline=timedelta(seconds=REQUEST_TIMEOUT_SECONDS),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.parametrize()
@BOUND
def test_every_operation(case: Case, signed_in: dict[str, Any]) -> None:
    case.call_and_validate(**signed_in)


# The stateful phase: schemathesis chains operations through the links it infers (a product
# added, then read and changed; an account made, then read, changed and deleted), as the
# shopper or the admin. Each chain starts on a store of its own, so that replaying a chain
# to shrink a failure meets the same store.
LINKED = schema.as_state_machine()


@pytest.mark.parametrize("who", ["shopper", "admin"])
def test_every_chain_of_operations(
    who: str, schema_template: SchemaTemplate, tmp_path: Path
) -> None:
    class SignedIn(LINKED):  # type: ignore[misc,valid-type]
        def setup(self) -> None:
            self.stack = ExitStack()
            self.sent_with = sent_as(
                self.stack.enter_context(open_store(schema_template, tmp_path)), who
            )

        def teardown(self) -> None:
            self.stack.close()

        def get_call_kwargs(self, case: Case) -> dict[str, Any]:  # noqa: ARG002
            return self.sent_with

    SignedIn.run(
        settings=settings(
            BOUND,
            max_examples=MAX_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            database=None,
            derandomize=SEED != "random",
        )
    )
