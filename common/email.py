"""Renders templates/emails/<name>.subject.txt, .txt and .html into one multipart message."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def email_build(*, name: str, to: str, context: dict, headers: dict | None = None) -> EmailMultiAlternatives:
    context = {"base_url": settings.HIVE_BASE_URL, "company": settings.HIVE_COMPANY_NAME, **context}
    subject = " ".join(render_to_string(f"emails/{name}.subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    return message
