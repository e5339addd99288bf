from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:survey_id>/", views.answer, name="answer"),
    path("manage/", views.manage, name="manage"),
    path("new/", views.new, name="new"),
    path("<int:survey_id>/results/", views.results, name="results"),
    path("<int:survey_id>/<slug:table>.csv", views.export, name="export"),
    path("<int:survey_id>/<slug:action>/", views.act, name="act"),
]
