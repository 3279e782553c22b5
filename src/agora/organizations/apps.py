from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "agora.organizations"
    label = "organizations"
