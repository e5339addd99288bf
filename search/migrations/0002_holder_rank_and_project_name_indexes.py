"""Two more indexes for search on PostgreSQL, so common words and skills cost what is shown.

- The people listing a skill, surest first: search.selectors ranks a skill's holders by
  level + 2 ln(1 + endorsements); with this index the best twenty of 20,000 "Python" holders are the
  first twenty entries, instead of scoring and sorting every row. INCLUDE lets the scan answer from
  the index alone. The expression is exactly what search.selectors.HOLDER_SCORE renders to.
- Project names as words: "migration" is in thousands of project names; projects_matching takes the
  shortest names that contain the words (the best-ranked ones) from this index.

Like 0001: built CONCURRENTLY (non-atomic), nothing on SQLite.
"""

from django.db import migrations

from search.migrations._concurrent_indexes import indexes_create, indexes_drop

# (name, app label, model, "USING ..." clause after the table name)
INDEXES = [
    (
        "search_skill_holder_rank",
        "expertise",
        "ProfileSkill",
        "USING btree (tag_id, (level + 2.0 * ln(endorsement_count + 1.0)) DESC, endorsement_count DESC,"
        " content_object_id) INCLUDE (id, level)",
    ),
    (
        "search_project_name_fts",
        "projects",
        "Project",
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(name, '')))",
    ),
]


def create_indexes(apps, schema_editor):
    indexes_create(apps, schema_editor, INDEXES)


def drop_indexes(apps, schema_editor):
    indexes_drop(apps, schema_editor, INDEXES)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("search", "0001_search_indexes"),
        ("expertise", "0004_ranked_people_and_latest_endorsers_indexes"),
        ("projects", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
