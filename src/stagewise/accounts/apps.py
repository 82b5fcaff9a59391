from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "stagewise.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from stagewise.accounts.middleware import session_written_at_sign_in
        from stagewise.accounts.signals import connect_role_signals

        connect_role_signals()

        user_logged_in.connect(
            session_written_at_sign_in, dispatch_uid="session_written_at_sign_in"
        )
