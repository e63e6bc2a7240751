# On PostgreSQL the database itself refuses UPDATE and DELETE of the security log, whatever the
# client: the ORM's refusal (audit/models.py) only covers code that goes through the ORM. A
# separate migration from 0002, whose UPDATE must commit before the trigger exists.

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_securityevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The security log is append-only: % of its rows is refused.', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER audit_securityevent_append_only
    BEFORE UPDATE OR DELETE ON audit_securityevent
    FOR EACH ROW EXECUTE FUNCTION audit_securityevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_securityevent_append_only ON audit_securityevent;
DROP FUNCTION IF EXISTS audit_securityevent_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # the SQL has a literal %

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_keep_who_events_were_about"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
    ]
