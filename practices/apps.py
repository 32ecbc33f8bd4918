from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = "Practices and guides"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from . import signal_handlers
        from .models import QualityReview
        from .permissions import SiteEditorPermissionPolicy

        signal_handlers.register()
        # Registered before any admin viewset asks for the model's policy.
        register_permission_policy(QualityReview, SiteEditorPermissionPolicy(QualityReview))
