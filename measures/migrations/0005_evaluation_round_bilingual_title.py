"""Evaluation rounds get a title in both languages: ``title`` becomes ``title_zh``, and
``title_en`` is added. The demo's two rounds get their English titles; any other existing round
keeps an empty one and reads in Chinese until the Office gives it one."""

from django.db import migrations, models

# The rounds the demo data opens (measures/demo.py), by their Chinese title.
KNOWN_TITLES = {
    "中期评估（2010年）": "Mid-term evaluation (2010)",
    "终期评估（2012年）": "Final evaluation (2012)",
}


def fill_english_titles(apps, schema_editor):
    EvaluationRound = apps.get_model("measures", "EvaluationRound")
    for title_zh, title_en in KNOWN_TITLES.items():
        EvaluationRound.objects.filter(title_zh=title_zh, title_en="").update(title_en=title_en)


class Migration(migrations.Migration):
    dependencies = [("measures", "0004_evaluation")]

    operations = [
        migrations.RemoveConstraint(model_name="evaluationround", name="evaluation_round_unique_title"),
        migrations.RenameField(model_name="evaluationround", old_name="title", new_name="title_zh"),
        migrations.AlterField(
            model_name="evaluationround",
            name="title_zh",
            field=models.CharField(max_length=200, verbose_name="title (Chinese)"),
        ),
        migrations.AddField(
            model_name="evaluationround",
            name="title_en",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="title (English)"),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="evaluationround",
            constraint=models.UniqueConstraint(
                fields=("plan", "kind", "title_zh"), name="evaluation_round_unique_title"
            ),
        ),
        migrations.RunPython(fill_english_titles, migrations.RunPython.noop),
    ]
