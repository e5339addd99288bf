"""A mail backend that fails the way SMTP servers do, for testing what the delivery path does then."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    refused: dict[str, int] = {}  # address -> the SMTP code the server answers it with (550, 452)
    fail_after: int | None = None  # the connection drops after this many messages went out
    _delivered = 0

    @classmethod
    def reset(cls) -> None:
        cls.refused, cls.fail_after, cls._delivered = {}, None, 0

    def send_messages(self, messages):
        for message in messages:
            if FlakyEmailBackend.fail_after is not None and FlakyEmailBackend._delivered >= self.fail_after:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            for address in message.to:
                if address in self.refused:
                    code = self.refused[address]
                    reply = b"No such user" if code >= 500 else b"Mailbox busy, try later"
                    raise smtplib.SMTPRecipientsRefused({address: (code, reply)})
            FlakyEmailBackend._delivered += 1
        return super().send_messages(messages)
