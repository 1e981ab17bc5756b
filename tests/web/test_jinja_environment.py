"""The Jinja2 environment compiles each template once per process when DEBUG is off."""

from __future__ import annotations

from django.conf import settings
from django.template import engines


def test_templates_are_not_rechecked_on_disk_when_debug_is_off():
    assert settings.DEBUG is False
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    assert env.auto_reload is False


def test_every_template_fits_in_the_compiled_template_cache():
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    # A template evicted from the LRU cache would be compiled again on its next use.
    assert len(env.list_templates()) < env.cache.capacity
