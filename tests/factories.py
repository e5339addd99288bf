"""Factories for Hive's models: named roles in tests come from these."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from feed.models import Comment, Post, Reaction
from profiles.models import Department, Location, Profile, User
from recognition.models import CompanyValue, Kudos, KudosRecipient


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Office {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        skip_postgeneration_save = True  # the hook below writes its own row, not the profile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Person {n:04d}")
    job_title = "Engineer"
    department = factory.SubFactory(DepartmentFactory, name="Engineering")
    location = factory.SubFactory(LocationFactory, name="Lisbon")

    @factory.post_generation
    def guidelines_accepted(obj, create, extracted, **kwargs):
        """Moderation: has accepted the community guidelines in force, if any, so tests post freely
        (guidelines_accepted=False for someone who has not)."""
        if create and extracted is not False:
            from moderation.models import GuidelineAcceptance, GuidelineVersion

            current = GuidelineVersion.objects.order_by("-number").first()
            if current is not None:
                GuidelineAcceptance.objects.create(profile=obj, version=current)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    author = factory.SubFactory(ProfileFactory)
    body = factory.Sequence(lambda n: f"Post number {n}")
    created_at = factory.LazyFunction(timezone.now)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(ProfileFactory)
    body = "Nice one"


class ReactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reaction

    post = factory.SubFactory(PostFactory)
    profile = factory.SubFactory(ProfileFactory)
    kind = Reaction.Kind.LIKE


class CompanyValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyValue
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Value {n}")


class KudosFactory(factory.django.DjangoModelFactory):
    """A public kudos without points: KudosFactory(giver=a, recipients=[b, c], values=[v])."""

    class Meta:
        model = Kudos
        skip_postgeneration_save = True

    giver = factory.SubFactory(ProfileFactory)
    message = "Thanks for the help"
    post = factory.LazyAttribute(lambda o: PostFactory(author=o.giver, body=o.message, kind=Post.Kind.KUDOS))

    @factory.post_generation
    def recipients(obj, create, extracted, **kwargs):
        KudosRecipient.objects.bulk_create(
            KudosRecipient(kudos=obj, recipient=person, giver=obj.giver, created_at=obj.created_at)
            for person in (extracted or [ProfileFactory()])
        )

    @factory.post_generation
    def values(obj, create, extracted, **kwargs):
        obj.values.set(extracted or [CompanyValueFactory()])
        # Counted for the leaderboard and the profile as kudos_give counts them (at its created_at).
        from recognition.counts import kudos_counts_add

        kudos_counts_add(
            kudos=obj,
            recipient_ids=list(obj.recipient_rows.values_list("recipient_id", flat=True)),
            value_ids=[v.pk for v in obj.values.all()],
        )


def in_group(profile: Profile, name: str) -> Profile:
    profile.user.groups.add(Group.objects.get_or_create(name=name)[0])
    return profile
