"""A mail backend that fails the way SMTP servers do, for testing what the digest does then."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    refused: set[str] = set()  # addresses the server rejects
    fail_after: int | None = None  # the connection drops after this many messages went out
    _delivered = 0

    def send_messages(self, messages):
        for message in messages:
            if FlakyEmailBackend.fail_after is not None and FlakyEmailBackend._delivered >= self.fail_after:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            if set(message.to) & self.refused:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
            FlakyEmailBackend._delivered += 1
        return super().send_messages(messages)
