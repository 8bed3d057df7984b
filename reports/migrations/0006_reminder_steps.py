"""Reminders escalate through steps kept as data (ReminderStep), and a reminder is sent once per
division, quarter and step. The default steps:

1. the reporting division itself, 7 days before the deadline: a week to gather its figures (a
   collecting level needs it to approve the reports below it first);
2. the division again, 3 days after the deadline: late but still open (a quarter locks
   QUARTERLY_LOCK_DAYS, 7, after its deadline), so it can still submit without asking anyone;
3. the office of the level above, 7 days after the deadline, the day the quarter locks: it follows
   up, marks "nothing to report" or grants a lock exception (for a province: the IMCS Office);
4. the IMCS Office, 14 days after the deadline: a week after the lock, whatever is still missing.

The reminders already sent (to provinces, before and after the deadline) become the first two
steps' rows of the province's division, so nobody is reminded again. The old columns go in 0007.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

DEFAULT_STEPS = [(1, -7, "division"), (2, 3, "division"), (3, 7, "level_above"), (4, 14, "office")]


def seed_steps(apps, schema_editor):
    ReminderStep = apps.get_model("reports", "ReminderStep")
    for order, days, recipient in DEFAULT_STEPS:
        ReminderStep.objects.get_or_create(order=order, defaults={"days": days, "recipient": recipient})


def carry_over_sent(apps, schema_editor):
    ReminderStep = apps.get_model("reports", "ReminderStep")
    ReportReminder = apps.get_model("reports", "ReportReminder")
    Division = apps.get_model("agencies", "Division")
    steps = {"before": ReminderStep.objects.get(order=1), "after": ReminderStep.objects.get(order=2)}
    divisions = dict(Division.objects.filter(level="province").values_list("code", "pk"))
    for reminder in ReportReminder.objects.select_related("province"):
        reminder.division_id = divisions[reminder.province.code]
        reminder.step = steps[reminder.kind]
        reminder.save(update_fields=["division", "step"])


class Migration(migrations.Migration):
    dependencies = [("agencies", "0009_reporting_officer_role"), ("reports", "0005_report_division_required")]

    operations = [
        migrations.CreateModel(
            name="ReminderStep",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(unique=True, verbose_name="order")),
                (
                    "days",
                    models.SmallIntegerField(
                        help_text="Negative: before the deadline (-7 is a week before it).",
                        validators=[
                            django.core.validators.MinValueValidator(-90),
                            django.core.validators.MaxValueValidator(180),
                        ],
                        verbose_name="days after the deadline",
                    ),
                ),
                (
                    "recipient",
                    models.CharField(
                        choices=[
                            ("division", "The reporting division itself"),
                            ("level_above", "The office of the level above"),
                            ("office", "The IMCS Office"),
                        ],
                        max_length=12,
                        verbose_name="recipient",
                    ),
                ),
                ("active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "reminder step",
                "verbose_name_plural": "reminder steps",
                "ordering": ["order"],
            },
        ),
        migrations.RunPython(seed_steps, migrations.RunPython.noop),
        migrations.AddField(
            model_name="reportreminder",
            name="division",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.division",
                verbose_name="reporting division",
            ),
        ),
        migrations.AddField(
            model_name="reportreminder",
            name="step",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reminders",
                to="reports.reminderstep",
                verbose_name="step",
            ),
        ),
        migrations.RunPython(carry_over_sent, migrations.RunPython.noop),
    ]
