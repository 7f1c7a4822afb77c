"""gunicorn serving Jahesh on 127.0.0.1 as a child process, always stopped by the caller."""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from jahesh.bench.load import HOST, get_status

READY_PATH = "/bench/hello"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0


class ServerError(RuntimeError):
    pass


def free_port() -> int:
    """A port nothing listens on right now (the kernel's choice), on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class GunicornServer:
    """`gunicorn jahesh.wsgi:application --bind 127.0.0.1:<port> --workers W --threads T`.

    Every setting is on the command line; `config` is an empty file, so a gunicorn.conf.py in
    the working folder or GUNICORN_CMD_ARGS cannot change what is measured. The server runs in
    its own process group, so Ctrl+C reaches the benchmark, which stops it in `stop()`.
    """

    def __init__(
        self, *, env: Mapping[str, str], workers: int, threads: int, cwd: Path, log_path: Path,
        config_path: Path,
    ) -> None:
        self.env = {k: v for k, v in env.items() if k != "GUNICORN_CMD_ARGS"}
        self.workers = workers
        self.threads = threads
        self.cwd = cwd
        self.log_path = log_path
        self.config_path = config_path
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "gunicorn", "jahesh.wsgi:application",
            "--config", str(self.config_path),
            "--bind", f"{HOST}:{self.port}",
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--no-control-socket",  # gunicorn 27 would otherwise open ~/.gunicorn/gunicorn.ctl
        ]

    def start(self) -> None:
        self.config_path.parent.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(
            "# Left empty on purpose: `make bench` passes every gunicorn setting on its command "
            "line.\n"
        )
        for attempt in range(3):  # another program may take the free port before gunicorn does
            self.port = free_port()
            with self.log_path.open("wb") as log:
                self.process = subprocess.Popen(  # noqa: S603 (a fixed argument list, no shell)
                    self.command(), cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                )
            try:
                self._wait_ready()
                return
            except ServerError:
                self.stop()
                if attempt == 2 or "Address already in use" not in self.log_tail():
                    raise

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(
                    f"gunicorn exited with status {self.process.returncode} while starting; "
                    f"its log ({self.log_path}) ends with:\n{self.log_tail()}"
                )
            try:
                status = get_status(self.port, READY_PATH)
                if status == 200:
                    return
                last_error = f"GET {READY_PATH} answered {status}"
            except (OSError, http.client.HTTPException) as exc:
                last_error = repr(exc)
            time.sleep(0.1)
        raise ServerError(
            f"gunicorn did not answer GET {READY_PATH} with 200 within {START_TIMEOUT_S:.0f} s "
            f"({last_error}); its log ({self.log_path}) ends with:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """SIGTERM (a graceful stop), then SIGKILL to the server's process group if it hangs."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)  # its own group: see start()
                process.wait()

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])
