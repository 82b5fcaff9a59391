"""Signing and verifying transfer documents (ADR 0053).

A document is signed as its canonical JSON: keys sorted, no whitespace, UTF-8, no floats (the
document holds only strings, integers, booleans and nulls, so this is also RFC 8785's form of
it). The signature travels beside the document in an envelope, never inside what it signs.

An authority's private key is kept in the database encrypted with a key derived from
settings.TRANSFER_SIGNING_SECRET (environment STAGEWISE_TRANSFER_SIGNING_SECRET): a copy of the
database alone (a backup, a replica) cannot sign as the authority, and no page or admin shows it.
"""

import base64
import binascii
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

from stagewise.encryption import fernet_for

ALGORITHM = "Ed25519"


class SigningUnavailable(Exception):
    """This deployment cannot sign: no secret is set, or not the one the key was kept under."""


def canonical_json(value: Any) -> bytes:
    """The bytes that are signed: the same for the same document on any machine."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _fernet() -> Fernet:
    secret = settings.TRANSFER_SIGNING_SECRET
    if not secret:
        raise SigningUnavailable("STAGEWISE_TRANSFER_SIGNING_SECRET is not set.")
    return fernet_for(secret, use=b"stagewise transfer signing keys")


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """A short name for a public key: the first half of its SHA-256, in hexadecimal."""
    return hashlib.sha256(_raw_public(public_key)).hexdigest()[:32]


def _raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_text(public_key: Ed25519PublicKey) -> str:
    return base64.b64encode(_raw_public(public_key)).decode("ascii")


def public_key_load(text: str) -> Ed25519PublicKey:
    """A public key from its base64 text; ValueError if it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except binascii.Error:
        raise ValueError("not base64") from None
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def key_pair_new() -> tuple[str, str, bytes]:
    """A new key pair: (key id, public key text, encrypted private key)."""
    private_key = Ed25519PrivateKey.generate()
    raw_private = private_key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    public_key = private_key.public_key()
    return key_id_of(public_key), public_key_text(public_key), _fernet().encrypt(raw_private)


def sign(encrypted_private_key: bytes | memoryview, payload: Any) -> str:
    """The base64 signature of the payload's canonical JSON."""
    try:
        raw = _fernet().decrypt(bytes(encrypted_private_key))
    except InvalidToken:
        raise SigningUnavailable(
            "The key cannot be read with this STAGEWISE_TRANSFER_SIGNING_SECRET."
        ) from None
    private_key = Ed25519PrivateKey.from_private_bytes(raw)
    return base64.b64encode(private_key.sign(canonical_json(payload))).decode("ascii")


def verifies(public_key_base64: str, payload: Any, signature: str) -> bool:
    """Whether the signature is the key's over the payload's canonical JSON."""
    try:
        public_key = public_key_load(public_key_base64)
        public_key.verify(base64.b64decode(signature, validate=True), canonical_json(payload))
    except (ValueError, binascii.Error, InvalidSignature):
        return False
    return True
