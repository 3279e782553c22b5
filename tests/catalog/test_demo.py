"""Riverton's catalogue: 40+ services from all eight organisations across the topics,
each rule and form valid, street problems on the map; loading again changes nothing."""

from collections import Counter

from jsonschema import Draft202012Validator

from agora.audit.models import LogEntry
from agora.catalog.eligibility import rule_check
from agora.catalog.hsds import hsds_export, hsds_import, hsds_validator
from agora.catalog.models import Question, Service
from agora.demo.catalog import SERVICES
from agora.demo.services import demo_load
from agora.organizations.models import Organization
from agora.topics.models import Topic

STREET = {"pothole", "fly-tipping", "street-light", "bulky-waste", "missed-bin", "graffiti"}
NAMED = {"council-tax-reduction", "housing-register", "homelessness-help", "food-parcels",
         "energy-hardship-fund", "blue-badge", "school-place", "bulky-waste", "pothole",
         "fly-tipping", "street-light", "debt-advice"}


def test_riverton_has_a_catalogue_worth_browsing_and_loading_again_changes_nothing(db):
    demo_load(reads=False, hub=False)
    services = list(Service.objects.prefetch_related("topics").select_related("provider"))
    assert len(services) >= 40
    assert {s.provider.slug for s in services} == set(
        Organization.objects.values_list("slug", flat=True))
    assert {s.code for s in services} >= NAMED
    by_code = {s.code: s for s in services}
    assert all(by_code[code].location_based for code in STREET)
    assert not by_code["council-tax-reduction"].location_based
    top_level = {topic.parent.slug if topic.parent else topic.slug
                 for s in services for topic in s.topics.all()}
    assert top_level == set(Topic.objects.filter(parent=None).values_list("slug", flat=True))
    keys = set(Question.objects.values_list("key", flat=True))
    for service in services:
        assert service.status == "published"
        rule_check(service.eligibility_rule, keys)
        Draft202012Validator.check_schema(service.form_schema)
        assert service.form_schema["required"], service.code
    assert sum(s.eligibility_rule is not None for s in services) >= 30
    kinds = Counter(field["type"] for s in services
                    for field in s.form_schema["properties"].values())
    assert {"string", "integer", "boolean"} <= set(kinds)
    validator = hsds_validator()
    exported = hsds_export()
    assert all(not list(validator.iter_errors(item)) for item in exported["contents"])
    assert hsds_import(exported).services_unchanged == len(services)
    assert hsds_export() == exported

    entries = LogEntry.objects.count()
    demo_load(reads=False, hub=False)
    assert Service.objects.count() == len(services) == len(SERVICES)
    assert LogEntry.objects.filter(resource_type="service").count() == len(services)
    assert LogEntry.objects.count() - entries <= 1  # the signed tree head at most
