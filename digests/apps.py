from django.apps import AppConfig


class DigestsConfig(AppConfig):
    """The personal digest: what each person missed since their last visit, at the frequency they chose."""

    name = "digests"

    def ready(self) -> None:
        from delivery.kinds import kind_register
        from digests import mail

        kind_register(mail.DIGEST_KIND)
