"""The flag button any moderatable content's page can include."""

from django import template
from django.contrib.contenttypes.models import ContentType

from moderation.models import FlagReason

register = template.Library()


@register.inclusion_tag("moderation/_flag_form.html", takes_context=True)
def flag_form(context, content):
    viewer = context.get("viewer")
    return {
        "content": content,
        "content_type_id": ContentType.objects.get_for_model(content).pk,  # cached by Django after first use
        # The choices, not a FlagForm: building a form per comment was a tenth of a long thread's time.
        "reasons": FlagReason.choices,
        "can_flag": viewer is not None and viewer.pk != content.author_id,
        "next": context["request"].get_full_path(),
    }
