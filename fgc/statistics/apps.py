from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "fgc.statistics"
    label = "statistics"
    verbose_name = "Official statistics releases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fgc.web.navigation import NavItem, register

        # Published releases are public; signed-in users reach them from the menu too.
        register(NavItem("Statistics", "statistics:home", order=35))
