"""Fixtures of the toolkit's tests: a specification tree on disk, and a run made by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from bdd_run import sample_run
from bdd_tree import SpecTree, make_tree

from pytest_bdd_toolkit.report.model import Run


@pytest.fixture
def tree(tmp_path: Path) -> SpecTree:
    """A complete, consistent tree: the gate passes on it."""
    return make_tree(tmp_path / "project")


@pytest.fixture
def run() -> Run:
    """One run with a passed, failed, undefined, skipped, @wip and outline scenario."""
    return sample_run()
