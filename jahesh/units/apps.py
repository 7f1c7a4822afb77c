from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "jahesh.units"
    label = "units"
    verbose_name = _("Production units")

    def ready(self) -> None:
        from jahesh.imports.importer import register
        from jahesh.units.importing import UnitsImporter

        register(UnitsImporter)
