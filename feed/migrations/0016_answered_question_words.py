"""A full-text index of answered questions, for "already answered?" (feed.already_answered).

Partial: only questions with an accepted answer that are up, a few percent of the posts, so looking
up a draft's words reads a small index rather than every post's (search_post_body_english). The
expression is exactly the one feed.already_answered queries; change both or neither. Built
CONCURRENTLY (non-atomic) so posting goes on during the build; nothing on SQLite (the demo).
"""

from django.db import migrations

INDEX = "feed_answered_question_words"
CREATE = (
    f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON feed_post "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(body, ''))) "
    "WHERE kind = 'question' AND best_answer_id IS NOT NULL AND removed_at IS NULL"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)
            # The look-up leaves out the lexemes most questions share, read from the index's statistics.
            cursor.execute("ANALYZE feed_post")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("feed", "0015_announcement_view_seen_idx")]
    operations = [migrations.RunPython(create, drop, elidable=True)]
