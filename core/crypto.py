"""Encryption at rest of secrets and personal identifiers, and keyed hashes ("blind indexes") to
find them.

Identifiers are encrypted with Fernet (AES-128-CBC with HMAC-SHA256). CASE_ENCRYPTION_KEYS holds
one or more keys, newest first: values are written with the first and read with any, so a key
is rotated by putting a new one in front (and re-saving the files, ``manage.py rotate_case_keys``).
An encrypted column can be neither searched nor sorted; exact lookups go through an HMAC of the
normalised value under CASE_BLIND_INDEX_KEY, which reveals nothing without that key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _fernet() -> MultiFernet:
    return _fernet_of(tuple(settings.CASE_ENCRYPTION_KEYS))


@lru_cache(maxsize=4)
def _fernet_of(keys: tuple[str, ...]) -> MultiFernet:
    """Made once per set of keys, not once per value: a page of fifty files decrypts a hundred."""
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("an identifier cannot be decrypted with the configured keys") from exc


def rotate(token: str) -> str:
    """The token re-encrypted with the newest key."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def normalise(value: str) -> str:
    """Letters and digits only, upper case: "450102-2005 0101" and "4501022005 0101" match."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", value or "")).upper()


def blind_index(*parts: str) -> str:
    """A keyed hash of the normalised parts, for exact matches; empty when any part is empty."""
    normalised = [normalise(str(part)) for part in parts]
    if not all(normalised):
        return ""
    message = "\x1f".join(normalised).encode("utf-8")
    return hmac.new(settings.CASE_BLIND_INDEX_KEY.encode("utf-8"), message, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text kept encrypted in its column; Python sees the plain text. Empty stays empty."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
