"""Every change to agencies, people and roles goes through these functions.

Each one runs in a transaction and records an audit event. Callers check permissions first
(see permissions.py); these functions enforce the data rules.
"""

from typing import Any

from django.db import transaction

from jahesh.audit.services import record, snapshot
from jahesh.core.persian import fold, normalize_text
from jahesh.core.stale import StaleEdit
from jahesh.organisation.models import (
    AGENCY_ROLES,
    Agency,
    Person,
    Province,
    Role,
    Sector,
)

AGENCY_AUDITED = ["code", "name", "category", "sector", "parent", "is_active"]
PERSON_AUDITED = [
    "username", "first_name", "last_name", "email", "job_title", "phone", "is_active", "province",
]



def _agency_search_text(agency: Agency) -> str:
    return fold(f"{agency.name} {agency.code}")


def _person_search_text(person: Person) -> str:
    return fold(f"{person.first_name} {person.last_name} {person.username} {person.job_title}")


@transaction.atomic
def agency_create(
    *,
    acting_user: Any,
    province: Province,
    code: str,
    name: str,
    category: str,
    sector: Sector | None = None,
    parent: Agency | None = None,
) -> Agency:
    agency = Agency(
        province=province,
        code=code.strip().lower(),
        name=normalize_text(name),
        category=category,
        sector=sector,
        parent=parent,
    )
    agency.search_text = _agency_search_text(agency)
    agency.full_clean()
    agency.save()
    record(event="agency.created", target=agency, actor=acting_user, province=province,
           after=snapshot(agency, AGENCY_AUDITED))
    return agency


@transaction.atomic
def agency_update(
    *, agency: Agency, acting_user: Any, expected_version: int | None = None, **changes: Any
) -> Agency:
    """Change the given fields. `expected_version` is the version the editor saw."""
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit
    before = snapshot(locked, AGENCY_AUDITED)
    for name, value in changes.items():
        if name not in AGENCY_AUDITED:
            raise ValueError(f"agency field {name!r} cannot be changed here")
        if name == "name":
            value = normalize_text(value)
        elif name == "code":
            value = value.strip().lower()
        setattr(locked, name, value)
    after = snapshot(locked, AGENCY_AUDITED)
    if after == before:
        return locked
    locked.search_text = _agency_search_text(locked)
    locked.version += 1
    locked.full_clean()
    locked.save()
    record(event="agency.changed", target=locked, actor=acting_user, province=locked.province,
           before=before, after=after)
    return locked


def agency_set_active(*, agency: Agency, acting_user: Any, active: bool) -> Agency:
    return agency_update(agency=agency, acting_user=acting_user, is_active=active)


@transaction.atomic
def person_create(
    *,
    acting_user: Any,
    province: Province | None,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
    phone: str = "",
    password_hash: str | None = None,
) -> Person:
    """Create a login. `password_hash` lets bulk loaders reuse one already-hashed password."""
    person = Person(
        province=province,
        username=username.strip(),
        first_name=normalize_text(first_name),
        last_name=normalize_text(last_name),
        email=email.strip(),
        job_title=normalize_text(job_title),
        phone=phone.strip(),
    )
    if password_hash is not None:
        person.password = password_hash
    elif password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.search_text = _person_search_text(person)
    person.full_clean()
    person.save()
    record(event="person.created", target=person, actor=acting_user, province=province,
           after=snapshot(person, PERSON_AUDITED))
    return person


@transaction.atomic
def person_update(
    *, person: Person, acting_user: Any, expected_version: int | None = None, **changes: Any
) -> Person:
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit
    before = snapshot(locked, PERSON_AUDITED)
    for name, value in changes.items():
        if name not in PERSON_AUDITED:
            raise ValueError(f"person field {name!r} cannot be changed here")
        if name in {"first_name", "last_name", "job_title"}:
            value = normalize_text(value)
        setattr(locked, name, value)
    after = snapshot(locked, PERSON_AUDITED)
    if after == before:
        return locked
    locked.search_text = _person_search_text(locked)
    locked.version += 1
    locked.full_clean()
    locked.save()
    record(event="person.changed", target=locked, actor=acting_user, province=locked.province,
           before=before, after=after)
    return locked


def person_set_active(*, person: Person, acting_user: Any, active: bool) -> Person:
    return person_update(person=person, acting_user=acting_user, is_active=active)


@transaction.atomic
def person_set_password(*, person: Person, acting_user: Any, password: str) -> Person:
    """Set a new password (a reset by the secretariat, or one's own change)."""
    person.set_password(password)
    person.version += 1
    person.save(update_fields=["password", "version"])
    # The audit trail says that it changed, never what it is.
    record(event="person.password_set", target=person, actor=acting_user,
           province=person.province)
    return person


@transaction.atomic
def role_grant(
    *, person: Person, kind: str, province: Province, acting_user: Any, agency: Agency | None = None
) -> Role:
    if kind in AGENCY_ROLES and agency is not None and agency.province_id != province.pk:
        raise ValueError("the agency belongs to another province")
    existing = Role.objects.filter(person=person, kind=kind, province=province, agency=agency).first()
    if existing is not None:
        return existing
    role = Role(person=person, kind=kind, province=province, agency=agency)
    role.full_clean()
    role.save()
    record(event="role.granted", target=person, actor=acting_user, province=province,
           after={"kind": kind, "agency": agency.pk if agency else None})
    return role


@transaction.atomic
def role_revoke(*, role: Role, acting_user: Any) -> None:
    before = {"kind": role.kind, "agency": role.agency_id}
    person, province = role.person, role.province
    role.delete()
    record(event="role.revoked", target=person, actor=acting_user, province=province,
           before=before)




@transaction.atomic
def province_create(
    *, acting_user: Any, code: str, name: str, hq_name: str, secretariat_name: str,
    current_year: int, council_name: str = "", slogan: str = "",
) -> Province:
    province = Province(
        code=code, name=normalize_text(name), hq_name=normalize_text(hq_name),
        secretariat_name=normalize_text(secretariat_name), council_name=normalize_text(council_name),
        current_year=current_year, slogan=normalize_text(slogan),
    )
    province.full_clean()
    province.save()
    record(event="province.created", target=province, actor=acting_user, province=province,
           after=snapshot(province, ["code", "name", "hq_name", "current_year"]))
    return province


@transaction.atomic
def sector_create(*, acting_user: Any, province: Province, code: str, name: str) -> Sector:
    sector = Sector(province=province, code=code, name=normalize_text(name))
    sector.full_clean()
    sector.save()
    record(event="sector.created", target=sector, actor=acting_user, province=province,
           after=snapshot(sector, ["code", "name"]))
    return sector
