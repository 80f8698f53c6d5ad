"""The project's settings: pytest ini options, read by the plugin and by the commands alike.

A project names its folders, files and report title in its pytest
configuration (`[tool.pytest.ini_options]` of pyproject.toml, or pytest.ini).
The plugin registers them with pytest and reads its own through pytest;
`bdd-gate` and `bdd-catalogue` read the same file with the same names.
"""

from __future__ import annotations

import configparser
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import pytest

DEFAULT_RULE_ID = r"[A-Z][A-Z0-9]*-\d+"


@dataclass(frozen=True)
class Option:
    """One ini option of the toolkit."""

    name: str
    help: str
    default: str | list[str]

    @property
    def type(self) -> Literal["linelist", "string"]:
        """Return the pytest ini type: a list of lines for globs, else a string."""
        return "linelist" if isinstance(self.default, list) else "string"


OPTIONS = (
    Option(
        "bdd_features_dir",
        "the feature files' folder (default: bdd_features_base_dir, else features/)",
        "",
    ),
    Option("bdd_step_modules", "globs of the step definition modules", ["steps/*_steps.py"]),
    Option(
        "bdd_binding_modules",
        "globs of the test modules that bind features with scenarios()",
        ["steps/test_*.py"],
    ),
    Option(
        "bdd_steps_conftest",
        "the conftest.py whose pytest_plugins must load every step module (empty: no check)",
        "conftest.py",
    ),
    Option(
        "bdd_traceability",
        "the TOML table tracing each contract rule to its scenarios (empty: no check)",
        "",
    ),
    Option(
        "bdd_contract_page",
        "the Markdown page of the contract, a list item '- **ID** ...' per rule (empty: no check)",
        "",
    ),
    Option("bdd_contract_rule_id", "the regex of a contract rule id", DEFAULT_RULE_ID),
    Option("bdd_report_title", "the living documentation's title", "Living documentation"),
    Option(
        "bdd_replay_property",
        "the user property of a test that says how to replay it",
        "replay",
    ),
)


@dataclass(frozen=True)
class Settings:
    """Where a project keeps its specification, and how its reports are titled."""

    root: Path
    features_dir: Path
    step_modules: tuple[str, ...] = ("steps/*_steps.py",)
    binding_modules: tuple[str, ...] = ("steps/test_*.py",)
    steps_conftest: Path | None = None
    traceability: Path | None = None
    contract_page: Path | None = None
    rule_id: str = DEFAULT_RULE_ID
    report_title: str = "Living documentation"
    replay_property: str = "replay"
    pythonpath: tuple[Path, ...] = ()

    def step_files(self) -> list[Path]:
        """Return the step definition modules, sorted."""
        return _glob(self.root, self.step_modules)

    def binding_files(self) -> list[Path]:
        """Return the test modules that bind features, sorted."""
        return _glob(self.root, self.binding_modules)

    def relative(self, path: Path) -> str:
        """Return `path` relative to the root when it is inside it."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def with_overrides(self, **values: Any) -> Settings:
        """Return these settings with the given fields replaced (None leaves a field alone)."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def _glob(root: Path, patterns: tuple[str, ...]) -> list[Path]:
    found = {path.resolve() for pattern in patterns for path in root.glob(pattern)}
    return sorted(path for path in found if path.is_file())


def add_ini_options(parser: pytest.Parser) -> None:
    """Register the toolkit's ini options with pytest."""
    for option in OPTIONS:
        parser.addini(option.name, option.help, type=option.type, default=option.default)


def _settings(root: Path, values: dict[str, Any]) -> Settings:
    def text(name: str) -> str:
        return str(values.get(name) or "").strip()

    def lines(name: str) -> tuple[str, ...]:
        value = values.get(name)
        if isinstance(value, str):
            value = value.splitlines()
        return tuple(str(v).strip() for v in value or () if str(v).strip())

    def path(name: str) -> Path | None:
        return (root / text(name)).resolve() if text(name) else None

    features = text("bdd_features_dir") or text("bdd_features_base_dir") or "features"
    defaults = {o.name: o.default for o in OPTIONS}
    return Settings(
        root=root.resolve(),
        features_dir=(root / features).resolve(),
        step_modules=lines("bdd_step_modules") or tuple(defaults["bdd_step_modules"]),
        binding_modules=lines("bdd_binding_modules") or tuple(defaults["bdd_binding_modules"]),
        steps_conftest=path("bdd_steps_conftest"),
        traceability=path("bdd_traceability"),
        contract_page=path("bdd_contract_page"),
        rule_id=text("bdd_contract_rule_id") or DEFAULT_RULE_ID,
        report_title=text("bdd_report_title") or str(defaults["bdd_report_title"]),
        replay_property=text("bdd_replay_property") or "replay",
        pythonpath=tuple((root / p).resolve() for p in lines("pythonpath")),
    )


def read_ini_values(root: Path) -> dict[str, Any]:
    """Read pytest's ini options from `root`'s pytest.ini, else its pyproject.toml."""
    ini = root / "pytest.ini"
    if ini.is_file():
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(ini, encoding="utf-8")
        return dict(parser["pytest"]) if parser.has_section("pytest") else {}
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        with pyproject.open("rb") as handle:
            table: dict[str, Any] = tomllib.load(handle).get("tool", {}).get("pytest", {})
        # `[tool.pytest.ini_options]`, or pytest 9's native `[tool.pytest]` table.
        options: dict[str, Any] = table.get("ini_options") or table
        return options
    return {}


def from_files(root: Path) -> Settings:
    """Read the settings from `root`'s pytest.ini or pyproject.toml, as pytest would."""
    values = {option.name: option.default for option in OPTIONS}
    values.update(read_ini_values(root))
    return _settings(root, values)
