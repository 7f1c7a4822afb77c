from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from jahesh.demo.data import DEMO_PASSWORD
from jahesh.demo.loader import demo_logins, load_demo_province
from jahesh.demo.meetings_loader import load_meetings
from jahesh.organisation.models import Person


class Command(BaseCommand):
    help = "Load the demo province (East Azerbaijan, 1403) if it is not there; print its logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-logins", action="store_true",
                            help="Do not print the list of demo logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo province and its known passwords are never loaded in "
                               "production (JAHESH_ENV=production).")
        province = load_demo_province()
        if province is None:
            self.stdout.write("The demo province is already loaded; nothing changed.")
        else:
            # The HQ's bodies, a closed meeting with its resolutions and a scheduled one. Not
            # part of load_demo_province: the tests' shared province has no bodies, so that
            # each meetings test builds the bodies it needs (jahesh/meetings/tests).
            load_meetings(province, Person.objects.get(username="secretariat"),
                          today=timezone.localdate())
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo province: {province.code}."))
        if options["quiet_logins"]:
            return
        with translation.override("en"):
            logins = demo_logins()
            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
            width = max(len(login.username) for login in logins) if logins else 10
            for login in logins:
                where = f" — {login.where}" if login.where else ""
                self.stdout.write(f"  {login.username.ljust(width)}  {login.role}{where}")
