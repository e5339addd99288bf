from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self) -> None:
        from analytics import reports
        from delivery.kinds import kind_register

        kind_register(reports.WEEKLY_REPORT_KIND)
