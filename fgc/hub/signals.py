"""Signals the hub sends so other apps can react without the hub importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after a submission version has been accepted and the decision committed, with
# ``version`` (the accepted ``SubmissionVersion``), or ``version=None`` after a bulk load
# (the demo seed) accepted many at once. Receivers must not assume a transaction is open.
version_accepted = Signal()
