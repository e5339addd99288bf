from django.contrib import admin

from common.admin import ViewOnlyAdminMixin
from common.outbox import enqueue_on_commit
from projects.models import Project, ProjectEmbedding, ProjectMember, ProjectUpdate
from projects.tasks import project_embed


class ProjectMemberInline(admin.TabularInline):
    model = ProjectMember
    raw_id_fields = ["profile"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "department", "member_count", "updated_at"]
    list_filter = ["status", "department"]
    search_fields = ["name", "summary"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["member_count", "created_at", "updated_at"]
    inlines = [ProjectMemberInline]
    # Members are edited inline here; member_count is kept by projects.services, so an admin
    # edit of memberships is followed by a recount in save_related.

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        project = form.instance
        Project.objects.filter(pk=project.pk).update(member_count=project.memberships.count())
        if {"name", "summary"} & set(form.changed_data):  # the look-alike search reads the new text
            enqueue_on_commit(project_embed, project.pk)


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(admin.ModelAdmin):
    list_display = ["project", "author", "created_at"]
    raw_id_fields = ["project", "author"]
    search_fields = ["body"]


@admin.register(ProjectEmbedding)
class ProjectEmbeddingAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: vectors are computed by projects.embed from the project's text."""

    list_display = ["project", "model", "computed_at"]
    list_filter = ["model"]
    search_fields = ["project__name"]
    fields = readonly_fields = ("project", "model", "computed_at")
