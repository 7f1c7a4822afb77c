"""The evaluation's background tasks (django-tasks). `jahesh db_worker` runs them."""

from __future__ import annotations

import logging

from django_tasks import task

from jahesh.evaluation.scorecard import refresh_province
from jahesh.organisation.models import Province

logger = logging.getLogger(__name__)


@task()
def recompute_scorecards(province_id: int, year: int) -> int:
    """Every agency's scorecard of every scored month of `year`, with the current weights."""
    province = Province.objects.get(pk=province_id)
    stored = refresh_province(province=province, year=year)
    logger.info("recomputed %s scorecards of %s in %s", stored, province.code, year)
    return stored
