"""Where tearline keeps its data: TEARLINE_HOME (or --home) and TEARLINE_DB_URL."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from tearline.store.database import sqlite_url

HOME_ENV = "TEARLINE_HOME"
DB_URL_ENV = "TEARLINE_DB_URL"
DB_FILE = "tearline.db"
IDENTITY_KEY_FILE = Path("keys") / "identity.key"


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    db_url: str
    db_from_env: bool

    @property
    def identity_key_path(self) -> Path:
        return self.home / IDENTITY_KEY_FILE

    @property
    def sqlite_path(self) -> Path | None:
        return None if self.db_from_env else self.home / DB_FILE

    @classmethod
    def resolve(cls, home: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        if home is None:
            home = Path(env[HOME_ENV]) if env.get(HOME_ENV) else Path(user_data_dir("tearline"))
        home = home.expanduser().resolve()
        url = env.get(DB_URL_ENV)
        if url:
            return cls(home=home, db_url=url, db_from_env=True)
        return cls(home=home, db_url=sqlite_url(home / DB_FILE), db_from_env=False)
