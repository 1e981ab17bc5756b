"""What every casework template is given (manager flag, state labels, date wording)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fgc.casework import presenters, services
from fgc.casework.states import STATE_LABELS
from fgc.casework.wording import long_date


def _ctx(request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("is_manager", services.is_manager(request.user))
    kwargs.setdefault("state_labels", STATE_LABELS)
    kwargs.setdefault("state_tag", presenters.state_tag)
    kwargs.setdefault("long_date", long_date)
    kwargs.setdefault("current_path", request.path)
    return kwargs
