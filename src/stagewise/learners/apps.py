from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearnersConfig(AppConfig):
    name = "stagewise.learners"
    verbose_name = _("Learners")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from stagewise.learners.name_folding import register_on_sqlite
        from stagewise.learners.selectors.list_filters import connect_list_filter_signals

        # The learner search column is generated with it on SQLite (learners/name_folding.py).
        connection_created.connect(register_on_sqlite, dispatch_uid="learners_fold_accents")
        connect_list_filter_signals()
