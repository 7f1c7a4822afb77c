"""Numbers that must never repeat: a body's meetings (its series) and its resolutions' serials
per Jalali year, also when two saves happen at the same moment."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection

from jahesh.demo.loader import load_demo_province
from jahesh.meetings import services
from jahesh.meetings.models import Meeting, Resolution
from jahesh.meetings.tests.test_services_support import agency, at, in_session, jalali
from jahesh.organisation.models import Person, Province


@pytest.mark.django_db
def test_serials_per_body_and_year(province):  # type: ignore[no-untyped-def]
    late = in_session(province, day="1403/12/25")
    first, second = late.issue(0), late.issue(1)
    services.resolution_cancel(resolution=second, reason="اشتباه", acting_user=late.secretariat)
    third = late.issue(0)
    # A cancelled resolution keeps its serial: the next one does not take it again.
    assert [r.serial for r in (first, second, third)] == [1, 2, 3]
    late.close()
    # The new year starts again at 1; the meeting series goes on (number 2).
    spring = in_session(province, day="1404/01/20", body=late.body)
    fresh = spring.issue(0)
    assert (fresh.year, fresh.serial, spring.meeting.number) == (1404, 1, 2)
    assert fresh.reference == "JT-1404-2-1/1"
    # Another body has its own serials.
    other = in_session(province, day="1403/12/26", code="TS", kind="facilitation", members=())
    assert other.issue(0).serial == 1


@pytest.mark.django_db
def test_a_lost_race_takes_the_next_serial(province, monkeypatch):  # type: ignore[no-untyped-def]
    """Two saves that read the same highest serial: the unique constraint refuses the second,
    which tries again (its savepoint rolled back) and takes the next one."""
    session = in_session(province)
    session.issue(0)
    real = services._issue
    calls = {"n": 0}

    def racing(**kwargs: Any) -> Resolution:
        calls["n"] += 1
        if calls["n"] == 1:
            # What a concurrent save that won the race leaves: serial 2 taken meanwhile.
            Resolution.objects.create(
                province=province, body=session.body, meeting=session.meeting,
                item=session.items[1], year=1403, serial=2, number_in_item=9, text="رقیب",
                responsible_agency=agency("imt"), deadline=jalali("1403/09/20"))
            # ...and this save, having read serial 1 as the highest, collides with it.
            raise IntegrityError("duplicate key value violates resolution_serial_unique")
        return real(**kwargs)

    monkeypatch.setattr(services, "_issue", racing)
    resolution = session.issue(1)
    assert calls["n"] == 2
    assert resolution.serial == 2  # the rival's row went with the rolled-back savepoint
    assert sorted(Resolution.objects.filter(body=session.body).values_list("serial", flat=True)) \
        == [1, 2]


@pytest.mark.django_db
def test_a_meeting_number_race_takes_the_next(province, monkeypatch):  # type: ignore[no-untyped-def]
    session = in_session(province)
    real_save = Meeting.save
    calls = {"n": 0}

    def racing(self: Meeting, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("force_insert") and calls["n"] == 0:
            calls["n"] += 1
            self.number = session.meeting.number  # read before the other one was saved
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(Meeting, "save", racing)
    second = services.meeting_create(body=session.body, starts_at=at("1403/09/01"),
                                     acting_user=session.secretariat)
    assert second.number == 2


def _together(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run `work(i)` in `count` threads released at the same moment, each on its own
    database connection."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results.append(work(index))
        except BaseException as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_never_share_a_number() -> None:
    """On PostgreSQL, threads with their own connections issue resolutions and create meetings
    for one body at the same moment: every serial and number is taken once."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises writes)")
    load_demo_province()  # a no-op unless an earlier transactional test emptied the database
    province = Province.objects.get(code="east-azerbaijan")
    session = in_session(province, items=4)
    secretariat = Person.objects.get(username="secretariat")
    items = session.items

    resolutions, errors = _together(6, lambda i: services.resolution_issue(
        item=items[i % 4], text=f"مصوبه {i}", responsible_agency=agency("agri"),
        deadline=jalali("1403/09/20"), acting_user=secretariat).pk)
    assert not errors, errors
    serials = list(Resolution.objects.filter(body=session.body).values_list("serial", flat=True))
    assert sorted(serials) == [1, 2, 3, 4, 5, 6]
    for item in items:
        numbers = sorted(item.resolutions.values_list("number_in_item", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))

    meetings, errors = _together(4, lambda i: services.meeting_create(
        body=session.body, starts_at=at("1403/09/01"), acting_user=secretariat).number)
    assert not errors, errors
    assert sorted(meetings) == [2, 3, 4, 5]
