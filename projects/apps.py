from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"

    def ready(self) -> None:
        from common import retrieval
        from projects import selectors

        # Projects keep their vectors beside them (ProjectEmbedding, deleted with the project).
        retrieval.source_register(
            selectors.PROJECT_KIND, latest=selectors.embedding_latest, rows=selectors.embedding_rows
        )
