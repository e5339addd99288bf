from django.contrib import admin

from feed.models import Acknowledgement, Comment, MustRead, Post, Reaction, ScheduledPost


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "author",
        "kind",
        "short_body",
        "created_at",
        "comment_count",
        "reaction_count",
        "removed_at",
    ]
    list_filter = ["kind", "created_at", ("removed_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "author__display_name"]
    list_select_related = ["author"]
    raw_id_fields = ["author", "removed_by"]
    date_hierarchy = "created_at"
    readonly_fields = ["comment_count", "reaction_count"]

    @admin.display(description="body")
    def short_body(self, obj) -> str:
        return obj.body[:80]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["id", "author", "post", "created_at", "removed_at"]
    list_filter = ["created_at", ("removed_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "author__display_name"]
    list_select_related = ["author", "post__author"]
    raw_id_fields = ["post", "author", "removed_by"]


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin):
    list_display = ["post", "profile", "kind", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["profile__display_name"]
    list_select_related = ["post__author", "profile"]
    raw_id_fields = ["post", "profile"]


@admin.register(MustRead)
class MustReadAdmin(admin.ModelAdmin):
    list_display = ["post", "compliance", "remind_after_days", "ask_until"]
    list_filter = ["compliance"]
    list_select_related = ["post__author"]
    raw_id_fields = ["post"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["post", "profile", "acknowledged_at"]
    list_select_related = ["post__author", "profile"]
    raw_id_fields = ["post", "profile"]


@admin.register(ScheduledPost)
class ScheduledPostAdmin(admin.ModelAdmin):
    list_display = ["id", "author", "kind", "publish_at", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["body", "author__display_name"]
    list_select_related = ["author"]
    raw_id_fields = ["author", "community", "post"]
