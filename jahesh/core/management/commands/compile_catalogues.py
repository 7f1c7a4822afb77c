from typing import Any

from django.core.management.base import BaseCommand

from jahesh.core.catalogues import compile_all


class Command(BaseCommand):
    help = "Compile the fa and en message catalogues (.po to .mo), without GNU gettext."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--fill-english", action="store_true",
                            help="First give every untranslated English entry its own text.")

    def handle(self, *args: Any, **options: Any) -> None:
        for path in compile_all(fill_en=options["fill_english"]):
            self.stdout.write(f"compiled {path}")
