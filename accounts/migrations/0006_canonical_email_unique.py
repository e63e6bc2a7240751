# Separate from 0004: PostgreSQL refuses to alter a table in the transaction that updated its rows.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_canonical_email"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="email_canonical",
            field=models.CharField(editable=False, max_length=1000, unique=True),
        ),
    ]
