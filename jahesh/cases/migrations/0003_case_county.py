# Where a case's problem is. Cases opened before it take their unit's county, else their
# project's.

import django.db.models.deletion
from django.db import migrations, models


def counties_from_units_and_projects(apps, schema_editor):  # type: ignore[no-untyped-def]
    Case = apps.get_model("cases", "Case")
    ProductionUnit = apps.get_model("units", "ProductionUnit")
    Project = apps.get_model("plan", "Project")
    Case.objects.filter(county__isnull=True, unit__county__isnull=False).update(
        county=models.Subquery(ProductionUnit.objects.filter(
            pk=models.OuterRef("unit_id")).values("county_id")[:1]))
    Case.objects.filter(county__isnull=True, project__county__isnull=False).update(
        county=models.Subquery(Project.objects.filter(
            pk=models.OuterRef("project_id")).values("county_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_case_category_recent_index'),
        ('plan', '0003_indicator_measure_project_weight'),
        ('units', '0001_production_units'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='county',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='plan.county', verbose_name='county'),
        ),
        migrations.RunPython(counties_from_units_and_projects, migrations.RunPython.noop),
    ]
