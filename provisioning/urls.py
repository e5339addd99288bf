from django.urls import path

from provisioning import views

app_name = "provisioning"
urlpatterns = [
    path("Users", views.users, name="users"),
    path("Users/<str:pk>", views.user, name="user"),
    path("Groups", views.groups, name="groups"),
    path("Groups/<str:pk>", views.group, name="group"),
    path("ServiceProviderConfig", views.service_provider_config, name="config"),
]
