"""Email on the console for development and the demo."""

from django.core.mail import EmailMessage
from django.core.mail.backends import console


class ReadableConsoleBackend(console.EmailBackend):
    """Django's console backend, writing each message as a person reads it. Django's writes the
    encoded message, whose quoted-printable line breaks cut a password-reset link in two."""

    def write_message(self, message: EmailMessage) -> None:
        self.stream.write(
            f"Subject: {message.subject}\n"
            f"From: {message.from_email}\n"
            f"To: {', '.join(message.to)}\n\n"
            f"{message.body}\n"
        )
        self.stream.write("-" * 79 + "\n")
