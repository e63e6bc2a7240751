# Sessions recorded before device names came from a fixed vocabulary named them after the raw
# User-Agent header: name them again from the header kept beside.

from django.db import migrations


def rename_devices(apps, schema_editor):
    from security.device_names import describe_device

    UserSession = apps.get_model("security", "UserSession")
    for row in UserSession.objects.only("pk", "user_agent", "device").iterator():
        name = describe_device(row.user_agent)
        if name != row.device:
            UserSession.objects.filter(pk=row.pk).update(device=name)


class Migration(migrations.Migration):

    dependencies = [
        ("security", "0007_password_verdict"),
    ]

    operations = [
        migrations.RunPython(rename_devices, migrations.RunPython.noop),
    ]
