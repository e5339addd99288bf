from django.contrib import admin

from events.models import Event, Question


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "starts_at",
        "ends_at",
        "community",
        "question_count",
        "answered_count",
        "cancelled_at",
    ]
    list_filter = ["starts_at", ("cancelled_at", admin.EmptyFieldListFilter)]
    search_fields = ["title"]
    list_select_related = ["community"]
    raw_id_fields = ["created_by", "hosts", "community"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["id", "event", "anonymous", "vote_count", "answered_at", "removed_at"]
    list_filter = ["anonymous", ("answered_at", admin.EmptyFieldListFilter)]
    search_fields = ["body"]
    list_select_related = ["event"]
    raw_id_fields = ["event", "author", "answered_by", "removed_by"]
    readonly_fields = ["vote_count"]
