"""The contract page: the product contract as a Markdown page, one list item per rule.

A rule is a list item whose first token is its id in bold::

    - **CONV-01** JSON in and out, except sign-in, which is an OAuth2 password form.

Items in fenced code blocks are examples, not rules. The id's pattern is the
`bdd_contract_rule_id` ini option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_ITEM = r"^\s*(?:[-*+]|\d+[.)])\s+\*\*(?P<id>{pattern})[:.]?\*\*(?P<text>.*)$"
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class PageRule:
    """A rule of the contract page: its id, its sentence and its line."""

    id: str
    text: str
    line: int


def read_page_rules(path: Path, rule_id: str) -> list[PageRule]:
    """Return the rules of the contract page, in page order."""
    item = re.compile(_ITEM.format(pattern=rule_id))
    rules: list[PageRule] = []
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        found = None if fenced else item.match(line)
        if found:
            rules.append(PageRule(found.group("id"), found.group("text").strip(), number))
    return rules
