"""Snippets for undefined steps match the step they were made for, and paste as they are."""

from __future__ import annotations

import re

import pytest
from pytest_bdd import given, parsers, then, when

from pytest_bdd_toolkit._pytest_bdd import step_function_context_registry
from pytest_bdd_toolkit.gate.snippets import function_name, snippet, step_pattern
from pytest_bdd_toolkit.spec.vocabulary import readable

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "captured"),
    [
        ('Alice orders 2 "Blue teapot"', {"name": "Alice", "number": "2", "text": "Blue teapot"}),
        ("the order is for 73.00 in the store's currency", {"number": "73.00"}),
        ("Olivia looks at Bob's account", {"name": "Olivia", "name_2": "Bob"}),
        ('the note reads "" and "ok (1)?"', {"text": "", "text_2": "ok (1)?"}),
        ("the price is $3.50 [incl. tax] * 2", {"number": "3.50", "number_2": "2"}),
        ("a visitor lists the orders", {}),
    ],
)
def test_the_pattern_captures_numbers_quoted_strings_and_personas(
    text: str, captured: dict[str, str]
) -> None:
    pattern, _ = step_pattern(text)

    found = re.fullmatch(pattern, text)

    assert found is not None, pattern
    assert found.groupdict() == captured


def test_an_outline_placeholder_becomes_an_argument_named_after_it() -> None:
    pattern, args = step_pattern('Alice signs up with the <field> "<value>"')

    assert args == {"name": "str", "field": "str", "value": "str"}
    found = re.fullmatch(pattern, 'Alice signs up with the email "a@b"')
    assert found is not None
    assert found.groupdict() == {"name": "Alice", "field": "email", "value": "a@b"}


def test_whole_numbers_are_converted_to_int() -> None:
    code = snippet("given", "12 shoppers have accounts")

    assert 'converters={"number": int}' in code
    assert "def shoppers_have_accounts(number: int) -> None:" in code


def test_the_snippet_is_python_that_registers_a_matching_step() -> None:
    text = 'Bob\'s basket holds 3 "pears" worth 4.20'
    namespace = {"given": given, "when": when, "then": then, "parsers": parsers}

    exec(snippet("then", text), namespace)

    function = namespace[function_name(text)]
    [context] = [c for c in step_function_context_registry.values() if c.step_func is function]
    assert context.type == "then"
    assert context.parser.is_matching(text)
    assert context.parser.parse_arguments(text) == {
        "name": "Bob",
        "number": "3",
        "text": "pears",
        "number_2": "4.20",
    }
    assert context.converters == {"number": int}


@pytest.mark.parametrize(
    ("pattern", "kind", "shown"),
    [
        (r"^(?P<name>[A-Z][a-z]+) has an account$", "re", "<name> has an account"),
        (r"^(?:(?P<name>[A-Z][a-z]+)'s|the) order\.$", "re", "(<name>'s|the) order."),
        ('Alice adds {count:d} "{product}"', "parse", 'Alice adds <count> "<product>"'),
        ("the mail server is down", "string", "the mail server is down"),
    ],
)
def test_patterns_read_as_sentences_in_the_catalogue(pattern: str, kind: str, shown: str) -> None:
    assert readable(pattern, kind) == shown
