# Case files, referrals, services and follow-ups are held by agencies (the units' national offices
# keep the units' ids, agencies/0007), and a case names the county or city of rescue and of home.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0008_users_belong_to_agencies'),
        ('cases', '0002_casefile_id_document_kind'),
    ]

    operations = [
        migrations.AddField(
            model_name='casefile',
            name='home_division',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.division', verbose_name='home county or city'),
        ),
        migrations.AddField(
            model_name='casefile',
            name='rescue_division',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.division', verbose_name='rescued in (county or city)'),
        ),
        migrations.AlterField(
            model_name='assistanceservice',
            name='agency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency', verbose_name='agency'),
        ),
        migrations.AlterField(
            model_name='casefile',
            name='owner_agency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='case_files', to='agencies.agency', verbose_name='owning agency'),
        ),
        migrations.AlterField(
            model_name='casefile',
            name='rescuing_agency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency', verbose_name='rescuing agency'),
        ),
        migrations.AlterField(
            model_name='followup',
            name='agency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency', verbose_name='agency'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='from_agency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency', verbose_name='from'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='to_agency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency', verbose_name='to'),
        ),
    ]
