from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "fgc.accounts"
    label = "accounts"
    verbose_name = "Accounts and councils"

    def ready(self) -> None:
        from fgc.accounts.services import load_councils_after_migrate
        from fgc.accounts.tokens import TOKEN_ROLES
        from fgc.web.navigation import NavItem, register

        register(NavItem("API tokens", "accounts:tokens", roles=TOKEN_ROLES, order=80))

        # Councils are reference data: present after every migrate (and test-database flush).
        post_migrate.connect(load_councils_after_migrate, sender=self)
