"""What the sections share: the settings, the bench database, the server and the login."""

import io
import os
import platform
import secrets
import sqlite3
import sys
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from jahesh.bench.load import HOST, login
from jahesh.bench.server import GunicornServer

ROOT = Path(__file__).resolve().parents[2]  # the repository (the settings' BASE_DIR)
VAR_DIR = ROOT / "var"
BENCH_DIR = VAR_DIR / "bench"
JSON_PATH = VAR_DIR / "bench.json"


class BenchError(RuntimeError):
    pass


def shown(path: Path) -> str:
    """A path as the developer would type it: relative to the repository when inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


@dataclass(frozen=True)
class BenchConfig:
    workers: int = 2  # gunicorn worker processes
    threads: int = 1  # per worker; 1 means gunicorn's sync worker
    concurrency: int = 4  # client threads, each with its own connection
    warmup: int = 50  # requests per URL before measuring, not counted
    warmup_time_limit_s: float = 5.0
    time_limit_s: float = 20.0  # per URL: stop sending new requests after this long
    username: str = "agri.reporter"  # the demo login used for every logged-in page


def django_env(database: Path, secret_key: str) -> dict[str, str]:
    """The environment for the benchmark's own Django (in this process and in gunicorn)."""
    return {
        "DJANGO_SETTINGS_MODULE": "jahesh.settings",
        "JAHESH_ENV": "development",
        "DEBUG": "0",  # so debug overhead is not measured
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{database}",
        "JAHESH_URLCONF": "jahesh.bench_urls",
        # A key for this run only: var/secret_key is neither read nor created.
        "SECRET_KEY": secret_key,
    }


class BenchContext:
    def __init__(self, config: BenchConfig | None = None, *, bench_dir: Path = BENCH_DIR) -> None:
        self.config = config or BenchConfig()
        self.bench_dir = bench_dir
        self.database = bench_dir / "bench.sqlite3"
        self.env = django_env(self.database, secrets.token_urlsafe(50))
        self._server: GunicornServer | None = None
        self._cookie: str | None = None
        self.fresh = False  # --fresh: sections rebuild their own databases too

    def delete_database(self) -> None:
        self.fresh = True
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.database}{suffix}").unlink(missing_ok=True)

    # --- Django in this process (migrations, demo data, query counts) ---------------------
    def prepare(self) -> None:
        """Points this process's Django at the bench database, then migrates it and loads the
        demo province (both do nothing when already done)."""
        self.bench_dir.mkdir(parents=True, exist_ok=True)
        os.environ.update(self.env)
        import django
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        name = str(settings.DATABASES["default"]["NAME"])
        if Path(name) != self.database:  # never the developer's database, whatever happens
            raise BenchError(f"Django is set up on {name}, not on the bench's {self.database}.")
        print(f"Database: {shown(self.database)} (migrate, demo)", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        out = io.StringIO()
        call_command("demo", quiet_logins=True, stdout=out)
        print(f"  {out.getvalue().strip()}", flush=True)
        connections.close_all()

    # --- The HTTP server ------------------------------------------------------------------
    def server(self) -> GunicornServer:
        """gunicorn on a free port of 127.0.0.1, started on first use; `close()` stops it."""
        if self._server is None:
            server = GunicornServer(
                env={**os.environ, **self.env}, workers=self.config.workers,
                threads=self.config.threads, cwd=ROOT, log_path=self.bench_dir / "gunicorn.log",
                config_path=self.bench_dir / "gunicorn.conf.py",
            )
            self._server = server
            server.start()
            print(f"Server: gunicorn {' '.join(server.command()[3:])}  (log: "
                  f"{shown(server.log_path)})", flush=True)
        return self._server

    def cookie(self) -> str:
        """The Cookie header of a session logged in through the login form, made once."""
        if self._cookie is None:
            from django.conf import settings

            from jahesh.demo.data import DEMO_PASSWORD

            self._cookie = login(
                self.server().port, self.config.username, DEMO_PASSWORD,
                session_cookie=settings.SESSION_COOKIE_NAME,
            )
        return self._cookie

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    # --- What every section records beside its figures ----------------------------------
    def machine(self) -> dict[str, Any]:
        return {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": sys.version.split()[0],
            "django": version("django"),
            "gunicorn": version("gunicorn"),
            "sqlite": sqlite3.sqlite_version,
        }

    def settings(self) -> dict[str, Any]:
        return {
            **asdict(self.config),
            "worker_class": "sync" if self.config.threads == 1 else "gthread",
            "database": "sqlite (var/bench/bench.sqlite3, demo data)",
            "debug": False,
            "client": f"http.client keep-alive connections to {HOST}, one per client thread, "
                      "in the benchmark's process (sharing the CPUs with the server)",
        }
