"""Wiki pages: a company-wide space and one space per group, each a tree of pages with every version kept."""

from django.contrib.auth.models import Group
from django.db import models
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from profiles.models import Profile


class Space(models.Model):
    """Where pages live: the company space (no group) or one group's space, made with its first page."""

    class EditPolicy(models.TextChoices):
        MEMBERS = "members", "Every member of the group"
        ADMINS = "admins", "Only the group's admins"

    community = models.OneToOneField(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="wiki_space"
    )
    edit_policy = models.CharField(max_length=10, choices=EditPolicy.choices, default=EditPolicy.MEMBERS)
    # The company space only: the members of this role group edit it (Communications by default).
    editor_group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Company space only: the people in this group may write its pages.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # One company space: the only space without a group (NULLs are otherwise all distinct).
            models.UniqueConstraint(Coalesce("community", models.Value(0)), name="wiki_one_company_space")
        ]

    def __str__(self) -> str:
        return f"Wiki of {self.community}" if self.community_id else "Company wiki"

    def get_absolute_url(self) -> str:
        if self.community is None:
            return reverse("wiki:index")
        return reverse("wiki:group_index", args=[self.community.slug])

    @property
    def is_company(self) -> bool:
        return self.community_id is None


class Page(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="pages")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # The current version's title and text, copied from it: what pages show and search reads.
    title = models.CharField(max_length=200)
    body = models.TextField()
    # Never changes once made, so links to the page survive a rename.
    slug = models.SlugField(max_length=220, allow_unicode=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Who wrote the current version ("last edited by"); moderation holds them answerable for the text.
    author = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="wiki_pages_edited")
    updated_at = models.DateTimeField(default=timezone.now)
    # Set by a deletion or a moderator's removal: the page and its versions stay, nobody sees them.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Watchers have been told of the versions up to this one (wiki/watches.py tells them in batches).
    notified_version = models.PositiveIntegerField(default=0)
    # When the first version they have not been told of was saved; None when there is none.
    notify_pending_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "slug"], name="wiki_page_slug_once"),
            # [[Links]] find pages by title, so a title names one page per space (any capitals).
            models.UniqueConstraint(
                models.F("space"),
                Lower("title"),
                condition=models.Q(removed_at__isnull=True),
                name="wiki_page_title_once",
            ),
        ]
        indexes = [
            # A space's tree and its recently changed pages.
            models.Index(fields=["space", "parent", "title"], name="wiki_page_tree_idx"),
            models.Index(fields=["space", "-updated_at", "-id"], name="wiki_page_recent_idx"),
            # The every-minute job's look-up of pages with edits nobody was told of yet: a handful.
            models.Index(
                fields=["notify_pending_since"],
                name="wiki_page_notify_due_idx",
                condition=models.Q(notify_pending_since__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self._url("page")

    def _args(self) -> list[str]:
        community = self.space.community
        return [self.slug] if community is None else [community.slug, self.slug]

    def _url(self, name: str, *extra) -> str:
        prefix = "" if self.space.community_id is None else "group_"
        return reverse(f"wiki:{prefix}{name}", args=[*self._args(), *extra])

    def edit_url(self) -> str:
        return self._url("edit")

    def history_url(self) -> str:
        return self._url("history")

    def diff_url(self) -> str:
        return self._url("diff")

    def version_url(self, number: int) -> str:
        return self._url("version", number)

    def restore_url(self, number: int) -> str:
        return self._url("restore", number)

    def move_url(self) -> str:
        return self._url("move")

    def delete_url(self) -> str:
        return self._url("delete")

    def watch_url(self) -> str:
        return self._url("watch")

    def moderation_excerpt(self) -> str:
        return f"{self.title}\n\n{self.body[:1000]}"


class Version(models.Model):
    """One saved state of a page; never changed or deleted while the page exists."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    author = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=200, blank=True)
    # Set when this version puts back an older one's title and text.
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="wiki_version_once")]

    def __str__(self) -> str:
        return f"{self.page_id} v{self.number}"


class Link(models.Model):
    """A [[Title]] written in a page's current text, kept for "what links here".

    The target is a title, not a page: a link to a page not written yet starts working when it is.
    """

    source = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="links_out")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    target_key = models.CharField(max_length=200)  # the title, lower-cased

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target_key"], name="wiki_link_once")]
        indexes = [models.Index(fields=["space", "target_key"], name="wiki_link_target_idx")]

    def __str__(self) -> str:
        return f"{self.source_id} -> {self.target_key}"


class Watch(models.Model):
    """Someone told of edits to one page, or to every page of a space (a group's wiki, the company's).

    Writing or editing a page watches it; the page and the wiki both have a button to stop.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="wiki_watches")
    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(page__isnull=True, space__isnull=False)
                | models.Q(page__isnull=False, space__isnull=True),
                name="wiki_watch_page_or_space",
            ),
            models.UniqueConstraint(
                fields=["profile", "page"],
                condition=models.Q(page__isnull=False),
                name="wiki_watch_page_once",
            ),
            models.UniqueConstraint(
                fields=["profile", "space"],
                condition=models.Q(space__isnull=False),
                name="wiki_watch_space_once",
            ),
        ]

    def __str__(self) -> str:
        what = f"page {self.page_id}" if self.page_id else f"space {self.space_id}"
        return f"{self.profile_id} watches {what}"
