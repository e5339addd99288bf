from collections.abc import Callable

from django.http import HttpResponseBase
from django.urls import path

from wiki import views

# The same pages for the company space (/wiki/...) and a group's (/wiki/groups/<group>/...).
_pages: list[tuple[str, Callable[..., HttpResponseBase], str]] = [
    ("", views.index, "index"),
    ("new/", views.create, "new"),
    ("watch/", views.space_watch, "space_watch"),
    ("page/<str:slug>/", views.page, "page"),
    ("page/<str:slug>/edit/", views.edit, "edit"),
    ("page/<str:slug>/move/", views.move, "move"),
    ("page/<str:slug>/delete/", views.delete, "delete"),
    ("page/<str:slug>/watch/", views.watch, "watch"),
    ("page/<str:slug>/history/", views.history, "history"),
    ("page/<str:slug>/diff/", views.diff, "diff"),
    ("page/<str:slug>/versions/<int:number>/", views.version, "version"),
    ("page/<str:slug>/versions/<int:number>/restore/", views.restore, "restore"),
]

app_name = "wiki"
urlpatterns = [
    *[path(route, view, name=name) for route, view, name in _pages],
    path("groups/<str:group_slug>/settings/", views.group_settings, name="group_settings"),
    *[path(f"groups/<str:group_slug>/{route}", view, name=f"group_{name}") for route, view, name in _pages],
]
