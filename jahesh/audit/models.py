"""The append-only audit trail: who changed what, when, from where, and the values before and after."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditTrailIsAppendOnly(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    # The application never rewrites history; only a database administrator could.
    def update(self, **kwargs: Any) -> int:
        raise AuditTrailIsAppendOnly("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("audit events cannot be deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    province = models.ForeignKey(
        "organisation.Province", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("province"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("by"),
    )
    actor_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    event = models.CharField(_("event"), max_length=60)
    target_type = models.CharField(_("object type"), max_length=60)
    target_id = models.CharField(max_length=40)
    target_repr = models.CharField(_("object"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            # The secretariat's audit page: WHERE province_id = ? ORDER BY at DESC.
            models.Index(fields=["province", "-at"], name="audit_province_at_idx"),
            # "History of this object": WHERE target_type = ? AND target_id = ?.
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.target_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditTrailIsAppendOnly("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("audit events cannot be deleted")

    @property
    def event_label(self) -> str:
        from jahesh.audit.forms import EVENT_LABELS

        return str(EVENT_LABELS.get(self.event, self.event))

    @property
    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field that differs."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
