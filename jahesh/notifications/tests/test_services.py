"""notify, the e-mail it queues, and marking read."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction

from jahesh.notifications import services, tasks
from jahesh.notifications.models import Notification, NotificationQuerySet
from jahesh.organisation import services as org

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(province):  # type: ignore[no-untyped-def]
    """A person of their own, so that nothing the demo data made is counted."""
    return org.person_create(acting_user=None, province=province, username="h3.alice",
                             password=None, email="alice@example.ir")


@pytest.fixture
def other(province):  # type: ignore[no-untyped-def]
    """Another person, without an e-mail address."""
    return org.person_create(acting_user=None, province=province, username="h3.bob",
                             password=None)


def make(recipient, *, key=None, email=True, **extra):  # type: ignore[no-untyped-def]
    return services.notify(recipient=recipient, kind="reminder", title="گزارش اسفند ۱۴۰۳",
                           body="متن یادآوری", url="/notifications/", key=key, email=email,
                           **extra)


def test_notify_makes_a_notification_and_emails_it_once_committed(  # type: ignore[no-untyped-def]
    reporter, province, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        made = make(reporter, province=province)
        assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 1
    assert made is not None and made.recipient == reporter and made.province == province
    assert made.read_at is None
    [message] = mail.outbox
    assert message.to == ["alice@example.ir"]
    assert message.subject == "گزارش اسفند ۱۴۰۳"
    assert "متن یادآوری" in message.body
    made.refresh_from_db()
    assert made.emailed_at is not None


def test_the_same_key_twice_makes_one_notification_and_one_email(  # type: ignore[no-untyped-def]
    reporter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = make(reporter, key="reminder:1:2:soon")
        second = make(reporter, key="reminder:1:2:soon")
    assert first is not None and second is None
    assert Notification.objects.filter(recipient=reporter).count() == 1
    assert len(mail.outbox) == 1


def test_the_same_key_for_another_person_is_another_notification(reporter, other):  # type: ignore[no-untyped-def]
    assert make(reporter, key="k") is not None
    assert make(other, key="k") is not None


def test_without_a_key_every_call_makes_one(reporter):  # type: ignore[no-untyped-def]
    make(reporter)
    make(reporter)
    assert Notification.objects.filter(recipient=reporter).count() == 2


def test_a_concurrent_duplicate_is_refused_by_the_database_and_the_transaction_goes_on(  # type: ignore[no-untyped-def]
    reporter, monkeypatch, django_capture_on_commit_callbacks
):
    # Both runs pass the "already there?" check at the same moment; the unique constraint
    # decides, inside a savepoint, so the caller's transaction is still usable.
    monkeypatch.setattr(NotificationQuerySet, "exists", lambda self: False)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            assert make(reporter, key="race") is not None
            assert make(reporter, key="race") is None
            assert Notification.objects.filter(recipient=reporter, key="race").count() == 1
    assert len(mail.outbox) == 1


def test_no_email_without_an_address_or_when_not_wanted(  # type: ignore[no-untyped-def]
    other, reporter, django_capture_on_commit_callbacks
):
    head = other
    assert head.email == ""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert make(head) is not None
        assert make(reporter, email=False) is not None
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient__in=[head, reporter],
                                       emailed_at__isnull=False).exists()


def test_a_rolled_back_change_sends_no_email(reporter, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            make(reporter)
            raise RuntimeError
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=reporter).exists()


def test_an_inactive_person_is_not_notified(reporter):  # type: ignore[no-untyped-def]
    reporter.is_active = False
    assert make(reporter, key="k") is None
    assert not Notification.objects.filter(recipient=reporter).exists()


def test_the_email_is_sent_at_most_once_and_links_to_the_site(reporter, settings):  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://jahesh.example.ir/"
    made = make(reporter, email=False)
    assert tasks.send_notification_email.call(made.pk) is True
    assert tasks.send_notification_email.call(made.pk) is False  # a retry, a second worker
    [message] = mail.outbox
    assert "https://jahesh.example.ir/notifications/" in message.body
    assert tasks.send_notification_email.call(987654321) is False


def test_a_failed_send_can_be_tried_again(reporter, monkeypatch):  # type: ignore[no-untyped-def]
    made = make(reporter, email=False)

    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise OSError("mail server down")

    monkeypatch.setattr(tasks, "send_mail", broken)
    with pytest.raises(OSError):
        tasks.send_notification_email.call(made.pk)
    made.refresh_from_db()
    assert made.emailed_at is None
    monkeypatch.undo()
    assert tasks.send_notification_email.call(made.pk) is True


def test_mark_read_is_for_the_recipient_only(reporter, other):  # type: ignore[no-untyped-def]
    made = make(reporter)
    with pytest.raises(PermissionDenied):
        services.mark_read(notification=made, acting_user=other)
    assert Notification.objects.get(pk=made.pk).read_at is None
    services.mark_read(notification=made, acting_user=reporter)
    first = Notification.objects.get(pk=made.pk).read_at
    assert first is not None
    services.mark_read(notification=made, acting_user=reporter)  # twice: nothing changes
    assert Notification.objects.get(pk=made.pk).read_at == first


def test_mark_all_read_touches_only_the_persons_own(reporter, other):  # type: ignore[no-untyped-def]
    head = other
    for _ in range(3):
        make(reporter)
    make(head)
    assert services.mark_all_read(acting_user=reporter) == 3
    assert services.mark_all_read(acting_user=reporter) == 0
    assert Notification.objects.filter(recipient=head).unread().count() == 1
