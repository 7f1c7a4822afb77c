"""What keeps the public form (no login) usable by factory owners and useless to robots.

Everything here works offline: no reCAPTCHA, no outside service.

* **Rate limits per client address.** The address is never stored: only an HMAC of it with
  the SECRET_KEY (`address_hash`), so the table cannot be read back into addresses. Counts live
  in the `PublicSubmission` table (not the cache, which each worker process has its own of).
  Each kind of use is counted under its own scope, salted into the hash:
  ``submit`` (cases submitted), ``track`` (tracking codes that matched nothing) and ``check``
  (wrong answers to the check question, a filled-in honeypot). IPv6 addresses count per /64,
  the block one household or office gets.
* **A check question** ("what is seven plus three?", in words), signed with
  `django.core.signing` with the time it was asked and bound to the address. Refused when
  answered wrongly, sooner than a person can read the form, or after it expired.
* **A honeypot field** that people never see and robots fill in.
* **Size limits** on the request as a whole, on each file and on all files together.

Settings (read with getattr, all optional; the defaults are in brackets):
``JAHESH_PUBLIC_PER_HOUR`` [5] and ``JAHESH_PUBLIC_PER_DAY`` [20] cases from one address;
``JAHESH_PUBLIC_TRACK_FAILURES_PER_HOUR`` [10] unknown tracking codes from one address;
``JAHESH_PUBLIC_CHECK_FAILURES_PER_HOUR`` [10] wrong answers from one address;
``JAHESH_PUBLIC_MIN_SECONDS`` [3] and ``JAHESH_PUBLIC_CHECK_MAX_AGE`` [7200] seconds between
asking and answering; ``JAHESH_PUBLIC_FILE_MAX_MB`` [5], ``JAHESH_PUBLIC_TOTAL_MAX_MB`` [10],
``JAHESH_PUBLIC_MAX_FILES`` [5]; ``JAHESH_PUBLIC_CLIENT_ADDRESS_HEADER`` [``REMOTE_ADDR``]: the
request.META key holding the client's address, e.g. ``HTTP_X_REAL_IP`` behind a reverse proxy
that sets it (never a header the client can set itself).
"""

from __future__ import annotations

import ipaddress
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from jahesh.cases.models import PublicSubmission
from jahesh.core.persian import format_number, strip_invisible, to_latin_digits

SUBMIT = "submit"
TRACK = "track"
CHECK = "check"

_CHECK_SALT = "jahesh.cases.public.check"
MB = 1024 * 1024


def setting(name: str, default: int) -> int:
    value = getattr(settings, name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number ≥ 0, not {value!r}")
    return value


@dataclass(frozen=True)
class Limits:
    per_hour: int
    per_day: int
    track_failures_per_hour: int
    check_failures_per_hour: int
    min_seconds: int
    max_age: int
    file_max_bytes: int
    total_max_bytes: int
    max_files: int

    @property
    def request_max_bytes(self) -> int:
        """The largest request the form accepts: all files plus room for the text fields."""
        return self.total_max_bytes + MB

    @property
    def file_max_mb(self) -> str:
        return megabytes(self.file_max_bytes)

    @property
    def total_max_mb(self) -> str:
        return megabytes(self.total_max_bytes)


def megabytes(size: int) -> str:
    """A size in MB as people write it: '5', '2.5' (in the active language's digits)."""
    value = round(size / MB, 1)
    return format_number(int(value) if value == int(value) else value)


def limits() -> Limits:
    return Limits(
        per_hour=setting("JAHESH_PUBLIC_PER_HOUR", 5),
        per_day=setting("JAHESH_PUBLIC_PER_DAY", 20),
        track_failures_per_hour=setting("JAHESH_PUBLIC_TRACK_FAILURES_PER_HOUR", 10),
        check_failures_per_hour=setting("JAHESH_PUBLIC_CHECK_FAILURES_PER_HOUR", 10),
        min_seconds=setting("JAHESH_PUBLIC_MIN_SECONDS", 3),
        max_age=setting("JAHESH_PUBLIC_CHECK_MAX_AGE", 2 * 60 * 60),
        file_max_bytes=setting("JAHESH_PUBLIC_FILE_MAX_MB", 5) * MB,
        total_max_bytes=setting("JAHESH_PUBLIC_TOTAL_MAX_MB", 10) * MB,
        max_files=setting("JAHESH_PUBLIC_MAX_FILES", 5),
    )


# --- The client's address ---------------------------------------------------------------------

def client_address(request: HttpRequest) -> str:
    """The client's address as counted: an IPv6 address by its /64 block."""
    key = getattr(settings, "JAHESH_PUBLIC_CLIENT_ADDRESS_HEADER", "REMOTE_ADDR")
    raw = str(request.META.get(key) or request.META.get("REMOTE_ADDR") or "")
    raw = raw.split(",")[0].strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


def address_hash(request: HttpRequest, scope: str) -> str:
    """The address, keyed with the SECRET_KEY and the scope: 64 hex digits."""
    return salted_hmac(f"jahesh.cases.public.{scope}", client_address(request),
                       algorithm="sha256").hexdigest()


# --- Counting ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Usage:
    last_hour: int
    last_day: int


def usage(request: HttpRequest, scope: str) -> Usage:
    """How often this address used `scope` in the last hour and day (one query)."""
    now = timezone.now()
    counts = PublicSubmission.objects.filter(
        address_hash=address_hash(request, scope), at__gte=now - timedelta(days=1),
    ).aggregate(day=Count("id"), hour=Count("id", filter=Q(at__gte=now - timedelta(hours=1))))
    return Usage(last_hour=counts["hour"], last_day=counts["day"])


def forget_stale_uses() -> int:
    """Uses older than a day count towards no limit: those that opened no case go, whatever
    their address (one indexed DELETE; the table would otherwise only grow)."""
    deleted, _kinds = PublicSubmission.objects.filter(
        case__isnull=True, at__lt=timezone.now() - timedelta(days=1)).delete()
    return deleted


def record_use(request: HttpRequest, scope: str, *, case: Any = None) -> PublicSubmission:
    forget_stale_uses()
    return PublicSubmission.objects.create(address_hash=address_hash(request, scope), case=case)


def record_failure(request: HttpRequest, scope: str) -> None:
    """A failed attempt (an unknown tracking code, a wrong answer)."""
    record_use(request, scope)


TOO_MANY_SUBMISSIONS = _(
    "Too many cases were sent from your connection in a short time, so this one was not "
    "accepted. Please try again in an hour, or call the secretariat."
)
TOO_MANY_LOOKUPS = _(
    "Too many tracking codes that do not exist were tried from your connection. Please wait "
    "an hour and try again."
)
TOO_MANY_WRONG_ANSWERS = _(
    "Too many wrong answers were given from your connection. Please wait an hour and try "
    "again, or call the secretariat."
)


def submission_refusal(request: HttpRequest) -> str | None:
    """Why this address may not submit now (a message for the person), or None."""
    lim = limits()
    if usage(request, CHECK).last_hour >= lim.check_failures_per_hour:
        return str(TOO_MANY_WRONG_ANSWERS)
    used = usage(request, SUBMIT)
    if used.last_hour >= lim.per_hour or used.last_day >= lim.per_day:
        return str(TOO_MANY_SUBMISSIONS)
    return None


def lookup_refusal(request: HttpRequest) -> str | None:
    if usage(request, TRACK).last_hour >= limits().track_failures_per_hour:
        return str(TOO_MANY_LOOKUPS)
    return None


# --- The check question ---------------------------------------------------------------------

NUMBER_WORDS = {
    0: _("zero"), 1: _("one"), 2: _("two"), 3: _("three"), 4: _("four"), 5: _("five"),
    6: _("six"), 7: _("seven"), 8: _("eight"), 9: _("nine"), 10: _("ten"),
}
PLUS = _("What is %(a)s plus %(b)s?")
MINUS = _("What is %(a)s minus %(b)s?")

WRONG_ANSWER = _("That is not the right answer. Please answer the new question below.")
TOO_FAST = _(
    "The form was sent too quickly after it was opened. Please check what you wrote, answer "
    "the question below and send it again."
)
EXPIRED = _("The form was open too long. Please answer the new question below and send it again.")
HONEYPOT = _("The form could not be accepted. Please try again.")


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _answer_digest(nonce: str, answer: int, address: str) -> str:
    return salted_hmac(_CHECK_SALT, f"{nonce}:{answer}:{address}", algorithm="sha256").hexdigest()


def new_challenge(request: HttpRequest, *, now: float | None = None) -> Challenge:
    """A question with a one-digit sum or difference, and its signed token: the time it was
    asked and the HMAC of the answer (never the answer itself: a signed value can be read)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    if secrets.randbelow(2) and a != b:
        a, b = max(a, b), min(a, b)
        text, answer = MINUS, a - b
    elif a + b <= 10:
        text, answer = PLUS, a + b
    else:
        a, b = a % 5 + 1, b % 5 + 1
        text, answer = PLUS, a + b
    question = str(text) % {"a": NUMBER_WORDS[a], "b": NUMBER_WORDS[b]}
    return Challenge(question=question, token=sign_answer(request, answer, asked=now))


def sign_answer(request: HttpRequest, answer: int, *, asked: float | None = None) -> str:
    """The token of a question whose answer is `answer`, asked at `asked` (default: now)."""
    nonce = secrets.token_hex(8)
    return signing.dumps({"n": nonce, "t": int(asked if asked is not None else time.time()),
                          "h": _answer_digest(nonce, answer, address_hash(request, CHECK))},
                         salt=_CHECK_SALT)


def parse_answer(text: str) -> int | None:
    """What the person typed: Persian, Arabic-Indic or Latin digits, or the number in words."""
    value = to_latin_digits(strip_invisible(text or "")).strip()
    if value.isascii() and value.isdigit() and len(value) <= 3:
        return int(value)
    for number, word in NUMBER_WORDS.items():
        if value and value.replace(" ", "") in {str(word).replace(" ", ""),
                                                  str(word).replace(" ", "").replace("\u200c", "")}:
            return number
    return None


def check_answer(request: HttpRequest, token: str, answer: str, *,
                 now: float | None = None) -> str | None:
    """None when `answer` answers the question of `token` in time; else why not (a message)."""
    lim = limits()
    try:
        payload = signing.loads(token or "", salt=_CHECK_SALT)
        nonce, asked, digest = str(payload["n"]), int(payload["t"]), str(payload["h"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return str(EXPIRED)
    elapsed = (now if now is not None else time.time()) - asked
    if elapsed > lim.max_age:
        return str(EXPIRED)
    number = parse_answer(answer)
    expected = _answer_digest(nonce, number, address_hash(request, CHECK)) if number is not None \
        else ""
    if not expected or not constant_time_compare(expected, digest):
        return str(WRONG_ANSWER)
    if elapsed < lim.min_seconds:
        return str(TOO_FAST)
    return None


def request_too_large(request: HttpRequest) -> bool:
    """Whether the request's declared size is over the form's limit (checked before Django
    reads the body)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > limits().request_max_bytes
