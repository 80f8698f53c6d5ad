"""A small run of every kind of outcome, made by hand, for the report writers' tests."""

from __future__ import annotations

from pytest_bdd_toolkit.report.model import FeatureInfo, RuleInfo, Run, ScenarioResult, StepResult

SHOP = FeatureInfo(
    uri="features/shop.feature",
    name="Shopping",
    line=2,
    description="Alice fills her cart.",
    tags=["shop"],
)
REPLAY = "pytest 'spec/test_shop.py::test_x' --faker-seed 42"
CARTS = RuleInfo(name="A cart holds what was put in it", tags=["carts"])


def _steps(*statuses: str) -> list[StepResult]:
    texts = ["Alice has a cart", 'Alice adds 2 "apples"', "Alice's cart holds 2 items"]
    keywords = ["Given", "When", "Then"]
    return [
        StepResult(
            keyword,
            text,
            line=10 + i,
            status=status,  # type: ignore[arg-type]
            duration=0.002,
            error="AssertionError: expected 2 items, found 1" if status == "failed" else None,
        )
        for i, (keyword, text, status) in enumerate(zip(keywords, texts, statuses, strict=True))
    ]


def scenario(name: str, status: str, steps: list[StepResult], **extra: object) -> ScenarioResult:
    """Make a scenario of the shop feature."""
    values: dict[str, object] = {
        "nodeid": f"spec/test_shop.py::test_{name.lower().replace(' ', '_')}",
        "feature": SHOP,
        "rule": CARTS,
        "keyword": "Scenario",
        "name": name,
        "template": name,
        "line": 9,
        "steps": steps,
        "status": status,
        "duration": 0.01,
    }
    values.update(extra)
    return ScenarioResult(**values)  # type: ignore[arg-type]


def sample_run() -> Run:
    """One run with a passed, failed, undefined, skipped, @wip and outline scenario."""
    run = Run(
        started_at="2025-01-01T12:00:00+00:00",
        duration=1.5,
        facts={"Faker seed": 42},
        workers=2,
    )
    run.add(
        scenario(
            "Alice adds a product", "passed", _steps("passed", "passed", "passed"), tags=["smoke"]
        )
    )
    run.add(
        scenario(
            "Alice counts her cart",
            "failed",
            _steps("passed", "passed", "failed"),
            line=15,
            error="E   AssertionError: expected 2 items, found 1",
            seed=1234,
            replay=REPLAY,
        )
    )
    undefined = _steps("passed", "skipped", "skipped")
    undefined[1].status = "undefined"
    undefined[1].error = "Undefined step: no step definition matches when 'Alice adds 2 \"apples\"'"
    run.add(scenario("Alice pays <script>alert(1)</script>", "undefined", undefined, line=20))
    run.add(
        scenario(
            "Alice waits",
            "skipped",
            _steps("skipped", "skipped", "skipped"),
            line=25,
            skip_reason="needs the fake clock",
        )
    )
    run.add(
        scenario(
            "Alice redeems a voucher",
            "xfailed",
            _steps("passed", "failed", "skipped"),
            line=30,
            tags=["wip"],
        )
    )
    run.add(
        scenario(
            "Alice gets a gift",
            "xpassed",
            _steps("passed", "passed", "passed"),
            line=35,
            tags=["wip"],
        )
    )
    for index, count in enumerate(["1", "3"]):
        run.add(
            scenario(
                f"Alice adds {count} pears",
                "passed",
                _steps("passed", "passed", "passed"),
                nodeid=f"spec/test_shop.py::test_pears[{count}]",
                keyword="Scenario Outline",
                template="Alice adds <count> pears",
                line=40,
                example={"count": count},
                example_line=46,
                example_index=index,
            )
        )
    run.add(
        ScenarioResult(
            nodeid="spec/test_health.py::test_healthy",
            feature=FeatureInfo(uri="features/health.feature", name="Health", tags=["health"]),
            keyword="Scenario",
            name="A healthy store",
            line=4,
            steps=[
                StepResult("When", "someone asks", 5, "passed"),
                StepResult("Then", "all is well", 6, "passed"),
            ],
        )
    )
    return run
