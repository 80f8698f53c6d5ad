"""Checks of the contract: every rule traced to real scenarios, the table and the page agreeing.

The traceability table must give every rule at least one scenario, and name
only scenarios that exist. When the project has a contract page, every rule
of the page must be in the table and every rule of the table on the page.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pytest_bdd_toolkit.settings import Settings
from pytest_bdd_toolkit.spec.contract_page import PageRule, read_page_rules
from pytest_bdd_toolkit.spec.features import Specification
from pytest_bdd_toolkit.spec.traceability import ContractRule, load_rules, normalise


def trace_problems(rules: list[ContractRule], spec: Specification) -> list[str]:
    """List the rules without a scenario and the references to scenarios that do not exist."""
    known = {str(ref) for ref in spec.scenarios()}
    problems = [
        f"rule id {rule_id} is used {count} times"
        for rule_id, count in Counter(rule.id for rule in rules).items()
        if count > 1
    ]
    for rule in rules:
        if not rule.scenarios:
            problems.append(f"{rule.id} has no scenario: {rule.contract}")
        for reference in rule.scenarios:
            if normalise(reference) not in known:
                problems.append(f"{rule.id} names a scenario that does not exist: {reference}")
    return problems


def page_problems(rules: list[ContractRule], page: list[PageRule], where: str) -> list[str]:
    """List the disagreements between the traceability table and the rules of the page."""
    if not page:
        return [f"{where} has no rule (a list item that starts with a bold rule id: - **ID** ...)"]
    problems = [
        f"{rule_id} is on {where} {count} times"
        for rule_id, count in Counter(rule.id for rule in page).items()
        if count > 1
    ]
    on_page = {rule.id for rule in page}
    in_table = {rule.id for rule in rules}
    problems += [
        f"{rule.id} of the traceability table names no rule of {where}: {rule.contract}"
        for rule in rules
        if rule.id not in on_page
    ]
    problems += [
        f"{rule.id} ({where}:{rule.line}) is not in the traceability table: {rule.text}"
        for rule in page
        if rule.id not in in_table
    ]
    return problems


def contract_problems(spec: Specification, settings: Settings) -> tuple[list[str], list[str], int]:
    """Return the untraced rules, the table/page disagreements, and how many rules there are."""
    table, page = settings.traceability, settings.contract_page
    untraced: list[str] = []
    disagreements: list[str] = []
    rules: list[ContractRule] = []
    if table is not None:
        if table.is_file():
            rules = load_rules(table)
            untraced = trace_problems(rules, spec)
        else:
            untraced.append(f"the traceability table {table} is missing")
    if page is not None and (table is None or table.is_file()):
        disagreements = _page(rules, page, table, settings)
    return untraced, disagreements, len(rules)


def _page(
    rules: list[ContractRule], page: Path, table: Path | None, settings: Settings
) -> list[str]:
    where = settings.relative(page)
    if not page.is_file():
        return [f"the contract page {where} is missing"]
    if table is None:
        return [f"{where} is set (bdd_contract_page) but no traceability table (bdd_traceability)"]
    return page_problems(rules, read_page_rules(page, settings.rule_id), where)
