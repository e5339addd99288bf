"""Admin for pulse surveys: the surveys and their questions only. Answers, tallies and who answered
are not registered: an admin reads results on the results page, under the same rules as the team."""

from django.contrib import admin
from django.db import transaction

from surveys.models import Question, Survey
from surveys.selectors import surveys_open_until_forget


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "kind", "text"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or obj.sent_at is None


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "sent_at", "closes_at", "audience_size", "respondents"]
    list_filter = ["sent_at"]
    search_fields = ["title"]
    readonly_fields = [
        "sent_at",
        "audience_size",
        "respondents",
        "notified_through",
        "created_by",
        "created_at",
    ]
    inlines = [QuestionInline]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # A closing date moved here opens or closes the feed's banner (surveys.selectors.surveys_open_until).
        transaction.on_commit(surveys_open_until_forget)
