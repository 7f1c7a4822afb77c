from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "jahesh.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation and ranking")

    def ready(self) -> None:
        # The scorecard's parts for cases and for resolutions (each registers itself with
        # scorecard.register).
        from jahesh.evaluation import case_score, resolution_score  # noqa: F401
