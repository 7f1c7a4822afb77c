from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jahesh.core.catalogues import catalogue_files, problems


class Command(BaseCommand):
    help = "Fail when a message catalogue has an untranslated or fuzzy entry."

    def handle(self, *args: Any, **options: Any) -> None:
        files = catalogue_files()
        if not files:
            raise CommandError("No message catalogue found.")
        found = problems()
        if found:
            for line in found:
                self.stderr.write(line)
            raise CommandError(f"{len(found)} catalogue entries need a translation.")
        self.stdout.write(f"{len(files)} catalogues, every entry translated.")
