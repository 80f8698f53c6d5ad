"""The commands: `bdd-gate` and `bdd-catalogue`.

Both read the project's settings from the pytest configuration of the
current folder (`[tool.pytest.ini_options]` of pyproject.toml, or pytest.ini),
with the ini names the plugin uses; options on the command line win.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from pytest_bdd_toolkit.catalogue import build_catalogue, render_markdown, render_text
from pytest_bdd_toolkit.gate import format_report, run_gate
from pytest_bdd_toolkit.settings import Settings, from_files


def _parser(prog: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument(
        "--root",
        type=Path,
        default=Path.cwd(),
        help="the project folder whose pyproject.toml or pytest.ini to read (default: here)",
    )
    parser.add_argument("--features", type=Path, help="the feature files' folder")
    parser.add_argument(
        "--step-modules", action="append", metavar="GLOB", help="a glob of step modules"
    )
    return parser


def _settings(args: argparse.Namespace, **more: object) -> Settings:
    settings = from_files(args.root).with_overrides(
        features_dir=_resolved(args.features),
        step_modules=tuple(args.step_modules) if args.step_modules else None,
        **more,
    )
    # Step modules import the project's own packages, as they do under pytest.
    for entry in (*settings.pythonpath, settings.root):
        if str(entry) not in sys.path:
            sys.path.insert(0, str(entry))
    return settings


def _resolved(path: Path | None) -> Path | None:
    return path.resolve() if path is not None else None


def _path(value: str | None, setting: Path | None) -> Path | None:
    """Take a path option over its setting; an empty one switches its check off."""
    if value is None:
        return setting
    return Path(value).resolve() if value else None


def gate_main(argv: Sequence[str] | None = None) -> int:
    """Run the gate; print what is wrong, and return 1 when anything is."""
    parser = _parser(
        "bdd-gate", "The gate: is the specification whole? Checked without running it."
    )
    parser.add_argument(
        "--binding-modules", action="append", metavar="GLOB", help="a glob of binding modules"
    )
    parser.add_argument("--conftest", help="the conftest.py that must load every step module")
    parser.add_argument("--traceability", help="the traceability table (TOML)")
    parser.add_argument("--contract-page", help="the contract page (Markdown)")
    parser.add_argument("--rule-id", help="the regex of a contract rule id")
    args = parser.parse_args(argv)
    settings = _settings(
        args,
        binding_modules=tuple(args.binding_modules) if args.binding_modules else None,
        rule_id=args.rule_id,
    )
    settings = replace(
        settings,
        steps_conftest=_path(args.conftest, settings.steps_conftest),
        traceability=_path(args.traceability, settings.traceability),
        contract_page=_path(args.contract_page, settings.contract_page),
    )
    report = run_gate(settings)
    print(format_report(report))
    return 0 if report.ok else 1


def catalogue_main(argv: Sequence[str] | None = None) -> int:
    """Print the step catalogue (`--markdown`: as Markdown); 1 when a module fails to import."""
    parser = _parser("bdd-catalogue", "The step catalogue: the vocabulary of the features.")
    parser.add_argument("--markdown", action="store_true", help="print Markdown instead of text")
    args = parser.parse_args(argv)
    catalogue = build_catalogue(_settings(args))
    try:
        print(render_markdown(catalogue) if args.markdown else render_text(catalogue))
        sys.stdout.flush()
    except BrokenPipeError:  # piped into `head` or a pager that quit early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1 if catalogue.import_errors else 0
