# The security log moved to the audit app (audit/0001_initial takes the table over), and the
# "This wasn't me" links moved to notifications' e-mailed links, which replace FreezeLinkUse.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('security', '0003_rate_counter'),
    ]

    operations = [
        migrations.DeleteModel(name='FreezeLinkUse'),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='SecurityEvent')],
            database_operations=[],
        ),
    ]
