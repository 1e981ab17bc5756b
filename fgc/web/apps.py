from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "fgc.web"
    label = "web"
    verbose_name = "Web platform"

    def ready(self) -> None:
        from fgc.config import checks  # noqa: F401  (registers system checks)
