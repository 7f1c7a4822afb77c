# Jobs of the production units import (the shared import mechanism, jahesh/imports/).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('macrotable', '0001_macro_jobs'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='macrojob',
            options={'ordering': ['-created_at', '-id'], 'verbose_name': 'background job', 'verbose_name_plural': 'background jobs'},
        ),
        migrations.RemoveConstraint(
            model_name='macrojob',
            name='macrojob_kind_valid',
        ),
        migrations.AlterField(
            model_name='macrojob',
            name='kind',
            field=models.CharField(choices=[('export_xlsx', 'Excel export'), ('export_pdf', 'PDF export'), ('import', 'Excel import'), ('import_units', 'Production units import')], max_length=20, verbose_name='kind'),
        ),
        migrations.AddConstraint(
            model_name='macrojob',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['export_xlsx', 'export_pdf', 'import', 'import_units'])), name='macrojob_kind_valid'),
        ),
    ]
