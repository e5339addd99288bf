"""Each comment's post's group, stored on the comment for search's `in:group` filter (PostgreSQL only).

A comment does not know its group: `in:group` joined every candidate comment to its post, and for
older matches walked the group's posts then each one's comments (13,000 index look-ups for a group
of 13,000 posts: about a second). With the group on the comment (`search_community_id`, indexed
with the comment's date), a group's comments are walked newest first like its posts.

Like `search_vector` (0007), the column is search's alone and kept by triggers, so no code path can
forget it: the comment's trigger (0007's, on insert and on a change of body) now also copies its
post's group (one primary-key look-up), and a post moved to another group (only an admin can: no
service does) moves its comments' copy. Search still checks readability on the post's own group
(search.backends.postgres): a stale copy could only hide a comment, never show one.

Cheap on a big table: adding a nullable column without a default rewrites nothing; the copy is
filled in batches of BATCH comment ids, each its own transaction, only where the post has a group
(comments on the company feed keep NULL, their right value), so commenting goes on meanwhile; the
index is built CONCURRENTLY afterwards. Nothing on SQLite (the demo's search joins the post).
"""

from django.db import migrations, transaction

from search.migrations._concurrent_indexes import indexes_create, indexes_drop
from search.migrations._stored_vectors import BATCH

DOCUMENT = "to_tsvector('english'::regconfig, COALESCE(NEW.body, ''))"  # 0007's, for comments
INDEXES = [
    (
        "search_comment_group",
        "feed",
        "Comment",
        "(search_community_id, created_at DESC, id DESC) "
        "WHERE removed_at IS NULL AND search_community_id IS NOT NULL",
    )
]


def _postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def column_add(apps, schema_editor):
    if not _postgresql(schema_editor):
        return
    # One transaction: no comment may be written between the old trigger and the new one.
    with transaction.atomic(using=schema_editor.connection.alias), schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE feed_comment ADD COLUMN IF NOT EXISTS search_community_id bigint")
        cursor.execute(
            "CREATE OR REPLACE FUNCTION search_comment_fill() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"    NEW.search_vector := {DOCUMENT};\n"
            "    NEW.search_community_id := (SELECT community_id FROM feed_post WHERE id = NEW.post_id);\n"
            "    RETURN NEW;\n"
            "END\n$$"
        )
        cursor.execute("DROP TRIGGER IF EXISTS feed_comment_search_vector ON feed_comment")
        cursor.execute(
            "CREATE TRIGGER feed_comment_search_vector BEFORE INSERT OR UPDATE OF body, post_id "
            "ON feed_comment FOR EACH ROW EXECUTE FUNCTION search_comment_fill()"
        )
        cursor.execute(
            "CREATE OR REPLACE FUNCTION search_post_group_moved() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            "    UPDATE feed_comment SET search_community_id = NEW.community_id WHERE post_id = NEW.id;\n"
            "    RETURN NULL;\n"
            "END\n$$"
        )
        cursor.execute("DROP TRIGGER IF EXISTS feed_post_search_group ON feed_post")
        cursor.execute(
            "CREATE TRIGGER feed_post_search_group AFTER UPDATE OF community_id ON feed_post FOR EACH ROW "
            "WHEN (OLD.community_id IS DISTINCT FROM NEW.community_id) "
            "EXECUTE FUNCTION search_post_group_moved()"
        )


def column_fill(apps, schema_editor):
    """Comments written before the trigger, BATCH ids at a time (autocommit: the migration is
    non-atomic). Re-running it writes nothing twice: rows already right are skipped."""
    if not _postgresql(schema_editor):
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM feed_comment")
        low, high = cursor.fetchone()
        if low is None:
            return
        for start in range(low, high + 1, BATCH):
            cursor.execute(
                "UPDATE feed_comment AS c SET search_community_id = p.community_id FROM feed_post AS p "
                "WHERE p.id = c.post_id AND c.id >= %s AND c.id < %s AND p.community_id IS NOT NULL "
                "AND c.search_community_id IS DISTINCT FROM p.community_id",
                [start, start + BATCH],
            )


def index_add(apps, schema_editor):
    indexes_create(apps, schema_editor, INDEXES)
    if _postgresql(schema_editor):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ANALYZE feed_comment (search_community_id)")


def column_drop(apps, schema_editor):
    if not _postgresql(schema_editor):
        return
    indexes_drop(apps, schema_editor, INDEXES)
    with transaction.atomic(using=schema_editor.connection.alias), schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS feed_post_search_group ON feed_post")
        cursor.execute("DROP FUNCTION IF EXISTS search_post_group_moved()")
        # 0007's trigger, as it was.
        cursor.execute("DROP TRIGGER IF EXISTS feed_comment_search_vector ON feed_comment")
        cursor.execute(
            "CREATE TRIGGER feed_comment_search_vector BEFORE INSERT OR UPDATE OF body ON feed_comment "
            "FOR EACH ROW EXECUTE FUNCTION search_vector_fill()"
        )
        cursor.execute("DROP FUNCTION IF EXISTS search_comment_fill()")
        cursor.execute("ALTER TABLE feed_comment DROP COLUMN IF EXISTS search_community_id")


def nothing(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("search", "0011_searchday")]

    operations = [
        migrations.RunPython(column_add, column_drop, elidable=False),
        migrations.RunPython(column_fill, nothing, elidable=False),
        migrations.RunPython(index_add, nothing, elidable=False),
    ]
