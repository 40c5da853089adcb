"""Encryption of source identities at rest (AES-256-GCM).

The associated data binds each ciphertext to its source id, so a ciphertext
copied onto another source's row fails to decrypt instead of naming the wrong
person."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tearline.domain.errors import StoreError

_CONTEXT = b"tearline-identity-v1:"
NONCE_BYTES = 12


class IdentityCipher:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def __repr__(self) -> str:  # never show key material
        return "IdentityCipher(<key hidden>)"

    def encrypt(self, source_id: str, identity: str) -> tuple[bytes, bytes]:
        nonce = os.urandom(NONCE_BYTES)
        return nonce, self._aead.encrypt(nonce, identity.encode(), _CONTEXT + source_id.encode())

    def decrypt(self, source_id: str, nonce: bytes, ciphertext: bytes) -> str:
        try:
            plain = self._aead.decrypt(nonce, ciphertext, _CONTEXT + source_id.encode())
        except InvalidTag:
            raise StoreError(
                f"identity of source {source_id!r} cannot be decrypted with this home's key "
                "(wrong key file, or the row was tampered with)"
            ) from None
        return plain.decode()
