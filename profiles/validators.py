"""Checks on what people write into their profile, shared by the edit form and profiles.services."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

MAX_LINKS = 5
MAX_LINK_LABEL = 40
MAX_LANGUAGES = 10
MAX_LANGUAGE_LENGTH = 40
PHONE_CHARACTERS = set("0123456789+-() ./x")

LINK_URL_ERROR = "Enter a web address that starts with http:// or https://."
_url_validator = URLValidator(schemes=["http", "https"], message=LINK_URL_ERROR)


def link_url_is_safe(url: str) -> bool:
    """True for http(s) URLs only: what a profile page may put in an href (never javascript:)."""
    try:
        return urlsplit(str(url).strip()).scheme.lower() in {"http", "https"}
    except ValueError:
        return False


def validate_link_url(url: str) -> str:
    url = (url or "").strip()
    if not link_url_is_safe(url):
        raise ValidationError(LINK_URL_ERROR)
    _url_validator(url)
    return url


def validate_links(links) -> list[dict]:
    """[{"label": ..., "url": ...}], at most MAX_LINKS, every URL http(s); returns the cleaned list."""
    if not isinstance(links, list):
        raise ValidationError("Links must be a list of label and web address pairs.")
    if len(links) > MAX_LINKS:
        raise ValidationError(f"Add at most {MAX_LINKS} links.")
    cleaned = []
    for link in links:
        if not isinstance(link, dict):
            raise ValidationError("Each link needs a label and a web address.")
        url = validate_link_url(link.get("url", ""))
        label = str(link.get("label", "")).strip()
        if len(label) > MAX_LINK_LABEL:
            raise ValidationError(f"Keep link labels to {MAX_LINK_LABEL} characters.")
        cleaned.append({"label": label or urlsplit(url).hostname or url, "url": url})
    return cleaned


def validate_languages(languages) -> list[str]:
    """A list of language names, trimmed, without duplicates (ignoring case)."""
    if not isinstance(languages, list):
        raise ValidationError("Languages must be a list.")
    cleaned: list[str] = []
    seen: set[str] = set()
    for language in languages:
        name = " ".join(str(language).split())
        if not name or name.casefold() in seen:
            continue
        if len(name) > MAX_LANGUAGE_LENGTH:
            raise ValidationError(f"Keep each language to {MAX_LANGUAGE_LENGTH} characters.")
        seen.add(name.casefold())
        cleaned.append(name)
    if len(cleaned) > MAX_LANGUAGES:
        raise ValidationError(f"List at most {MAX_LANGUAGES} languages.")
    return cleaned


def validate_phone(phone: str) -> str:
    phone = " ".join((phone or "").split())
    if phone and (not set(phone) <= PHONE_CHARACTERS or not any(c.isdigit() for c in phone)):
        raise ValidationError("Enter a phone number using digits, spaces and + - ( ).")
    return phone
