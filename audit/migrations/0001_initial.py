# Takes over the security log's table from the security app (security/0004), keeping every row.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep permissions granted on the log (the Support group's view_securityevent) with it."""
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='audit', model='securityevent').exists():
        ContentType.objects.filter(app_label='security', model='securityevent').update(app_label='audit')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_two_step_throttle'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('security', '0004_security_log_moves_to_audit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SecurityEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(db_index=True, max_length=64)),
                        ('ip', models.GenericIPAddressField(blank=True, null=True)),
                        ('user_agent', models.CharField(blank=True, max_length=300)),
                        ('created', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('details', models.JSONField(blank=True, default=dict)),
                        ('shop', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='security_events', to='accounts.shop')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='security_events', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['-created', '-id'],
                        'indexes': [models.Index(fields=['user', '-created'], name='security_se_user_id_20cdf4_idx'), models.Index(fields=['shop', '-created'], name='security_se_shop_id_7e4bf7_idx')],
                        'db_table': 'security_securityevent',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='securityevent', table=None),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
