from django.apps import AppConfig


class ExpertiseConfig(AppConfig):
    name = "expertise"

    def ready(self):
        from common.similar_text import Kind, kind_register
        from profiles.selectors import directory_filter_register
        from profiles.signals import accounts_activation_changed

        from . import selectors, tasks

        directory_filter_register(name="skill", query=selectors.directory_skill_q)
        # Skills' names as sentence vectors: "already answered?" finds the skill a question is about.
        kind_register(
            Kind(name=selectors.SKILL_KIND, texts=selectors.skill_texts, all_ids=selectors.skill_ids)
        )

        def recount(sender, user_ids, **kwargs):
            # People who left no longer count in "N people list this skill"; the hourly recount
            # would get there, but an HR import deactivating a department should show at once.
            tasks.people_counts_recount.delay()

        accounts_activation_changed.connect(recount, weak=False, dispatch_uid="expertise.recount")
