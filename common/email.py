"""Renders templates/emails/<name>.subject.txt, .txt and .html into one multipart message, and serialises
such a message quickly: bulk mail builds a hundred thousand of them in a morning."""

import binascii
import random
import re
from email.header import Header
from email.utils import formatdate, make_msgid
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import BadHeaderError, sanitize_address
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string


class RawMessage:
    """What EmailMessage.message() returns, as far as Django's mail backends use it (smtp, console,
    file, locmem): the serialised bytes."""

    def __init__(self, data: bytes) -> None:
        self._data = data  # lines end in CRLF

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self._data if linesep == "\r\n" else self._data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode("ascii")

    def get_charset(self) -> None:
        return None


# An address with no display name and nothing to encode: sanitize_address would return it unchanged, after
# running the email package's full address parser (a third of the time of building a message).
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


@lru_cache(maxsize=64)
def _from_address(address: str, encoding: str) -> str:
    return sanitize_address(address, encoding)  # the same few senders in every message


def _address(address: str, encoding: str) -> str:
    return address if _PLAIN_ADDRESS.fullmatch(address) else sanitize_address(address, encoding)


def _header(name: str, value: str) -> str:
    if "\n" in value or "\r" in value:  # the same refusal as Django's: no header injection
        raise BadHeaderError(f"Header values can't contain newlines (got {value!r} for header {name!r})")
    if value.isascii() and len(name) + len(value) < 76:
        return f"{name}: {value}"
    # Folded, and in RFC 2047 encoded words if it is not ASCII: what the email package writes.
    charset = "us-ascii" if value.isascii() else "utf-8"
    return f"{name}: " + Header(value, charset, header_name=name).encode(linesep="\r\n")


def _qp(text: str) -> bytes:
    """Quoted-printable with CRLF line ends (binascii keeps the input's): 7-bit safe, lines short."""
    crlf = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n").encode("utf-8")
    return binascii.b2a_qp(crlf, istext=True)


class BulkEmail(EmailMultiAlternatives):
    """A text part and an HTML alternative, serialised directly: the email package's generator takes
    about 5 ms a message (encoding, folding and copying parts through its policy objects), this well
    under one. With attachments (the weekly report's charts) or any other shape it is Django's own
    serialisation. tests/common/test_bulk_email.py parses the result back and compares it with Django's.

    Serialised once: later calls return the same bytes (the same Date and Message-ID), so the delivery
    path serialises in the thread that builds and its sending thread only transmits."""

    _serialised: RawMessage | None = None

    def message(self):
        if self._serialised is not None:
            return self._serialised
        if self.attachments or len(self.alternatives) != 1 or self.alternatives[0][1] != "text/html":
            return super().message()
        if self.cc or self.reply_to or self.content_subtype != "plain":
            return super().message()
        encoding = self.encoding or settings.DEFAULT_CHARSET
        extra = {name.lower(): (name, value) for name, value in self.extra_headers.items()}
        lines = [
            "MIME-Version: 1.0",
            _header("Subject", self.subject),
            _header("From", _from_address(extra.pop("from", ("", self.from_email))[1], encoding)),
            _header("To", ", ".join(_address(to, encoding) for to in self.to)),
        ]
        date = extra.pop("date", ("", ""))[1] or formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        lines.append(_header("Date", date))
        lines.append(
            _header("Message-ID", extra.pop("message-id", ("", ""))[1] or make_msgid(domain=DNS_NAME))
        )
        for lowered, (name, value) in extra.items():
            if lowered not in {"to", "cc", "reply-to"}:
                lines.append(_header(name, value))
        # "=" is always escaped in quoted-printable, so no part can contain the boundary; the random tail
        # is custom only. Not uuid4: os.urandom releases the GIL, and taking it back from the delivery
        # path's sending thread cost up to a switch interval (5 ms) a message.
        boundary = "===============" + f"{random.getrandbits(128):032x}"  # noqa: S311
        lines.append(f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"')
        part = 'Content-Type: text/{}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
        data = b"".join(
            [
                "\r\n".join(lines).encode("ascii"),
                f"\r\n\r\n--{boundary}\r\n{part.format('plain')}".encode("ascii"),
                _qp(self.body),
                f"\r\n--{boundary}\r\n{part.format('html')}".encode("ascii"),
                _qp(self.alternatives[0][0]),
                f"\r\n--{boundary}--\r\n".encode("ascii"),
            ]
        )
        self._serialised = RawMessage(data)
        return self._serialised


def email_build(*, name: str, to: str, context: dict, headers: dict | None = None) -> BulkEmail:
    context = {"base_url": settings.HIVE_BASE_URL, "company": settings.HIVE_COMPANY_NAME, **context}
    subject = " ".join(render_to_string(f"emails/{name}.subject.txt", context).split())
    message = BulkEmail(
        subject=subject,
        body=render_to_string(f"emails/{name}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    return message


def email_transmit(connection, message) -> None:
    """Hands one message to a mail connection, opening it the first time (later messages reuse it).

    A BulkEmail to Django's own SMTP backend goes straight to smtplib, with its envelope addresses made
    as its headers are: the backend parses the sender and every recipient again with the email package
    for each message, half the CPU of sending a bulk message. Any other message or backend (a subclass
    may sign or log in its _send) goes through the backend as usual."""
    connection.open()
    smtp = getattr(connection, "connection", None)
    if type(connection) is not SmtpBackend or not isinstance(message, BulkEmail) or smtp is None:
        connection.send_messages([message])
        return
    encoding = message.encoding or settings.DEFAULT_CHARSET
    recipients = [_address(to, encoding) for to in message.recipients()]
    if recipients:  # as Django's backend: nobody to send to, nothing sent
        raw = message.message().as_bytes(linesep="\r\n")
        smtp.sendmail(_from_address(message.from_email, encoding), recipients, raw)
