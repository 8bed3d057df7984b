"""A reminder is unique per division, quarter and step (filled in 0006, committed before the
columns become required: PostgreSQL refuses to alter a table with pending deferred checks in the
same transaction); the province and kind columns go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_reminder_steps")]

    operations = [
        migrations.RemoveConstraint(model_name="reportreminder", name="one_reminder_of_a_kind"),
        migrations.RemoveField(model_name="reportreminder", name="kind"),
        migrations.RemoveField(model_name="reportreminder", name="province"),
        migrations.AlterField(
            model_name="reportreminder",
            name="division",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.division",
                verbose_name="reporting division",
            ),
        ),
        migrations.AlterField(
            model_name="reportreminder",
            name="step",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reminders",
                to="reports.reminderstep",
                verbose_name="step",
            ),
        ),
        migrations.AddConstraint(
            model_name="reportreminder",
            constraint=models.UniqueConstraint(
                fields=("division", "period", "step"), name="one_reminder_per_step"
            ),
        ),
    ]
