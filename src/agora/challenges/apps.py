from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "agora.challenges"
    label = "challenges"
    verbose_name = "Challenges (co-creation)"
