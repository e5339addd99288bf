from django.urls import path

from recognition import views

app_name = "recognition"
urlpatterns = [
    path("", views.wall, name="wall"),
    path("give/", views.give, name="give"),
    path("<int:kudos_id>/", views.detail, name="detail"),
    path("rewards/", views.rewards, name="rewards"),
    path("rewards/<int:reward_id>/redeem/", views.reward_redeem, name="redeem"),
    path("rewards/requests/", views.redemption_requests, name="requests"),
    path("team/", views.team, name="team"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("rings/", views.rings, name="rings"),
    path("preferences/", views.preferences, name="preferences"),
]
