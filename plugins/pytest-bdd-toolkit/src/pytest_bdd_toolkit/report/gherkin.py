"""A feature file as the official Cucumber Gherkin parser reads it: its document and pickles.

pytest-bdd parses with the same parser (`gherkin-official`) but keeps only
part of what it says: tags lose their lines, Examples rows their lines, steps
their exact keywords. The reports need those, so a scenario's result is
completed from the parser's pickle of it. Ids are made from the file's path
and a counter, so that every process (each pytest-xdist worker, and the
controller that writes Cucumber Messages) gives a file the same ids.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gherkin.ast_builder import AstBuilder
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler

from pytest_bdd_toolkit.report.model import DocString, ScenarioResult, TagInfo

Node = dict[str, Any]


class FileIds:
    """Ids unique to one file across a run: a short digest of its path and a counter."""

    def __init__(self, uri: str) -> None:
        self.prefix = hashlib.sha1(uri.encode()).hexdigest()[:8]
        self.count = 0

    def get_next_id(self) -> str:
        """Return the next id."""
        self.count += 1
        return f"{self.prefix}-{self.count}"


@dataclass
class GherkinFile:
    """One parsed feature file: its text, Gherkin document and pickles, with look-ups."""

    uri: str
    source: str
    document: Node
    pickles: list[Node]
    tag_lines: dict[str, int] = field(default_factory=dict)
    steps: dict[str, Node] = field(default_factory=dict)
    scenarios: dict[int, Node] = field(default_factory=dict)

    def __post_init__(self) -> None:
        feature = self.document.get("feature") or {}
        self._walk(feature)

    def _walk(self, node: Node) -> None:
        for tag in node.get("tags", []):
            self.tag_lines[tag["id"]] = tag["location"]["line"]
        for step in node.get("steps", []):
            self.steps[step["id"]] = step
        for examples in node.get("examples", []):
            self._walk(examples)
        for child in node.get("children", []):
            for kind in ("background", "rule", "scenario"):
                if kind in child:
                    if kind == "scenario":
                        self.scenarios[child[kind]["location"]["line"]] = child[kind]
                    self._walk(child[kind])

    def pickle_for(self, line: int, example_line: int | None, index: int) -> Node | None:
        """Return the pickle of the scenario at `line` (and of its Examples row, if any)."""
        scenario = self.scenarios.get(line)
        if scenario is None:
            return None
        ids = [scenario["id"]]
        if example_line is not None:
            for examples in scenario.get("examples", []):
                rows = examples.get("tableBody", [])
                if examples["location"]["line"] == example_line and index < len(rows):
                    ids.append(rows[index]["id"])
        return next((p for p in self.pickles if p["astNodeIds"] == ids), None)

    def row_line(self, row_id: str) -> int | None:
        """Return the line of an Examples row by its id."""
        for scenario in self.scenarios.values():
            for examples in scenario.get("examples", []):
                for row in examples.get("tableBody", []):
                    if row["id"] == row_id:
                        return int(row["location"]["line"])
        return None


@functools.cache
def load(path: str, uri: str) -> GherkinFile:
    """Parse a feature file (once per process) with the official parser."""
    source = Path(path).read_text(encoding="utf-8")
    ids = FileIds(uri)
    parsed = Parser(AstBuilder(ids)).parse(source)  # type: ignore[arg-type]
    document: Node = {**parsed, "uri": uri}
    pickles: list[Node] = [dict(p) for p in Compiler(ids).compile(parsed | {"uri": uri})]  # type: ignore[arg-type]
    return GherkinFile(uri=uri, source=source, document=document, pickles=pickles)


def _doc_string(gherkin_step: Node, argument: Node) -> DocString | None:
    if "docString" not in gherkin_step:
        return None
    written = gherkin_step["docString"]
    return DocString(
        content=str(argument.get("docString", {}).get("content") or written.get("content", "")),
        line=int(written["location"]["line"]),
        media_type=str(written.get("mediaType") or ""),
        delimiter=str(written.get("delimiter") or '"""'),
    )


def complete(result: ScenarioResult, gherkin: GherkinFile) -> None:
    """Fill in what the official parser says of a scenario: lines, tags, keywords, arguments."""
    feature = gherkin.document.get("feature") or {}
    result.feature.located_tags = [
        TagInfo(tag["name"], tag["location"]["line"]) for tag in feature.get("tags", [])
    ]
    pickle = gherkin.pickle_for(result.line, result.example_line, result.example_index)
    if pickle is None:
        return
    result.pickle_id = pickle["id"]
    if len(pickle["astNodeIds"]) > 1:
        result.row_line = gherkin.row_line(pickle["astNodeIds"][1])
    result.located_tags = [
        TagInfo(tag["name"], gherkin.tag_lines.get(tag["astNodeId"], result.line))
        for tag in pickle["tags"]
    ]
    for step, pickle_step in zip(result.steps, pickle["steps"], strict=False):
        written = gherkin.steps.get(pickle_step["astNodeIds"][0], {})
        step.gherkin_keyword = str(written.get("keyword") or f"{step.keyword} ")
        argument = pickle_step.get("argument", {})
        step.doc_string = _doc_string(written, argument)
        if "dataTable" in argument:
            rows = argument["dataTable"]["rows"]
            step.data_table = [[cell["value"] for cell in row["cells"]] for row in rows]
