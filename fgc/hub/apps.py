from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "fgc.hub"
    label = "hub"
    verbose_name = "National collection hub"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The jobs app runs "hub.validate" jobs without importing the hub itself.
        from fgc.hub import validation
        from fgc.jobs import registry

        registry.register(
            validation.JOB_KIND, validation.run_job, on_failure=validation.on_job_failure
        )

        from fgc.accounts.roles import COUNCIL_ROLES, NATIONAL_ROLES
        from fgc.web.navigation import NavItem, register

        register(NavItem("Returns", "hub:submissions", roles=COUNCIL_ROLES, order=20))
        register(NavItem("Upload", "hub:upload", roles=COUNCIL_ROLES, order=21))
        register(NavItem("National status", "hub:national", roles=NATIONAL_ROLES, order=20))
