"""Write a ready-to-paste step definition for a step that has none.

The pattern is a `parsers.re` that captures the step's numbers, its quoted
strings, its personas (a name that starts the step or owns something:
"Alice's") and, for an outline, its `<placeholders>`, so one definition serves
every value a product owner may write there.
"""

from __future__ import annotations

import keyword
import re

_TOKENS = re.compile(
    r'(?P<quoted>"[^"]*")'
    r"|(?P<placeholder><(?P<param>[^<>]+)>)"
    # A persona: a capitalised name that starts the step or owns something ("Alice's").
    r"|(?P<persona>^[A-Z][a-z]+(?=\s|'s\b)|(?<!\w)[A-Z][a-z]+(?='s\b))"
    r"|(?P<number>(?<![\w.])-?\d+(?:\.\d+)?(?![\w.]))"
)
PERSONA = "[A-Z][a-z]+"
_SPECIAL = re.compile(r"([.^$*+?{}\[\]\\|()])")
NUMBER = r"-?\d+(?:\.\d+)?"
INTEGER = r"-?\d+"


def escape(text: str) -> str:
    """Escape what a regex would read specially, and nothing else, so the pattern stays readable."""
    return _SPECIAL.sub(r"\\\1", text)


def _arg_name(base: str, taken: set[str]) -> str:
    name = re.sub(r"\W+", "_", base.strip().lower()).strip("_") or "value"
    if name[0].isdigit() or keyword.iskeyword(name):
        name = f"value_{name}"
    candidate, index = name, 2
    while candidate in taken:
        candidate, index = f"{name}_{index}", index + 1
    taken.add(candidate)
    return candidate


def step_pattern(text: str) -> tuple[str, dict[str, str]]:
    """Return a regex for the step text and its arguments with their Python types."""
    parts, args, taken, last = ["^"], {}, set[str](), 0
    for match in _TOKENS.finditer(text):
        parts.append(escape(text[last : match.start()]))
        if match.group("quoted") is not None:
            inner = re.fullmatch(r'"<([^<>]+)>"', match.group("quoted"))
            name = _arg_name(inner.group(1) if inner else "text", taken)
            parts.append(f'"(?P<{name}>[^"]*)"')
            args[name] = "str"
        elif match.group("persona") is not None:
            name = _arg_name("name", taken)
            parts.append(f"(?P<{name}>{PERSONA})")
            args[name] = "str"
        elif match.group("placeholder") is not None:
            name = _arg_name(match.group("param"), taken)
            parts.append(f"(?P<{name}>.+)")
            args[name] = "str"
        else:
            number = match.group("number")
            name = _arg_name("number", taken)
            integer = "." not in number
            parts.append(f"(?P<{name}>{INTEGER if integer else NUMBER})")
            args[name] = "int" if integer else "str"
        last = match.end()
    parts.append(escape(text[last:]))
    parts.append("$")
    return "".join(parts), args


def _literal(pattern: str) -> str:
    for quote in ('"', "'", '"""'):
        if quote not in pattern and not pattern.endswith("\\"):
            return f"r{quote}{pattern}{quote}"
    return repr(pattern)


def function_name(text: str) -> str:
    """Name the step function after the words of its text."""
    words = [w for w in re.split(r"\W+", _TOKENS.sub(" ", text).lower()) if len(w) > 1 or w == "a"]
    name = "_".join(words)[:60].rstrip("_")
    if not name or name[0].isdigit() or keyword.iskeyword(name):
        name = f"step_{name}".rstrip("_")
    return name


def snippet(step_type: str, text: str) -> str:
    """Return Python source for a step definition that matches `text`."""
    pattern, args = step_pattern(text)
    converters = {name: kind for name, kind in args.items() if kind == "int"}
    options = ""
    if converters:
        options = ", converters={" + ", ".join(f'"{n}": int' for n in converters) + "}"
    params = ", ".join(f"{name}: {kind}" for name, kind in args.items())
    return (
        f"@{step_type}(parsers.re({_literal(pattern)}){options})\n"
        f"def {function_name(text)}({params}) -> None:\n"
        f'    """TODO: say in one line what this step does."""\n'
        f"    raise NotImplementedError\n"
    )
