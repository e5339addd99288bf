"""BulkEmail's own serialisation reads back, in a standard parser, as the message Django would write."""

import email
from email import policy
from email.mime.image import MIMEImage

import pytest
from django.core import mail
from django.core.mail import BadHeaderError, EmailMultiAlternatives

from common.email import BulkEmail, email_transmit

TEXT = "Hi Zoë,\n\nHere is what you missed.\r\n.a line starting with a dot\n" + "long line " * 40 + "\n"
HTML = (
    '<p style="margin:0">Hi Zoë, <a href="https://hive.example.com/posts/1/?a=1&amp;b=2">open</a></p>\n' * 3
)


def _both(subject: str = "Hive digest: 3 new for you since Monday 10 March", **kwargs):
    made = []
    for cls in (BulkEmail, EmailMultiAlternatives):
        message = cls(
            subject=subject,
            body=TEXT,
            from_email="Hive <hive@example.com>",
            to=["zoë.person@example.com" if kwargs.get("unicode_to") else "zoe@example.com"],
            headers={"List-Unsubscribe": "<https://hive.example.com/u/abc/>", "List-Unsubscribe-Post": "One"},
        )
        message.attach_alternative(HTML, "text/html")
        made.append(
            email.message_from_bytes(message.message().as_bytes(linesep="\r\n"), policy=policy.default)
        )
    return made


def _content(message, kind: str) -> str:
    return message.get_body((kind,)).get_content().replace("\r\n", "\n")


def test_reads_back_with_the_same_headers_and_parts_as_djangos():
    ours, django = _both()

    for name in ("Subject", "From", "To", "List-Unsubscribe", "List-Unsubscribe-Post", "MIME-Version"):
        assert str(ours[name]) == str(django[name]), name
    assert ours["Date"] and ours["Message-ID"] != django["Message-ID"]
    assert ours.get_content_type() == django.get_content_type() == "multipart/alternative"
    for kind in ("plain", "html"):  # on the wire every line ends in CRLF; compare the text
        assert _content(ours, kind) == _content(django, kind)
    assert _content(ours, "plain").startswith("Hi Zoë,\n\nHere is what you missed.\n.a line")


def test_long_and_non_ascii_subjects_are_encoded_and_folded():
    subject = "Ünïcode digest: " + " ".join(["many things happened"] * 8)
    ours, django = _both(subject)
    assert str(ours["Subject"]) == subject
    assert str(django["Subject"]).strip() == subject  # Django's folding reads back with a leading space
    raw = BulkEmail(subject=subject, body="x", to=["a@example.com"])
    raw.attach_alternative("<p>x</p>", "text/html")
    head = raw.message().as_bytes().split(b"\n\n")[0]
    assert max(len(line) for line in head.splitlines()) <= 78
    head.decode("ascii")  # 7-bit headers


def test_a_newline_in_a_header_is_refused_as_django_refuses_it():
    message = BulkEmail(subject="Hi\nBcc: everyone@example.com", body="x", to=["a@example.com"])
    message.attach_alternative("<p>x</p>", "text/html")
    with pytest.raises(BadHeaderError):
        message.message()


def test_with_attachments_it_is_djangos_own_message():
    message = BulkEmail(subject="Report", body="x", to=["a@example.com"])
    message.attach_alternative('<img src="cid:chart">', "text/html")
    message.mixed_subtype = "related"
    message.attach(MIMEImage(b"\x89PNG\r\n\x1a\n" + b"0" * 20, _subtype="png"))
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    assert parsed.get_content_type() == "multipart/related"


def test_the_console_and_memory_backends_take_it(capsys, settings):
    message = BulkEmail(subject="Hello", body=TEXT, to=["a@example.com"])
    message.attach_alternative(HTML, "text/html")
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert mail.get_connection().send_messages([message]) == 1
    assert "Subject: Hello" in capsys.readouterr().out
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.get_connection().send_messages([message])
    assert mail.outbox[-1].body == TEXT


@pytest.mark.parametrize(
    "to", ["ada@example.com", "Ada Lovelace <ada@example.com>", "zoë@example.com", "ada@exämple.com"]
)
def test_addresses_read_back_as_django_writes_them(to):
    made = []
    for cls in (BulkEmail, EmailMultiAlternatives):
        message = cls(subject="Hi", body="x", to=[to], from_email="Hive Ünïted <hive@example.com>")
        message.attach_alternative("<p>x</p>", "text/html")
        made.append(email.message_from_bytes(message.message().as_bytes(), policy=policy.default))
    ours, django = made
    assert str(ours["To"]) == str(django["To"])
    assert str(ours["From"]) == str(django["From"])


class _Recorder:
    """An SMTP handler that keeps each envelope as the server received it."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    from tests.delivery.rig import free_port

    recorder = _Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), ready_timeout=10)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    yield recorder
    controller.stop()


@pytest.mark.parametrize("to", ["ada@example.com", "Ada Lovelace <ada@example.com>", "ada@exämple.com"])
def test_transmitted_over_smtp_with_the_envelope_djangos_backend_would_give(smtp_server, to):
    from django.core.mail.backends.smtp import EmailBackend

    class SigningBackend(EmailBackend):
        """A subclass may do more in _send (sign, log): it keeps Django's own path."""

    sent = []
    for connection in (mail.get_connection(), SigningBackend()):
        message = BulkEmail(subject="Hi", body=TEXT, to=[to], from_email="Hive Ünïted <hive@example.com>")
        message.attach_alternative(HTML, "text/html")
        email_transmit(connection, message)
        email_transmit(connection, message)  # the connection stays open for the next message
        connection.close()
        sent.append(message.message().as_bytes(linesep="\r\n"))
    mail.get_connection().send_messages([message])  # Django's backend, for comparison

    ours, ours_again, subclass, subclass_again, django = smtp_server.envelopes
    for envelope in (ours, ours_again, subclass, subclass_again):
        assert (envelope.mail_from, envelope.rcpt_tos) == (django.mail_from, django.rcpt_tos)
    assert ours.original_content.replace(b"\r\n", b"\n") == sent[0].replace(b"\r\n", b"\n")
    assert email.message_from_bytes(ours.original_content, policy=policy.default)["Subject"] == "Hi"
