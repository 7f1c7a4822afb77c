"""An HTTP load client for a server on this machine: keep-alive http.client connections to
127.0.0.1 only, a few threads, a fixed number of requests bounded by a time limit."""

import http.client
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"  # the only address the benchmark ever sends traffic to
TIMEOUT_S = 30.0


class LoadError(RuntimeError):
    """The server could not be reached or logged into: the benchmark cannot go on."""


@dataclass
class LoadResult:
    path: str
    planned: int
    completed: int  # responses received, whatever their status
    failures: int  # responses other than 200, plus requests that got no response
    wall_s: float
    latencies_ms: list[float]  # one per response received
    stopped_by_time_limit: bool
    closed_by_server: int = 0  # responses after which the server closed the connection
    failure_kinds: Counter[str] = field(default_factory=Counter)  # "status 404": 12, ...

    @property
    def requests_per_s(self) -> float:
        return self.completed / self.wall_s if self.wall_s > 0 else 0.0


def _connection(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_S)


def get_status(port: int, path: str) -> int:
    """One GET; the status, or an OSError / HTTPException if nothing answered."""
    conn = _connection(port)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _store_cookies(jar: SimpleCookie, response: http.client.HTTPResponse) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)


def _cookie_header(jar: SimpleCookie) -> str:
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items() if morsel.value)


_CSRF_INPUT = re.compile(r"<input[^>]*\bname=\"csrfmiddlewaretoken\"[^>]*>")
_VALUE = re.compile(r"\bvalue=\"([^\"]+)\"")


def login(port: int, username: str, password: str, *, session_cookie: str = "sessionid") -> str:
    """Logs in through the login form (GET for the CSRF token, then POST) and returns the
    Cookie header to send with every later request."""
    jar: SimpleCookie = SimpleCookie()
    conn = _connection(port)
    try:
        conn.request("GET", "/login/")
        response = conn.getresponse()
        html = response.read().decode("utf-8", "replace")
        if response.status != 200:
            raise LoadError(f"GET /login/ answered {response.status}, not 200.")
        _store_cookies(jar, response)
        tag = _CSRF_INPUT.search(html)
        token = _VALUE.search(tag.group(0)) if tag else None
        if token is None:
            raise LoadError("The login page has no csrfmiddlewaretoken field.")
        form = urlencode({
            "csrfmiddlewaretoken": token.group(1), "username": username, "password": password,
        })
        conn.request("POST", "/login/", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": _cookie_header(jar),
        })
        response = conn.getresponse()
        response.read()
        _store_cookies(jar, response)
    finally:
        conn.close()
    if response.status != 302 or session_cookie not in jar:
        raise LoadError(
            f"Logging in as {username} answered {response.status} without a session cookie "
            "(expected a 302 redirect that sets one): is the demo province loaded?"
        )
    return _cookie_header(jar)


def run_load(
    port: int,
    path: str,
    *,
    requests: int,
    concurrency: int,
    time_limit_s: float,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """GETs `path` `requests` times from `concurrency` threads, each with its own keep-alive
    connection (reopened by http.client when the server closes it), until all are done or
    `time_limit_s` has passed. Throughput is over the wall time of the whole run."""
    headers = dict(headers or {})
    stop = threading.Event()  # set when run_load returns or is interrupted (Ctrl+C)
    tickets = iter(range(requests))
    tickets_lock = threading.Lock()
    results_lock = threading.Lock()
    latencies: list[float] = []
    kinds: Counter[str] = Counter()
    counts = {"completed": 0, "failures": 0, "timed_out": 0, "closed": 0}
    start_gate = threading.Barrier(concurrency + 1)
    deadline = 0.0  # set just before the gate opens

    def take_ticket() -> bool:
        with tickets_lock:
            return next(tickets, None) is not None

    def worker() -> None:
        mine: list[float] = []
        failures = 0
        closed = 0
        errors: Counter[str] = Counter()
        timed_out = False
        conn = _connection(port)
        try:
            start_gate.wait()
            while not stop.is_set():
                if time.perf_counter() >= deadline:
                    timed_out = True
                    break
                if not take_ticket():
                    break
                began = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as exc:  # no response at all
                    conn.close()
                    failures += 1
                    errors[f"{type(exc).__name__}: {exc}"] += 1
                    continue
                mine.append((time.perf_counter() - began) * 1000)
                closed += response.will_close  # http.client reconnects for the next request
                if response.status != 200:
                    failures += 1
                    errors[f"status {response.status}"] += 1
        except threading.BrokenBarrierError:
            pass  # interrupted before the start
        finally:
            conn.close()
            with results_lock:
                latencies.extend(mine)
                counts["completed"] += len(mine)
                counts["failures"] += failures
                counts["timed_out"] += timed_out
                counts["closed"] += closed
                kinds.update(errors)

    threads = [
        threading.Thread(target=worker, name=f"bench-client-{i}", daemon=True)
        for i in range(concurrency)
    ]
    try:
        for thread in threads:
            thread.start()
        started = time.perf_counter()
        deadline = started + time_limit_s
        start_gate.wait()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        stop.set()
        start_gate.abort()
    return LoadResult(
        path=path,
        planned=requests,
        completed=counts["completed"],
        failures=counts["failures"],
        wall_s=wall,
        latencies_ms=latencies,
        stopped_by_time_limit=counts["timed_out"] > 0,
        closed_by_server=counts["closed"],
        failure_kinds=kinds,
    )
