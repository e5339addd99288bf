"""Giving kudos."""

from django.core.exceptions import ValidationError
from django.db import transaction

from feed.models import Post
from feed.services import post_create
from moderation.services import audit_record
from notifications.models import Kind
from notifications.services import notify
from profiles.models import Profile
from recognition.defaults import DEFAULT_VALUES
from recognition.models import CompanyValue, Kudos

MESSAGE_MAX = 500


def company_values_ensure() -> int:
    """Creates the starting company values when there are none (a fresh or emptied database); returns
    how many it created. seed_demo calls it: a demo company without values cannot give kudos."""
    if CompanyValue.objects.exists():
        return 0
    CompanyValue.objects.bulk_create(
        CompanyValue(name=name, emoji=emoji, description=description, position=position)
        for position, (name, emoji, description) in enumerate(DEFAULT_VALUES)
    )
    return len(DEFAULT_VALUES)


@transaction.atomic
def kudos_give(*, giver: Profile, recipient: Profile, value: CompanyValue, message: str) -> Kudos:
    """Records the kudos and the feed post that shows it, together or not at all."""
    message = (message or "").strip()
    if recipient.pk == giver.pk:
        raise ValidationError("You can't give kudos to yourself; recognise a colleague instead.")
    if not recipient.user.is_active:
        raise ValidationError(f"{recipient.display_name} no longer works here.")
    if not value.is_active:
        raise ValidationError("That company value is no longer in use; pick another.")
    if not message:
        raise ValidationError("Say what they did: the message is empty.")
    if len(message) > MESSAGE_MAX:
        raise ValidationError(f"Your message is {len(message)} characters long; the limit is {MESSAGE_MAX}.")
    post = post_create(author=giver, body=message, kind=Post.Kind.KUDOS)
    kudos = Kudos.objects.create(giver=giver, recipient=recipient, value=value, message=message, post=post)
    audit_record(actor=giver, action="kudos.give", target=kudos, recipient=recipient.pk)
    notify(
        recipients=[recipient],
        kind=Kind.KUDOS,
        actor=giver,
        summary=f"{giver.display_name} gave you kudos for {value.name}: “{message[:80]}”",
        url=post.get_absolute_url(),
    )
    return kudos
