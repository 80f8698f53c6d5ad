"""The gate: is the specification whole? Checked without running a single scenario."""

from pytest_bdd_toolkit.gate.report import GateReport, format_report
from pytest_bdd_toolkit.gate.run import run_gate

__all__ = ["GateReport", "format_report", "run_gate"]
