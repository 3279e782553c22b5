from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "agora.topics"
    label = "topics"
    verbose_name = "Topics"
