from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Pulse surveys: the Communications team asks, employees answer once and anonymously."""

    name = "surveys"

    def ready(self) -> None:
        from feed.kinds import feed_banner_register
        from surveys.views import waiting_banner

        feed_banner_register(template="surveys/_banner.html", context=waiting_banner)
