from django.db import migrations, models
from stdnum.cn import ric


def kind_of_existing_numbers(apps, schema_editor):
    """Files opened before the kind was asked: a number that is a valid resident identity card
    number is one; any other number is recorded as another document (never refused later)."""
    CaseFile = apps.get_model("cases", "CaseFile")
    for case in CaseFile.objects.exclude(id_number=""):
        if not ric.is_valid(case.id_number):
            CaseFile.objects.filter(pk=case.pk).update(id_document_kind="other")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="casefile",
            name="id_document_kind",
            field=models.CharField(
                choices=[
                    ("resident_id", "Resident identity card"),
                    ("passport", "Passport"),
                    ("other", "Other document"),
                ],
                default="resident_id",
                max_length=20,
                verbose_name="kind of identity document",
            ),
        ),
        migrations.RunPython(kind_of_existing_numbers, migrations.RunPython.noop),
    ]
