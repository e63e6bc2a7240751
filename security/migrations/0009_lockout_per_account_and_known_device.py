import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("security", "0008_session_devices_from_the_vocabulary"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Rows counted under the typed address; the lockout's 15-minute window forgets them soon.
        migrations.RenameField(model_name="loginfailure", old_name="email", new_name="account"),
        migrations.AddField(
            model_name="loginfailure",
            name="device",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.CreateModel(
            name="LoginLockout",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("started_at", models.DateTimeField()),
                ("until", models.DateTimeField()),
                ("failures", models.PositiveIntegerField(default=0)),
                ("refused", models.PositiveIntegerField(default=0)),
                ("notified_at", models.DateTimeField(blank=True, null=True)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="login_lockout",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
