"""A workspace: the home folder, its database and its keys, opened for a command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from tearline.domain.errors import ConflictError, StoreError
from tearline.settings import Settings as Settings  # the CLI resolves it
from tearline.store.database import (
    has_schema,
    head_revision,
    make_engine,
    migrate,
    redact,
    schema_revision,
    unit_of_work,
)
from tearline.store.identity import IdentityCipher
from tearline.store.keys import load_or_create_key, read_secret_file


class Workspace:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.db_url)

    def describe_db(self) -> str:
        return redact(self.settings.db_url)

    def exists(self) -> bool:
        path = self.settings.sqlite_path
        if path is not None and not path.exists():
            return False
        try:
            return has_schema(self.engine)
        except Exception as exc:  # connection errors surface as StoreError
            raise StoreError(f"cannot reach database {self.describe_db()}: {exc}") from exc

    def init(self) -> bool:
        """Create home, identity key and schema. Returns False when all existed."""
        existed = self.exists() and self.settings.identity_key_path.exists()
        self.settings.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        load_or_create_key(self.settings.identity_key_path)
        migrate(self.engine)
        return not existed

    def open(self, *, create: bool) -> None:
        """Make the database usable: create it when allowed, else require it;
        bring an older schema up to date."""
        if not self.exists():
            if not create:
                raise StoreError(
                    f"no tearline database at {self.describe_db()}: "
                    "run `tearline init` or `tearline load FILE` first"
                )
            self.init()
            return
        if schema_revision(self.engine) != head_revision():
            migrate(self.engine)

    def cipher(self, *, create: bool = False) -> IdentityCipher:
        path = self.settings.identity_key_path
        key = load_or_create_key(path) if create else read_secret_file(path)
        return IdentityCipher(key)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction; database errors are translated once, here."""
        try:
            with unit_of_work(self.engine) as session:
                yield session
        except IntegrityError as exc:
            raise ConflictError(f"the database refused the change: {exc.orig}") from exc
        except OperationalError as exc:
            raise StoreError(f"database {self.describe_db()} failed: {exc.orig}") from exc

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
