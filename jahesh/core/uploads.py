"""Uploaded files (evidence, case attachments): what is accepted, judged by content.

A file is accepted when its first bytes say it is a PDF, a PNG or JPEG image or an office
document, and its name's extension agrees; an .exe renamed .pdf is refused. The name the
person gave is cleaned and kept for the download; it is never used as a path.
"""

import os
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from jahesh.core.persian import format_number, normalize_text

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("application/pdf", (".pdf",))
PNG = FileKind("image/png", (".png",))
JPEG = FileKind("image/jpeg", (".jpg", ".jpeg"))
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                (".docx",))
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
ODT = FileKind("application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", (".ods",))
FILE_KINDS = (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS)
ALLOWED_EXTENSIONS = tuple(ext for kind in FILE_KINDS for ext in kind.extensions)

BAD_TYPE = gettext_lazy(
    "“%(name)s” is not accepted: evidence must be a PDF, a PNG or JPEG image, or a Word, Excel "
    "or OpenDocument file, and its content must be what its name says."
)
TOO_BIG = gettext_lazy("“%(name)s” is larger than %(limit)s MB, the limit for one file.")
EMPTY_FILE = gettext_lazy("“%(name)s” is empty.")


def _sniff_zip(stream: IO[bytes]) -> FileKind | None:
    """An office document is a zip archive: which one, from the names inside (never unpacked,
    except ODF's tiny `mimetype` entry)."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
                return None
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return {ODT.content_type: ODT, ODS.content_type: ODS}.get(mimetype)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return None
    return None


def sniff(stream: IO[bytes]) -> FileKind | None:
    """The kind of file `stream` holds, judged by its content (its first bytes), not its name."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            return _sniff_zip(stream)
        return None
    finally:
        stream.seek(0)


_UNSAFE_NAME_RE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def clean_file_name(name: str) -> str:
    """The uploaded name as it will be given back on download: no folders, no control or
    reserved characters, at most 200 characters (the extension kept)."""
    base = normalize_text(_UNSAFE_NAME_RE.sub(" ", os.path.basename(name.replace("\\", "/"))))
    base = base.strip(" .") or "evidence"
    stem, ext = os.path.splitext(base)
    return stem[: 200 - len(ext)] + ext if len(base) > 200 else base


def check_upload(upload: Any, *, max_bytes: int = MAX_UPLOAD_BYTES) -> FileKind:
    """The kind of an uploaded file; ValidationError (for the person) when its size, content
    or name is not accepted."""
    name = clean_file_name(getattr(upload, "name", "") or "")
    if upload.size > max_bytes:
        limit = format_number(round(max_bytes / (1024 * 1024), 1))
        raise ValidationError(TOO_BIG, code="too_big", params={"name": name, "limit": limit})
    if upload.size == 0:
        raise ValidationError(EMPTY_FILE, code="empty", params={"name": name})
    kind = sniff(upload)
    if kind is None or os.path.splitext(name)[1].lower() not in kind.extensions:
        raise ValidationError(BAD_TYPE, code="bad_type", params={"name": name})
    return kind
