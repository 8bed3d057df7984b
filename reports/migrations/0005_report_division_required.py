"""Every report has its division (filled in 0004, committed before the column becomes required:
PostgreSQL refuses to alter a table with pending deferred checks in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_reporting_chain")]

    operations = [
        migrations.AlterField(
            model_name="quarterlyreport",
            name="division",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.division",
                verbose_name="reporting division",
            ),
        ),
    ]
