from django.apps import AppConfig


class AnswersConfig(AppConfig):
    name = "agora.answers"
    label = "answers"
    verbose_name = "Answers"
