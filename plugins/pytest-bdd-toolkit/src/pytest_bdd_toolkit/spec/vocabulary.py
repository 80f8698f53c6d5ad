"""Find a project's step definitions by importing its step modules, not by running them.

pytest-bdd registers every `@given/@when/@then` in its step registry when the
decorator runs, with the parser that decides which step texts it matches.
Importing the step modules is therefore enough to know the whole vocabulary.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import re
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

from pytest_bdd_toolkit._pytest_bdd import StepParser, step_function_context_registry


@dataclass(frozen=True)
class StepDefinition:
    """One step pattern and the function behind it."""

    type: str | None
    pattern: str
    kind: str
    module: str
    file: Path
    line: int
    function: str
    docstring: str
    target_fixture: str | None = None
    parser: StepParser | None = field(default=None, compare=False, repr=False)

    @property
    def keyword(self) -> str:
        """Return the Gherkin keyword the definition answers to."""
        return self.type.capitalize() if self.type else "Step"

    @property
    def domain(self) -> str:
        """Return the domain, named after the step module (`registration_steps`: `registration`)."""
        return self.module.removesuffix("_steps")

    @property
    def readable(self) -> str:
        """Return the pattern as a reader sees it: named captures as `<name>`, no regex anchors."""
        return readable(self.pattern, self.kind)

    def location(self, root: Path) -> str:
        """Return `path:line` of the definition, relative to `root` when it is inside it."""
        try:
            path = self.file.relative_to(root).as_posix()
        except ValueError:
            path = str(self.file)
        return f"{path}:{self.line}"

    def matches(self, step_type: str, text: str) -> bool:
        """Tell whether this definition would run the step `text` of type `step_type`."""
        if self.type is not None and self.type != step_type:
            return False
        return self.parser is not None and bool(self.parser.is_matching(text))


@dataclass
class Vocabulary:
    """The step definitions of a project, and the step modules that failed to import."""

    definitions: list[StepDefinition]
    modules: list[Path]
    import_errors: dict[Path, str]


def readable(pattern: str, kind: str) -> str:
    """Turn a step pattern into text a product owner can read."""
    if kind in ("parse", "cfparse"):
        return re.sub(r"\{(\w+)(?::[^}]*)?\}", r"<\1>", pattern)
    if kind != "re":
        return pattern
    text = pattern.removeprefix("^").removesuffix("$")
    out, i = [], 0
    while i < len(text):
        named = re.match(r"\(\?P<(\w+)>", text[i:])
        if named:
            out.append(f"<{named.group(1)}>")
            i = _group_end(text, i)
        elif text.startswith("(?:", i):
            out.append("(")
            i += 3
        elif text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _group_end(text: str, start: int) -> int:
    """Return the index just after the group that opens at `start`."""
    depth, i = 0, start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
        if depth == 0:
            return i
    return i


def _on_path(folder: Path) -> bool:
    return any(Path(entry or ".").resolve() == folder for entry in sys.path)


def package_name(folder: Path) -> str:
    """Return the package to import a folder's modules from: its real name, or a private one."""
    folder = folder.resolve()
    parts, top = [folder.name], folder
    while (top.parent / "__init__.py").exists() and not _on_path(top.parent):
        top = top.parent
        parts.insert(0, top.name)
    existing = sys.modules.get(parts[0])
    same = existing is None or Path(str(existing.__file__)).parent.resolve() == top
    if _on_path(top.parent) and same and (folder / "__init__.py").exists():
        return ".".join(parts)
    # A folder off the import path (a test's temporary tree) gets a package of its own.
    name = "_bdd_steps_" + hashlib.sha1(str(folder).encode()).hexdigest()[:12]
    if name not in sys.modules:
        package = types.ModuleType(name)
        package.__path__ = [str(folder)]
        sys.modules[name] = package
    return name


def load_vocabulary(step_files: list[Path]) -> Vocabulary:
    """Import every step module and return the steps they define."""
    files = {path.resolve() for path in step_files}
    modules, errors = [], {}
    for path in sorted(files):
        try:
            importlib.import_module(f"{package_name(path.parent)}.{path.stem}")
        except Exception as error:  # the gate reports any import failure as a problem
            errors[path] = f"{type(error).__name__}: {error}"
            continue
        modules.append(path)
    found: dict[tuple[object, ...], StepDefinition] = {}
    for context in list(step_function_context_registry.values()):
        func = inspect.unwrap(context.step_func)
        source = inspect.getsourcefile(func)
        if source is None or Path(source).resolve() not in files:
            continue
        definition = StepDefinition(
            type=context.type,
            pattern=context.parser.name,
            kind=type(context.parser).__name__,
            module=Path(source).stem,
            file=Path(source).resolve(),
            line=inspect.getsourcelines(func)[1],
            function=func.__name__,
            docstring=inspect.getdoc(func) or "",
            target_fixture=context.target_fixture,
            parser=context.parser,
        )
        found.setdefault(
            (definition.file, definition.line, definition.type, definition.pattern), definition
        )
    ordered = sorted(found.values(), key=lambda d: (d.module, d.line, d.pattern))
    return Vocabulary(definitions=ordered, modules=modules, import_errors=errors)
