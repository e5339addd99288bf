from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """Bulk email: one path that records, sends, retries and resumes every message per person and period."""

    name = "delivery"
