"""The ledger's Ed25519 signing key: a PEM (PKCS#8) file under TEARLINE_HOME, mode 0600.

Generating and storing the key is the store's job; the pure core (``tearline.ledger.heads``)
only turns bytes into keys and signs with what it is given.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tearline.domain.errors import StoreError
from tearline.ledger.heads import private_key_from_pem, private_key_to_pem
from tearline.store.keys import create_secret_file, read_secret_file


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """Read the key; ``StoreError`` when it is missing, readable by others or not Ed25519."""
    pem = read_secret_file(path)
    try:
        return private_key_from_pem(pem)
    except StoreError as exc:
        raise StoreError(f"ledger key file {path}: {exc}") from exc


def create_signing_key(path: Path) -> Ed25519PrivateKey:
    """Create a new key file (O_EXCL, mode 0600); if another process won the race, use its key."""
    with contextlib.suppress(FileExistsError):
        create_secret_file(path, private_key_to_pem(Ed25519PrivateKey.generate()))
    return load_signing_key(path)
