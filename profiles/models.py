"""Employees: the sign-in account (email, no username) and the profile colleagues see."""

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the admin site.")
    date_joined = models.DateTimeField(default=timezone.now)
    # Raised by profiles.services.user_sessions_end to end every one of the person's sessions at their
    # next request (single logout from the company's identity provider): it is part of the hash that
    # Django checks against each session.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    def _get_session_auth_hash(self, secret=None):
        if not self.session_generation:
            # Django's own hash, so sessions from before the field keep working.
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "profiles.User.get_session_auth_hash",
            f"{self.password}\x00{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    name = models.CharField(max_length=120, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What colleagues see of an employee. One per user, created with the account."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    pronouns = models.CharField(max_length=40, blank=True)
    photo = models.ImageField(upload_to="profile-photos/%Y/%m/", blank=True)
    # Markdown, rendered through common.markdown (sanitised).
    bio = models.TextField(blank=True, max_length=2000)
    # A moderator removed the bio (a decision on a flag): kept, shown to nobody, until an appeal or an
    # admin restores it, or its owner writes a new one.
    bio_removed_at = models.DateTimeField(null=True, blank=True)
    bio_removed_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An automatic rule held the bio for a moderator's approval: only its owner sees it until then.
    bio_held_at = models.DateTimeField(null=True, blank=True)
    # ["English", "Portuguese"]: a list, so the directory can show and later filter them.
    languages = models.JSONField(default=list, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # [{"label": "GitHub", "url": "https://github.com/ada"}]; http(s) URLs only (checked in services).
    links = models.JSONField(default=list, blank=True)
    start_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # Directory: alphabetical, cursor-paginated on (display_name, id), optionally per department.
            models.Index(fields=["display_name", "id"], name="profile_directory_idx"),
            models.Index(fields=["department", "display_name", "id"], name="profile_dept_directory_idx"),
            models.Index(fields=["location", "display_name", "id"], name="profile_loc_directory_idx"),
            models.Index(fields=["start_date"], name="profile_start_date_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("profiles:detail", args=[self.pk])

    def moderation_excerpt(self) -> str:
        """What people flag about a profile: the text its owner wrote about themselves."""
        about = [
            f"{self.display_name}" + (f" ({self.pronouns})" if self.pronouns else ""),
            self.job_title,
            self.bio,
        ]
        return "\n".join(part for part in about if part)[:1000]

    @property
    def initials(self) -> str:
        parts = [p for p in self.display_name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    @property
    def is_active(self) -> bool:
        return self.user.is_active


class ImportRun(models.Model):
    """One run of the HR import (profiles.hr_import) and what came of it, for admins to look back on.

    An applied or refused run is written in the import's own transaction; a run that failed is written
    after the rollback, in a transaction of its own, so the failure is on record even though nothing
    else is. Dry runs write nothing, this included.
    """

    class Source(models.TextChoices):
        COMMAND = "command", "manage.py import_employees"
        ADMIN = "admin", "Admin upload"

    class Outcome(models.TextChoices):
        APPLIED = "applied", "Applied"
        REFUSED = "refused", "Refused: nothing written"
        FAILED = "failed", "Failed: nothing written"

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Kept as text too: the record outlives the account that ran it (and the command may run as nobody).
    actor_email = models.CharField(max_length=254, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    file_name = models.CharField(max_length=255, blank=True)
    full = models.BooleanField(
        default=False, help_text="A full export: people missing from it are deactivated."
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    message = models.TextField(blank=True, help_text="The import's headline, or why it failed.")
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    deactivated = models.PositiveIntegerField(default=0)
    reactivated = models.PositiveIntegerField(default=0)
    departments_created = models.PositiveIntegerField(default=0)
    locations_created = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # The first error lines ("line 12: email is empty"); error_count says how many there were in all.
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["-started_at", "-id"], name="import_run_recent_idx")]

    def __str__(self) -> str:
        return (
            f"{self.get_source_display()} {self.file_name or '(no file name)'}: {self.get_outcome_display()}"
        )
