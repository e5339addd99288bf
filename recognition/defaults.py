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
    (
        "connector",
        "🔗",
        "Connector",
        "In one month, replied to, @mentioned or thanked people of 3 departments other than their own, "
        "at least twice each (reactions don't count).",
        "connector",
        3,
    ),
    (
        "welcomer",
        "👋",
        "Welcomer",
        "Was the first to reply to a newcomer's post in their first weeks.",
        "welcomer",
        1,
    ),
]
VALUE_BADGE_THRESHOLD = 5
# "Go-to person for #tag": answers chosen as the best on questions with that #tag. Three, because one or two
# best answers can be luck or a single conversation; three on one subject means people keep coming back.
TAG_BADGE_THRESHOLD = 3
