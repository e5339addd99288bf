from django.urls import path

from expertise import views

app_name = "expertise"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.edit_mine, name="edit_mine"),
    path("meet/", views.meet, name="meet"),
    path("endorsements/<int:item_id>/", views.endorse, name="endorse"),
    path("endorsements/<int:item_id>/withdraw/", views.endorsement_withdraw, name="endorsement_withdraw"),
    # Two segments, so no skill's slug (even "interests") can shadow an interest's page.
    path("interests/<str:slug>/", views.interest, name="interest"),
    path("interests/<str:slug>/add/", views.interest_add, name="interest_add"),
    # str, not slug: taggit keeps non-ASCII letters in slugs ("Français" -> "français").
    # Skill.slugify keeps skills off the slugs above ("mine", "meet").
    path("<str:slug>/", views.skill, name="skill"),
]
