from django.core.management.base import BaseCommand, CommandError

from common import sentence_embeddings
from common.similar_text import kinds, vectors_backfill


class Command(BaseCommand):
    help = (
        "Computes the sentence vectors that are missing (or were made by another model) for rows found "
        "by meaning: answered questions, groups, skills. Safe to stop and run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", action="append", help="only this kind (repeatable); default: every kind"
        )
        parser.add_argument("--limit", type=int, default=None, help="at most this many rows per kind")
        parser.add_argument("--batch-size", type=int, default=256)

    def handle(self, *args, kind, limit, batch_size, **options):
        registered = kinds()
        wanted = kind or sorted(registered)
        unknown = [k for k in wanted if k not in registered]
        if unknown:
            raise CommandError(f"Unknown kind {', '.join(unknown)}; known: {', '.join(sorted(registered))}.")
        if sentence_embeddings.encoder() is None:
            raise CommandError("No sentence model is configured (HIVE_SEMANTIC_MODEL): nothing to compute.")
        for name in wanted:

            def progress(done: int, name: str = name) -> None:
                self.stdout.write(f"{name}: {done:,} computed…")

            done = vectors_backfill(kind=name, limit=limit, batch_size=batch_size, progress=progress)
            self.stdout.write(f"{name}: {done:,} vectors computed.")
