from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "fgc.casework"
    label = "casework"
    verbose_name = "FGC casework"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fgc.accounts.roles import COUNCIL_ROLES
        from fgc.web.navigation import NavItem, register

        register(NavItem("Casework", "casework:home", roles=frozenset(COUNCIL_ROLES), order=20))
