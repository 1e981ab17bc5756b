from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "fgc.insight_web"
    label = "insight"
    verbose_name = "Insight: benchmarking and publication"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fgc.hub.signals import version_accepted
        from fgc.insight_web import jobs
        from fgc.jobs import registry
        from fgc.web.navigation import NavItem, register

        # Accepted returns are recomputed in the background, never in a page request.
        registry.register(jobs.JOB_KIND, jobs.run_job)
        version_accepted.connect(jobs.on_version_accepted, dispatch_uid="insight.refresh")

        # Every signed-in user: council users land on their own dashboard, national on England's.
        register(NavItem("Insight", "insight:home", order=30))
