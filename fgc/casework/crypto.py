"""Field-level encryption of names and contact details (Fernet: AES-128-CBC + HMAC-SHA256).

The key comes from ``settings.FGC_FIELD_KEY`` (environment variable ``FGC_FIELD_KEY``; dev and
test settings carry fixed, clearly insecure values, production refuses to start without it).
Any secret string is stretched to a Fernet key with HKDF, so operators can use any long random
value. Ciphertexts are tagged with a version prefix so the scheme can change later.
"""

from __future__ import annotations

import base64
import os
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1:"


class DecryptionError(RuntimeError):
    """A stored value could not be decrypted: wrong FGC_FIELD_KEY, or the value was altered."""


def field_secret() -> str:
    from django.conf import settings

    secret = getattr(settings, "FGC_FIELD_KEY", "") or os.environ.get("FGC_FIELD_KEY", "")
    if not secret:
        raise ImproperlyConfigured(
            "FGC_FIELD_KEY is not set: casework names and contact details cannot be encrypted"
        )
    return str(secret)


@cache
def _fernet(secret: str) -> Fernet:
    raw = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"fgc-casework", info=b"field-encryption"
    ).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(raw))


def encrypt(text: str) -> str:
    if text == "":
        return ""
    return PREFIX + _fernet(field_secret()).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise DecryptionError("A casework value is stored unencrypted")
    try:
        return _fernet(field_secret()).decrypt(stored[len(PREFIX) :].encode("ascii")).decode()
    except InvalidToken:
        raise DecryptionError(
            "A casework value could not be decrypted: is FGC_FIELD_KEY the key it was saved with?"
        ) from None


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; Python code only ever sees the plain text."""

    description = "Text encrypted at rest with FGC_FIELD_KEY"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        return decrypt(value) if value else ""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(str(value))
