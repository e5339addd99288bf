"""Flags with the six fixed reasons of old become "something else", keeping the old reason in the note;
and the audit log becomes append-only in the database itself, so no interface (admin, shell, a bug)
can edit or delete a record."""

from django.db import migrations

LEGACY = {
    "harassment": "Harassment or bullying",
    "hate": "Hateful or discriminatory",
    "confidential": "Shares confidential information",
    "misinformation": "False or misleading",
}


def legacy_reasons_to_other(apps, schema_editor):
    Flag = apps.get_model("moderation", "Flag")
    for flag in Flag.objects.filter(reason__in=list(LEGACY)).iterator():
        flag.note = f"{LEGACY[flag.reason]}. {flag.note}".strip()[:500]
        flag.reason = "other"
        flag.save(update_fields=["reason", "note"])


POSTGRES_UP = """
CREATE OR REPLACE FUNCTION moderation_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The moderation audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER moderation_audit_append_only
    BEFORE UPDATE OR DELETE ON moderation_auditentry
    FOR EACH ROW EXECUTE FUNCTION moderation_audit_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS moderation_audit_append_only ON moderation_auditentry;
DROP FUNCTION IF EXISTS moderation_audit_append_only();
"""
SQLITE_UP = [
    "CREATE TRIGGER moderation_audit_no_update BEFORE UPDATE ON moderation_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'The moderation audit log is append-only: UPDATE refused'); END;",
    "CREATE TRIGGER moderation_audit_no_delete BEFORE DELETE ON moderation_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'The moderation audit log is append-only: DELETE refused'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS moderation_audit_no_update;",
    "DROP TRIGGER IF EXISTS moderation_audit_no_delete;",
]


def trigger_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement, params=None)


def trigger_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0005_guidelines_clauses_flag_weights")]

    operations = [
        migrations.RunPython(legacy_reasons_to_other, migrations.RunPython.noop),
        migrations.RunPython(trigger_create, trigger_drop),
    ]
