"""The starting company values, so kudos work on a fresh install; admins rename or replace them in Django
admin. Plain data: the migration that creates them on first migrate reads it too."""

DEFAULT_VALUES = [
    ("Customer first", "🤝", "Went the extra mile for a customer or colleague."),
    ("Own it", "🎯", "Took responsibility and saw it through."),
    ("Better together", "🧩", "Made a team across departments work."),
    ("Keep learning", "💡", "Learned, taught or shared something new."),
    ("Be bold", "🚀", "Tried something new and brave."),
]

# The starting badges: (slug, emoji, name, description, rule, threshold). Each company value also gets a
# "Champion" badge (VALUE_BADGE_THRESHOLD public kudos for it); admins edit or retire them in Django admin.
DEFAULT_BADGES = [
    ("first-kudos-given", "🎉", "First thanks", "Gave their first kudos to a colleague.", "given", 1),
    ("generous", "🤲", "Generous", "Gave 25 kudos to colleagues.", "given", 25),
    ("appreciated", "🌟", "Appreciated", "Was thanked in 10 public kudos.", "received", 10),
    ("first-post", "✍️", "First post", "Wrote their first post in Hive.", "posts", 1),
    ("helper", "🙋", "Helper", "Had 5 answers chosen as the best answer to a question.", "answers", 5),
]
VALUE_BADGE_THRESHOLD = 5
