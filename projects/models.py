"""Projects people work on, so teams find each other's work before paying for it twice."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from expertise.models import Skill
from profiles.models import Department, Profile


class ProjectTag(TaggedItemBase):
    # Project tags share the skills vocabulary, so "who knows Kubernetes" and
    # "which projects use Kubernetes" meet in one place.
    tag = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="project_items")
    content_object = models.ForeignKey("Project", on_delete=models.CASCADE, related_name="tag_items")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "content_object"], name="project_tag_once")]


class Project(models.Model):
    class Status(models.TextChoices):
        IDEA = "idea", "Idea"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    name = models.CharField(max_length=200)
    summary = models.TextField(max_length=3000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    created_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="projects_created")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    member_count = models.PositiveIntegerField(default=0)

    tags = TaggableManager(through=ProjectTag, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="project_recent_idx"),
            models.Index(fields=["department", "-updated_at"], name="project_dept_idx"),
            models.Index(fields=["status", "-updated_at"], name="project_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])


class ProjectMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        MEMBER = "member", "Member"
        ADVISOR = "advisor", "Advisor"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="project_memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "profile"], name="project_member_once")]
        indexes = [models.Index(fields=["profile", "-joined_at"], name="member_projects_idx")]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.role} on {self.project_id}"


class ProjectUpdate(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="project_updates")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["project", "-created_at", "-id"], name="project_updates_idx")]

    def __str__(self) -> str:
        return f"update on {self.project_id}"


class ProjectEmbedding(models.Model):
    """The project's name and summary as a sentence vector (common.sentence_embeddings), so that a
    draft in other words still finds it. Kept beside the project, not on it, so that the ~1.5 KB
    vector is read only by the look-alike search. Written after commit by projects.embed."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    model = models.CharField(max_length=64)  # vectors of different models do not compare
    vector = models.BinaryField()  # float32, little-endian, unit length
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The in-process vector index asks for the newest vector at every look-up (projects.selectors).
        indexes = [models.Index(fields=["model", "computed_at"], name="projects_embedding_newest")]

    def __str__(self) -> str:
        return f"{self.project_id} ({self.model})"
