# Every account gets its canonical e-mail key (accounts/addresses.py); 0005 makes it unique.

from django.db import migrations, models


def fill_canonical_emails(apps, schema_editor):
    """Key every account; refuse, naming them, accounts whose addresses differ only by look-alikes."""
    from accounts.addresses import canonical_email

    User = apps.get_model("accounts", "User")
    owners = {}
    for user in User.objects.only("pk", "email").order_by("pk").iterator():
        key = canonical_email(user.email)
        if key in owners:
            raise RuntimeError(
                f"Accounts {owners[key]} and {user.pk} have e-mail addresses that differ only by case or "
                "Unicode look-alikes; give one of them another address, then migrate again."
            )
        owners[key] = user.pk
        User.objects.filter(pk=user.pk).update(email_canonical=key)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_user_time_zone"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_canonical",
            field=models.CharField(default="", editable=False, max_length=1000),
            preserve_default=False,
        ),
        migrations.RunPython(fill_canonical_emails, migrations.RunPython.noop),
    ]
