"""Secrets kept encrypted in the database, under a key derived from a secret in the environment,
so that a copy of the database alone (a backup, a replica) cannot use them. Each use derives its
own key (HKDF-SHA256, with the use as its `info`), so one kind of secret can never be read as
another. Authorities' transfer signing keys (ADR 0053) and webhook signing secrets (ADR 0054)."""

import base64

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def fernet_for(secret: str, *, use: bytes) -> Fernet:
    """The Fernet key derived from `secret` for `use`."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=use).derive(
        secret.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def fernet_rotating(secrets: list[str], *, use: bytes) -> MultiFernet:
    """Encrypts under the first secret and reads under any: a secret being rotated out
    (settings.SECRET_KEY_FALLBACKS) still reads what was kept under it."""
    return MultiFernet([fernet_for(secret, use=use) for secret in secrets])
