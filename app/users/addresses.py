"""Email addresses as the store keeps them: the form every mail server delivers to."""

from email_validator import validate_email

MAX_EMAIL_LENGTH = 254


def deliverable_address(email: str) -> str:
    """Return the address in the form it is kept in, or raise `ValueError`."""
    # SEC-04: email-validator turns "xn--bcher-kva.example" into "bücher.example", which a
    # mail server without SMTPUTF8 cannot deliver to: keep the domain's ASCII (IDNA) form,
    # and refuse what no ASCII form can carry (letters beyond ASCII before the @).
    ascii_email = validate_email(email, check_deliverability=False).ascii_email
    if ascii_email is None:
        raise ValueError("The part before the @ must be ASCII letters, digits or symbols")
    if len(ascii_email) > MAX_EMAIL_LENGTH:
        raise ValueError(f"An email address is at most {MAX_EMAIL_LENGTH} characters")
    return ascii_email.lower()


def sign_in_name(name: str) -> str:
    """Return a name typed at sign-in as an account keeps it: an address in its kept form."""
    # An address's ASCII form is never shorter than what was typed: a longer name is no
    # account's, and is not worth validating.
    if "@" in name and len(name) <= MAX_EMAIL_LENGTH:
        try:
            return deliverable_address(name)
        except ValueError:
            # No account has an address that is not valid; the lookup simply finds none.
            pass
    return name.lower()
