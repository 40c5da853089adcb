"""Secret key files under TEARLINE_HOME: created once, mode 0600, never logged."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from tearline.domain.errors import StoreError

KEY_BYTES = 32  # AES-256


def create_secret_file(path: Path, content: bytes) -> None:
    """Write ``content`` to a new file readable only by its owner.

    O_EXCL makes creation atomic: two processes racing cannot both create a
    key and leave data encrypted under the loser's."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, content)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_secret_file(path: Path) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise StoreError(f"key file {path} is missing") from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise StoreError(
            f"key file {path} is readable by others (mode {stat.S_IMODE(info.st_mode):o}); "
            "run: chmod 600 " + str(path)
        )
    return path.read_bytes()


def load_or_create_key(path: Path) -> bytes:
    if not path.exists():
        # Another process may create it first; then we use theirs.
        with contextlib.suppress(FileExistsError):
            create_secret_file(path, secrets.token_bytes(KEY_BYTES))
    key = read_secret_file(path)
    if len(key) != KEY_BYTES:
        raise StoreError(
            f"key file {path} is damaged (expected {KEY_BYTES} bytes, found {len(key)})"
        )
    return key
