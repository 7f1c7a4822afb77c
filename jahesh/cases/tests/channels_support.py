"""Shared set-up for the tests of the channels (public form, chamber, visits): categories,
units and small valid files."""

from __future__ import annotations

import io
import time
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from jahesh.cases import antiabuse
from jahesh.cases.models import Category
from jahesh.organisation.models import Agency, Province
from jahesh.units.models import ProductionUnit
from jahesh.units.validators import check_digit

REMOTE_ADDR = "127.0.0.1"


def category(province: Province, code: str = "utilities", name: str = "آب، برق و گاز",
             agency_code: str | None = "power") -> Category:
    """The province's category `code` (the demo has the default ones), made if missing."""
    existing = Category.objects.filter(province=province, code=code).first()
    if existing is not None:
        return existing
    agency = (Agency.objects.get(province=province, code=agency_code)
              if agency_code else None)
    return Category.objects.create(province=province, code=code, name=name,
                                   default_agency=agency, response_days=3, resolution_days=20)


def national_id(first_ten: str = "1086000012") -> str:
    return first_ten + str(check_digit(first_ten))


def unit(province: Province, name: str = "کارخانه فولاد آذر", nid: str = "") -> ProductionUnit:
    """A production unit registered through the units' service (search text and all)."""
    from jahesh.units.services import unit_save

    return unit_save(acting_user=None, province=province, name=name, national_id=nid)


def pdf(name: str = "letter.pdf", size: int = 2_000) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n" + b"0" * max(0, size - 9)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\0" * 200, content_type="image/png")


def fake_request(addr: str = REMOTE_ADDR) -> Any:
    return RequestFactory().get("/", REMOTE_ADDR=addr)


def solved_check(answer: int = 7, *, seconds_ago: float = 30, addr: str = REMOTE_ADDR
                 ) -> dict[str, str]:
    """The check fields of a form answered correctly, `seconds_ago` after it was shown."""
    token = antiabuse.sign_answer(fake_request(addr), answer, asked=time.time() - seconds_ago)
    return {"check": token, "answer": "۷" if answer == 7 else str(answer)}


def files_under(root: Any) -> list[str]:
    import os

    return [os.path.join(d, f) for d, _, names in os.walk(root) for f in names]


def text_file(name: str = "notes.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, io.BytesIO(b"hello").read(), content_type="text/plain")


class Baseline:
    """What the demo already holds when a test starts: the test looks at what it adds."""

    def __init__(self) -> None:
        from django.db.models import Max

        from jahesh.cases.models import Case, CaseAttachment, PublicSubmission

        self.case = Case.objects.aggregate(n=Max("id"))["n"] or 0
        self.attachment = CaseAttachment.objects.aggregate(n=Max("id"))["n"] or 0
        self.submission = PublicSubmission.objects.aggregate(n=Max("id"))["n"] or 0

    def cases(self) -> Any:
        from jahesh.cases.models import Case

        return Case.objects.filter(pk__gt=self.case)

    def attachments(self) -> Any:
        from jahesh.cases.models import CaseAttachment

        return CaseAttachment.objects.filter(pk__gt=self.attachment)

    def submissions(self) -> Any:
        from jahesh.cases.models import PublicSubmission

        return PublicSubmission.objects.filter(pk__gt=self.submission)


# --- A phone in headless Chromium, for the channels' browser tests ------------------------------

def phone_fixture(chromium: Any, live_server: Any) -> Any:
    """A phone-sized browser tab (390 × 844, touch) watched like core's journeys: console
    errors, CSP violations, failed and foreign requests. The demo province is loaded first
    (live_server flushes the database after each test)."""
    from jahesh.core.tests.test_browser import CSP_LISTENER, Watch
    from jahesh.demo.loader import load_demo_province

    load_demo_province()
    context = chromium.new_context(
        locale="fa-IR", timezone_id="Asia/Tehran", viewport={"width": 390, "height": 844},
        device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    watch = Watch(origin=live_server.url.rstrip("/"))
    context.expose_binding("jhReportViolation",
                           lambda _source, text: watch.csp_violations.append(text))
    context.add_init_script(CSP_LISTENER)
    tab = context.new_page()
    tab.on("console", watch.on_console)
    tab.on("pageerror", lambda error: watch.console_errors.append(f"uncaught: {error}"))
    tab.on("request", watch.on_request)
    tab.on("response", watch.on_response)
    try:
        yield tab, watch
    finally:
        context.close()


def answer_of(question: str) -> int:
    """The answer to the public form's check question, in Persian or English words (or a
    mix: Django's own catalogue translates "one" to "nine")."""
    from django.utils import translation

    from jahesh.core.persian import fold

    text = fold(question.rstrip(" *"))
    words: dict[str, int] = {}
    templates: list[tuple[str, int]] = []
    for lang in ("fa", "en"):
        with translation.override(lang):
            words.update({fold(str(w)): n for n, w in antiabuse.NUMBER_WORDS.items()})
            templates += [(fold(str(antiabuse.PLUS) % {"a": "\x01", "b": "\x02"}), 1),
                          (fold(str(antiabuse.MINUS) % {"a": "\x01", "b": "\x02"}), -1)]
    for template, sign in templates:
        head, _, rest = template.partition("\x01")
        middle, _, tail = rest.partition("\x02")
        if text.startswith(head) and text.endswith(tail) and middle in text:
            a, _, b = text[len(head):len(text) - len(tail)].partition(middle)
            if a in words and b in words:
                return words[a] + sign * words[b]
    raise AssertionError(f"cannot read the question {question!r}")
