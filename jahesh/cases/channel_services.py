"""Writes made by the channels through which cases arrive: the public form (no login), the
chamber working group's demands, and (from jahesh/visits/services.py) industry-day visits.

Each is all or nothing: the case, its attachments (files on disk included) and, for the public
form, the record of the submission that the rate limit counts. If anything fails, the
transaction rolls back and the files already written are deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jahesh.cases.models import (
    Case,
    CaseAttachment,
    CaseKind,
    Category,
    Channel,
    NoteVisibility,
    PublicSubmission,
)
from jahesh.cases.services import attachment_add, case_open
from jahesh.core.persian import localize_digits
from jahesh.core.uploads import MAX_UPLOAD_BYTES, check_upload
from jahesh.organisation.models import Province, Sector
from jahesh.units.models import ProductionUnit


@contextmanager
def files_kept_only_on_success() -> Iterator[Callable[..., CaseAttachment]]:
    """A transaction in which `attach(case, upload, …)` stores files (through
    cases.services.attachment_add); if the transaction rolls back, the files are deleted too."""
    written: list[str] = []
    storage = CaseAttachment._meta.get_field("file").storage

    def attach(case: Case, upload: Any, *, visibility: str, acting_user: Any = None,
               max_bytes: int = MAX_UPLOAD_BYTES) -> CaseAttachment:
        check_upload(upload, max_bytes=max_bytes)
        attachment = attachment_add(case=case, upload=upload, visibility=visibility,
                                    acting_user=acting_user)
        written.append(attachment.file.name)
        return attachment

    try:
        with transaction.atomic():
            yield attach
    except BaseException:
        for name in written:
            storage.delete(name)
        raise


def _details(*, description: str, unit_name: str, national_id: str, contact_name: str) -> str:
    """The description, with what the form asked that a case has no field for."""
    lines = [description, "", f"{_('Production unit')}: {unit_name}"]
    if national_id:
        lines.append(f"{_('National business id')}: {localize_digits(national_id)}")
    lines.append(f"{_('Contact person')}: {contact_name}")
    return "\n".join(lines)


def public_case_submit(
    *,
    province: Province,
    category: Category,
    unit_name: str,
    national_id: str,
    contact_name: str,
    contact_phone: str,
    county: Any,
    title: str,
    description: str,
    uploads: list[Any],
    address_hash: str,
    max_file_bytes: int,
) -> Case:
    """Open the case (channel public form, state new, no acting user), attach the files as
    public (the requester sees what they sent) and count the submission."""
    with files_kept_only_on_success() as attach:
        unit = (ProductionUnit.objects.filter(province=province, national_id=national_id)
                .first() if national_id else None)
        case = case_open(
            province=province, kind=CaseKind.OBSTACLE, channel=Channel.PUBLIC_FORM,
            category=category, title=title,
            description=_details(description=description, unit_name=unit_name,
                                 national_id=national_id, contact_name=contact_name),
            unit=unit, county=county, requester_name=f"{unit_name} ({contact_name})"[:200],
            requester_phone=contact_phone, acting_user=None,
        )
        for upload in uploads:
            attach(case, upload, visibility=NoteVisibility.PUBLIC, max_bytes=max_file_bytes)
        PublicSubmission.objects.create(address_hash=address_hash, case=case)
    return case


def demand_submit(*, province: Province, sector: Sector, category: Category, title: str,
                  description: str, acting_user: Any, unit: ProductionUnit | None = None,
                  attachment: Any = None) -> Case:
    """A chamber working group member's demand for a sector (kind demand, channel chamber),
    waiting for the secretariat's triage; its attachment is public (the member sees it)."""
    if sector.province_id != province.pk:
        raise ValidationError({"sector": _("This sector is not of the province.")})
    if unit is not None and unit.province_id != province.pk:
        raise ValidationError({"unit": _("This unit is not of the province.")})
    with files_kept_only_on_success() as attach:
        case = case_open(
            province=province, kind=CaseKind.DEMAND, channel=Channel.CHAMBER,
            category=category, title=title, description=description, sector=sector, unit=unit,
            requester_name=acting_user.get_full_name() or acting_user.username,
            requester_phone=acting_user.phone, requester_email=acting_user.email,
            acting_user=acting_user,
        )
        if attachment is not None:
            attach(case, attachment, visibility=NoteVisibility.PUBLIC, acting_user=acting_user)
    return case
