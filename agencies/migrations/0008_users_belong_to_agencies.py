# The user's unit and province are their agency's now (agencies/0007 copied them), and a plan's lead
# unit is its membership's (measures/0006 copied it).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0007_organisation_agencies_divisions'),
        ('measures', '0006_planmembership_unitchange'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='memberunit',
            name='one_lead_unit',
        ),
        migrations.RemoveConstraint(
            model_name='user',
            name='unit_role_has_unit',
        ),
        migrations.RemoveConstraint(
            model_name='user',
            name='province_role_has_province',
        ),
        migrations.RemoveField(
            model_name='memberunit',
            name='is_lead',
        ),
        migrations.RemoveField(
            model_name='user',
            name='province',
        ),
        migrations.RemoveField(
            model_name='user',
            name='unit',
        ),
        migrations.AlterField(
            model_name='user',
            name='agency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='users', to='agencies.agency', verbose_name='agency'),
        ),
    ]
