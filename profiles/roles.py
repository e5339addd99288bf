"""The groups that carry a role in Hive. Admins put people in them through Django admin."""

MODERATORS = "Moderators"
COMMUNICATIONS = "Communications"
LEADERSHIP = "Leadership"
ROLE_GROUPS = (MODERATORS, COMMUNICATIONS, LEADERSHIP)
# Who may post company-wide announcements.
ANNOUNCERS = (COMMUNICATIONS, LEADERSHIP)


def user_roles(user) -> set[str]:
    """The role groups this user is in; superusers hold every role."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(ROLE_GROUPS)
    cached = getattr(user, "_hive_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
        user._hive_roles = cached
    return cached


def can_announce(user) -> bool:
    return bool(user_roles(user) & set(ANNOUNCERS))
