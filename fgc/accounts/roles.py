"""User roles: who works for a council and who works nationally."""

from django.db import models


class Role(models.TextChoices):
    COUNCIL_OFFICER = "council_officer", "Council data officer"
    # A second council person who signs a return off before it goes to the national team.
    COUNCIL_APPROVER = "council_approver", "Council approver"
    SERVICE_MANAGER = "service_manager", "FGC service manager"
    COORDINATOR = "coordinator", "FGC coordinator"
    NATIONAL_ANALYST = "national_analyst", "National analyst"
    ADMIN = "admin", "Administrator"


COUNCIL_ROLES = frozenset(
    {Role.COUNCIL_OFFICER, Role.COUNCIL_APPROVER, Role.SERVICE_MANAGER, Role.COORDINATOR}
)
NATIONAL_ROLES = frozenset({Role.NATIONAL_ANALYST, Role.ADMIN})
