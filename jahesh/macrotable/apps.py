from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MacrotableConfig(AppConfig):
    name = "jahesh.macrotable"
    label = "macrotable"
    verbose_name = _("Macro table")

    def ready(self) -> None:
        from jahesh.imports.importer import register
        from jahesh.macrotable.importing import MacroTableImporter

        register(MacroTableImporter)
