#!/usr/bin/env python
import os
import sys

# Commands that only compare models with migration files: they sign nothing, so they run from a bare
# checkout (a pre-commit hook, a developer's makemigrations) without the production secret.
SECRETLESS_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate"}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(sys.argv) > 1 and sys.argv[1] in SECRETLESS_COMMANDS:
        os.environ["HIVE_SECRETLESS_COMMAND"] = "true"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
