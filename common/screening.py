"""A seam through which apps below moderation (profiles) check what someone writes against the
company's automatic rules without importing moderation: moderation registers its check at start-up."""

from collections.abc import Callable

# check(text=..., where=...) raises ValidationError when a rule refuses the text.
TextCheck = Callable[..., None]
_checks: list[TextCheck] = []


def text_check_register(check: TextCheck) -> None:
    if check not in _checks:
        _checks.append(check)


def text_check(*, text: str, where: str) -> None:
    for check in _checks:
        check(text=text, where=where)


# saved(content=..., text=..., where=...) runs in the transaction that saved text the checks let through:
# moderation opens a case when a rule holds or flags it.
TextSaved = Callable[..., None]
_saved: list[TextSaved] = []


def text_saved_register(hook: TextSaved) -> None:
    if hook not in _saved:
        _saved.append(hook)


def text_saved(*, content, text: str, where: str) -> None:
    for hook in _saved:
        hook(content=content, text=text, where=where)
