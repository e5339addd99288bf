from django.urls import path

from analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.csv", views.export, name="export"),
    path("silos/", views.silos, name="silos"),
    path("objectives/", views.objectives, name="objectives"),
    path("groups/", views.groups, name="groups"),
    path("summary/", views.summary, name="summary"),
]
