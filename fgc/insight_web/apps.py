from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "fgc.insight_web"
    label = "insight"
    verbose_name = "Insight: benchmarking and publication"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fgc.web.navigation import NavItem, register

        # Every signed-in user: council users land on their own dashboard, national on England's.
        register(NavItem("Insight", "insight:home", order=30))
