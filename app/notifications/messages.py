"""The emails the service writes."""

from app.notifications.ports import EmailMessage


def welcome_email(*, recipient: str, username: str) -> EmailMessage:
    """Write the email that greets a new account."""
    return EmailMessage(
        recipient=recipient,
        subject="Welcome to Storefront",
        body=(
            f"Hello {username},\n\n"
            "your Storefront account is ready. Sign in with your username or this email "
            "address to start shopping.\n\nThe Storefront team\n"
        ),
    )
