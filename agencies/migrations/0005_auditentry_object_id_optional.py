from django.db import migrations, models


class Migration(migrations.Migration):
    """An audit entry about no one record (a list shown, a refused lookup, a duplicate check)."""

    dependencies = [
        ("agencies", "0004_audit_two_factor"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="object_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="record"),
        ),
    ]
