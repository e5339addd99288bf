from django.urls import path

from recognition import views

app_name = "recognition"
urlpatterns = [
    path("give/", views.give, name="give"),
    path("<int:kudos_id>/", views.detail, name="detail"),
]
