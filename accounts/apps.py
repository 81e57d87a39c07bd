from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from accounts import signals  # noqa: F401  (connects the login receivers)

        # Each app's permissions module registers how its models answer the relations of
        # the permission table (accounts.rules).
        autodiscover_modules("permissions", "permissions_campaigns")
