from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fgc.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from fgc.audit import signals  # noqa: F401  (connects login/logout receivers)
