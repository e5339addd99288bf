from django.urls import path

from moderation import rules_views, views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("flag/<int:content_type_id>/<int:object_id>/", views.flag, name="flag"),
    path("cases/<int:case_id>/", views.case, name="case"),
    path("cases/<int:case_id>/claim/", views.claim, name="claim"),
    path("cases/<int:case_id>/release/", views.release, name="release"),
    path("cases/<int:case_id>/decide/", views.decide, name="decide"),
    path("cases/<int:case_id>/escalate/", views.escalate, name="escalate"),
    path("cases/<int:case_id>/appeal/", views.appeal, name="appeal"),
    path("cases/<int:case_id>/appeal/decide/", views.appeal_decide, name="appeal_decide"),
    path("cases/<int:case_id>/restore/", views.restore, name="restore"),
    path("bulk/", views.bulk, name="bulk"),
    path("figures/", views.figures, name="figures"),
    # Automatic rules and rate limits (moderation/rules_views.py).
    path("rules/", rules_views.rules_home, name="rules"),
    path("rules/test/", rules_views.rule_test, name="rule_test"),
    path("rules/limits/", rules_views.limits_save, name="limits"),
    path("rules/<int:rule_id>/", rules_views.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/delete/", rules_views.rule_delete, name="rule_delete"),
]
