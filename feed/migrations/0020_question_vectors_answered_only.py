"""Only answered questions keep a sentence vector: "already answered?" shows nothing else, and a
quarter of the vectors makes a quarter of the matrix product and of each process's memory
(feed.already_answered). The others are recomputed if their question gets an answer
(feed.services.answer_mark, or the hourly backfill). One DELETE on the vectors table (a row lock
each, no rewrite): about a second for 90,000 rows. Reversing deletes nothing: the hourly backfill
of the previous code computes the missing vectors again."""

from django.db import migrations

FORGET_UNANSWERED = """
DELETE FROM common_textvector
WHERE kind = 'feed.question'
    AND NOT EXISTS (
        SELECT 1 FROM feed_post p
        WHERE p.id = common_textvector.object_id AND p.kind = 'question'
            AND p.best_answer_id IS NOT NULL AND p.removed_at IS NULL
    )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0002_text_vectors"),
        ("feed", "0019_celebrations"),
    ]

    operations = [migrations.RunSQL(FORGET_UNANSWERED, migrations.RunSQL.noop, elidable=True)]
