# Events keep who they were about: no database constraint or SET_NULL ties them to the user and shop
# rows any more, and each row keeps the person's e-mail address (filled in here for existing rows).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def snapshot_emails(apps, schema_editor):
    SecurityEvent = apps.get_model('audit', 'SecurityEvent')
    User = apps.get_model(settings.AUTH_USER_MODEL)
    email = User.objects.filter(pk=OuterRef('user_id')).values('email')[:1]
    SecurityEvent.objects.filter(user_id__isnull=False).update(user_email=Coalesce(Subquery(email), Value('')))


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='securityevent',
            name='user_email',
            field=models.CharField(blank=True, max_length=254),
        ),
        migrations.AlterField(
            model_name='securityevent',
            name='shop',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='security_events', to='accounts.shop'),
        ),
        migrations.AlterField(
            model_name='securityevent',
            name='user',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='security_events', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(snapshot_emails, migrations.RunPython.noop),
    ]
