"""Every change to someone's listed skills, interests and the endorsements of their skills."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Value, When
from django.db.models.functions import Greatest, Lower
from taggit.models import TagBase
from taggit.utils import parse_tags

from expertise.models import Endorsement, Interest, ProfileInterest, ProfileSkill, Skill, SkillAlias
from expertise.selectors import skill_names_canonical
from profiles.models import Profile

MAX_SKILLS = 30
MAX_SKILL_LENGTH = 50
MAX_INTERESTS = 30
MAX_INTEREST_LENGTH = 50


def _names_parse(raw: str, *, noun: str, max_count: int, max_length: int) -> list[str]:
    names = []
    seen = set()
    for name in parse_tags(raw):
        name = " ".join(name.split())
        if len(name) > max_length:
            raise ValidationError(
                f"“{name[:20]}…” is too long: a{'n' if noun[0] in 'aeiou' else ''} {noun} "
                f"is at most {max_length} characters."
            )
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    if len(names) > max_count:
        raise ValidationError(f"List at most {max_count} {noun}s.")
    return names


def skill_names_parse(raw: str) -> list[str]:
    """'Python, "Data science", kubernetes' -> distinct names, as taggit parses tag input."""
    return _names_parse(raw, noun="skill", max_count=MAX_SKILLS, max_length=MAX_SKILL_LENGTH)


def interest_names_parse(raw: str) -> list[str]:
    """'Running, photography' -> distinct names, parsed like skills."""
    return _names_parse(raw, noun="interest", max_count=MAX_INTERESTS, max_length=MAX_INTEREST_LENGTH)


def _tags_get_or_create(model: type[TagBase], names: list[str]) -> list:
    lowered = [n.lower() for n in names]
    existing = {t.lname: t for t in model.objects.annotate(lname=Lower("name")).filter(lname__in=lowered)}
    tags = []
    for name in names:
        tag = existing.get(name.lower())
        if tag is None:
            tag = model(name=name)
            tag.save()  # TagBase.save picks a unique slug
            existing[name.lower()] = tag
        tags.append(tag)
    return tags


def skills_get_or_create(*, names: list[str]) -> list[Skill]:
    """One Skill per name, matched case-insensitively so "python" joins "Python", and an alias
    means its skill ("k8s" is Kubernetes): one skill however many of its names were typed."""
    return _tags_get_or_create(Skill, skill_names_canonical(names))


def interests_get_or_create(*, names: list[str]) -> list[Interest]:
    """One Interest per name, matched case-insensitively like skills."""
    return _tags_get_or_create(Interest, names)


def _profile_lock(profile: Profile) -> bool:
    """Locks the profile's row; returns whether the person still works here."""
    # Two tabs saving the same person's skills at once would otherwise race to insert the same rows.
    return bool(
        Profile.objects.select_for_update(of=("self",))
        .filter(pk=profile.pk)
        .values_list("user__is_active", flat=True)
        .first()
    )


def _people_count_change(model: type[Skill] | type[Interest], *, added: set[int], removed: set[int]) -> None:
    # One statement for both directions, so two saves touching the same tags lock them in one order.
    # Never below zero: a count that drifted (someone left meanwhile) waits for people_counts_recount.
    if not (added or removed):
        return
    model.objects.filter(pk__in=added | removed).update(
        people_count=Case(
            When(pk__in=added, then=F("people_count") + 1),
            default=Greatest(F("people_count") - 1, Value(0)),
        )
    )


def people_counts_recount() -> int:
    """Sets every skill's and interest's people_count to the active people listing it; returns how
    many changed.

    The services keep the counts as profiles change, but not when someone leaves or comes back (the
    HR import and admin change accounts, below expertise) or when rows are deleted or bulk-loaded
    directly; this corrects them, hourly, and after an HR import that (de)activated anyone
    (profiles.signals.accounts_activation_changed). A profile saved while it runs may leave a tag one off
    until the next run: no lock is taken, so nobody's save waits for a count.
    """
    changed = 0
    for model, items in ((Skill, ProfileSkill), (Interest, ProfileInterest)):
        counts = dict(
            items.objects.filter(content_object__user__is_active=True)
            .values_list("tag_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        stale = [
            model(pk=pk, people_count=counts.get(pk, 0))
            for pk, current in model.objects.values_list("pk", "people_count")
            if counts.get(pk, 0) != current
        ]
        model.objects.bulk_update(stale, ["people_count"], batch_size=1000)
        changed += len(stale)
    return changed


@transaction.atomic
def profile_skills_set(
    *,
    profile: Profile,
    names: list[str],
    levels: dict[int, int] | None = None,
    new_level: int = ProfileSkill.Level.PRACTISED,
) -> list[Skill]:
    """Replace the skills listed on a profile.

    `levels` maps a skill's id to the self-rated level for a skill already listed; skills new to the
    profile get `new_level`. Removing a skill removes its endorsements with it.
    """
    if len(names) > MAX_SKILLS:
        raise ValidationError(f"List at most {MAX_SKILLS} skills.")
    valid_levels = set(ProfileSkill.Level.values)
    levels = levels or {}
    if new_level not in valid_levels or any(v not in valid_levels for v in levels.values()):
        raise ValidationError("Choose a level between Learning and Expert.")
    active = _profile_lock(profile)
    skills = skills_get_or_create(names=names)
    keep = {s.pk for s in skills}
    # Locked so an endorsement being added right now either lands before the delete (and goes with
    # it) or waits and finds the skill gone, instead of pointing at a deleted row.
    current = {
        item.tag_id: item for item in ProfileSkill.objects.select_for_update().filter(content_object=profile)
    }
    gone = [item.pk for tag_id, item in current.items() if tag_id not in keep]
    if gone:
        ProfileSkill.objects.filter(pk__in=gone).delete()
    changed = []
    for tag_id, item in current.items():
        level = levels.get(tag_id)
        if tag_id in keep and level is not None and level != item.level:
            item.level = level
            changed.append(item)
    ProfileSkill.objects.bulk_update(changed, ["level"])
    added = [s for s in skills if s.pk not in current]
    ProfileSkill.objects.bulk_create(
        [ProfileSkill(content_object=profile, tag=s, level=new_level) for s in added]
    )
    if active:
        _people_count_change(
            Skill, added={s.pk for s in added}, removed={tag_id for tag_id in current if tag_id not in keep}
        )
    return skills


@transaction.atomic
def profile_interests_set(*, profile: Profile, names: list[str]) -> list[Interest]:
    """Replace the interests listed on a profile."""
    if len(names) > MAX_INTERESTS:
        raise ValidationError(f"List at most {MAX_INTERESTS} interests.")
    active = _profile_lock(profile)
    interests = interests_get_or_create(names=names)
    keep = {i.pk for i in interests}
    listed = ProfileInterest.objects.filter(content_object=profile)
    current = set(listed.values_list("tag_id", flat=True))
    listed.filter(tag_id__in=current - keep).delete()
    added = [i for i in interests if i.pk not in current]
    ProfileInterest.objects.bulk_create([ProfileInterest(content_object=profile, tag=i) for i in added])
    if active:
        _people_count_change(Interest, added={i.pk for i in added}, removed=current - keep)
    return interests


@transaction.atomic
def profile_interest_add(*, profile: Profile, interest: Interest) -> bool:
    """Adds one interest to a profile (from the interest's page); False if it was listed already."""
    active = _profile_lock(profile)
    listed = ProfileInterest.objects.filter(content_object=profile)
    if listed.filter(tag=interest).exists():
        return False
    if listed.count() >= MAX_INTERESTS:
        raise ValidationError(
            f"You list {MAX_INTERESTS} interests already, the most there can be: remove one first."
        )
    ProfileInterest.objects.create(content_object=profile, tag=interest)
    if active:
        _people_count_change(Interest, added={interest.pk}, removed=set())
    return True


@transaction.atomic
def profile_expertise_set(
    *,
    profile: Profile,
    skill_names: list[str],
    levels: dict[int, int],
    new_level: int,
    interest_names: list[str],
) -> None:
    """The "Your skills and interests" form: skills with their levels and interests, all or nothing."""
    profile_skills_set(profile=profile, names=skill_names, levels=levels, new_level=new_level)
    profile_interests_set(profile=profile, names=interest_names)


def _profile_skill_lock(profile_skill_id: int) -> ProfileSkill:
    # The row lock serialises endorsements of one skill, so the check-then-insert below and the
    # counter update cannot interleave with another endorsement or the owner removing the skill.
    item = (
        ProfileSkill.objects.select_for_update(of=("self",))
        .select_related("tag", "content_object__user")
        .filter(pk=profile_skill_id)
        .first()
    )
    if item is None:
        raise ValidationError("That skill is no longer listed.")
    return item


@transaction.atomic
def endorsement_create(*, endorser: Profile, profile_skill_id: int) -> Endorsement:
    """`endorser` vouches for a colleague's skill: once per skill, never their own."""
    item = _profile_skill_lock(profile_skill_id)
    owner = item.content_object
    if owner.pk == endorser.pk:
        raise ValidationError("You can't endorse your own skill.")
    if not endorser.user.is_active:
        raise ValidationError("Your account is deactivated, so you can't endorse skills.")
    if not owner.user.is_active:
        raise ValidationError(
            f"{owner.display_name} no longer works here, so their skills can't be endorsed."
        )
    already = f"You have already endorsed {owner.display_name} for {item.tag.name}."
    if Endorsement.objects.filter(profile_skill=item, endorser=endorser).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(profile_skill=item, endorser=endorser)
    except IntegrityError as exc:  # the unique constraint, should the lock ever be bypassed
        raise ValidationError(already) from exc
    ProfileSkill.objects.filter(pk=item.pk).update(endorsement_count=F("endorsement_count") + 1)
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, endorser: Profile, profile_skill_id: int) -> None:
    """Takes back `endorser`'s endorsement of a skill."""
    item = _profile_skill_lock(profile_skill_id)
    deleted, _ = Endorsement.objects.filter(profile_skill=item, endorser=endorser).delete()
    if not deleted:
        raise ValidationError(f"You had not endorsed {item.content_object.display_name} for {item.tag.name}.")
    ProfileSkill.objects.filter(pk=item.pk).update(endorsement_count=F("endorsement_count") - 1)


@transaction.atomic
def endorsements_delete(*, endorsement_ids: list[int]) -> int:
    """Removes endorsements by id (admins), keeping each skill's count equal to its rows."""
    rows = list(
        Endorsement.objects.select_for_update()
        .filter(pk__in=endorsement_ids)
        .values_list("pk", "profile_skill_id")
    )
    per_item: dict[int, int] = {}
    for _pk, item_id in rows:
        per_item[item_id] = per_item.get(item_id, 0) + 1
    Endorsement.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    for item_id, removed in per_item.items():
        ProfileSkill.objects.filter(pk=item_id).update(endorsement_count=F("endorsement_count") - removed)
    return len(rows)


# --- Skill aliases (admins) ------------------------------------------------------------------------


def skill_alias_name_clean(*, name: str, alias_id: int | None = None) -> str:
    """The alias as it will be stored, or a ValidationError saying why it cannot be one."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Give the alias a name, such as k8s.")
    if len(name) > MAX_SKILL_LENGTH:
        raise ValidationError(f"An alias has at most {MAX_SKILL_LENGTH} characters.")
    same_name = SkillAlias.objects.filter(name__iexact=name)
    if alias_id is not None:
        same_name = same_name.exclude(pk=alias_id)
    if same_name.exists():
        raise ValidationError(f"“{name}” is already an alias of a skill.")
    return name


@transaction.atomic
def skill_alias_save(*, alias: SkillAlias) -> SkillAlias:
    """Saves an alias; a skill people already listed under that name joins its target.

    People who typed "k8s" before "k8s = Kubernetes" existed now list Kubernetes, keeping their level
    and endorsements; someone who listed both keeps their Kubernetes row (the higher level of the
    two), and the "k8s" one goes. The skill named like the alias is then deleted: the name lives on
    as the alias, so a search, a filter or the old URL still finds the people.
    """
    alias.name = skill_alias_name_clean(name=alias.name, alias_id=alias.pk)
    target = alias.skill
    if target.name.lower() == alias.name.lower():
        raise ValidationError("An alias is another name for the skill, not its own name.")
    alias.save()
    merged = Skill.objects.filter(name__iexact=alias.name).exclude(pk=target.pk).first()
    if merged is None:
        return alias
    rows = ProfileSkill.objects.select_for_update().filter(tag__in=[merged, target])
    held = {item.content_object_id: item for item in rows if item.tag_id == target.pk}
    both = [item for item in rows if item.tag_id == merged.pk and item.content_object_id in held]
    raise_level = []
    for item in both:
        kept = held[item.content_object_id]
        if item.level > kept.level:
            kept.level = item.level
            raise_level.append(kept)
    ProfileSkill.objects.bulk_update(raise_level, ["level"])
    ProfileSkill.objects.filter(pk__in=[item.pk for item in both]).delete()
    ProfileSkill.objects.filter(tag=merged).update(tag=target)
    merged.delete()
    holders = ProfileSkill.objects.filter(tag=target, content_object__user__is_active=True)
    target.people_count = holders.count()
    target.save(update_fields=["people_count"])
    return alias
