"""The address of the request being served, for audit events written deep inside services."""

from contextvars import ContextVar

current_address: ContextVar[str | None] = ContextVar("jahesh_audit_address", default=None)
