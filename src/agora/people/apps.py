from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "agora.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from allauth.account.signals import password_reset

        from agora.people.services import email_address_verify_after_reset

        def verify_address_on_reset(sender, request, user, **kwargs) -> None:
            email_address_verify_after_reset(user=user)

        password_reset.connect(verify_address_on_reset, weak=False, dispatch_uid="agora-reset")
