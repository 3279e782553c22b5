from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "agora.people"
    label = "people"
    verbose_name = "People"
