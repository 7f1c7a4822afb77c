"""Message catalogues: compiled with polib (no GNU gettext needed to install) and checked complete."""

from pathlib import Path

import polib
from django.conf import settings


def catalogue_files() -> list[Path]:
    files: list[Path] = []
    for locale_dir in settings.LOCALE_PATHS:
        files.extend(sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")))
    return files


def fill_english(path: Path) -> int:
    """The source strings are English: the `en` catalogue translates each to itself."""
    po = polib.pofile(str(path))
    filled = 0
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()) or "fuzzy" in entry.flags:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                filled += 1
        elif not entry.msgstr or "fuzzy" in entry.flags:
            entry.msgstr = entry.msgid
            filled += 1
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    return filled


def compile_all(*, fill_en: bool = False) -> list[Path]:
    written = []
    for path in catalogue_files():
        if fill_en and path.parts[-3] == "en":
            fill_english(path)
        po = polib.pofile(str(path))
        target = path.with_suffix(".mo")
        po.save_as_mofile(str(target))
        written.append(target)
    return written


def problems() -> list[str]:
    """Every untranslated or fuzzy entry, as 'file: msgid'."""
    found: list[str] = []
    for path in catalogue_files():
        po = polib.pofile(str(path))
        for entry in po.untranslated_entries():
            found.append(f"{path}: untranslated: {entry.msgid!r}")
        for entry in po.fuzzy_entries():
            found.append(f"{path}: fuzzy: {entry.msgid!r}")
    return found
