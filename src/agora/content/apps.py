from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "agora.content"
    label = "content"
    verbose_name = "Content"
