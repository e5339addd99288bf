"""The starting company values, so kudos work on a fresh install; admins rename or replace them in Django
admin. Plain data: the migration that creates them on first migrate reads it too."""

DEFAULT_VALUES = [
    ("Customer first", "🤝", "Went the extra mile for a customer or colleague."),
    ("Own it", "🎯", "Took responsibility and saw it through."),
    ("Better together", "🧩", "Made a team across departments work."),
    ("Keep learning", "💡", "Learned, taught or shared something new."),
    ("Be bold", "🚀", "Tried something new and brave."),
]
