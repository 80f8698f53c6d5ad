"""The words step patterns share: a person's name, a pronoun, an id no record has."""

NAME = r"(?P<name>[A-Z][a-z]+)"
PRONOUN = r"(?:her|his|their)"
PRODUCT = r'"(?P<product>[^"]+)"'
# An id that no account, product or order of a scenario reaches.
MISSING_ID = 999_999
# "with the idempotency key "…"", optional: a payment's key, as the feature names it.
KEY = r'(?: with the idempotency key "(?P<key>[^"]*)")?'
