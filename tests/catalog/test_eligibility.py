"""Eligibility: each condition evaluated and worded from its question; facts from answers
or, with the resident's agreement, their own records (each read logged)."""

from agora.access.models import DataCategory
from agora.audit.models import LogEntry
from agora.catalog.eligibility import Fact, rule_evaluate
from agora.catalog.models import Question
from agora.catalog.selectors import eligibility_check, question_infos, record_facts
from tests.catalog.helpers import RULE, add_service
from tests.factories import PersonFactory, RecordFactory, UserFactory


def test_each_condition_says_what_we_know_and_whether_it_is_met(db):
    infos = question_infos()
    outcome = rule_evaluate(RULE, {"children_under_16": Fact(2), "lives_in_riverton": Fact(True)},
                            infos)
    assert [(c.text, c.requirement, c.outcome) for c in outcome.conditions] == [
        ("You told us you have 2 children under 16", "needs at least 1", "met"),
        ("You told us you live in Riverton", "", "met"),
    ]
    assert outcome.eligible is True
    refused = rule_evaluate(RULE, {"children_under_16": Fact(0),
                                   "lives_in_riverton": Fact(False)}, infos)
    assert [(c.text, c.outcome) for c in refused.conditions] == [
        ("You told us you have 0 children under 16", "not met"),
        ("You told us you do not live in Riverton", "not met"),
    ]
    assert refused.eligible is False


def test_choices_money_or_and_missing_facts_read_plainly(db):
    infos = question_infos()
    rule = {"and": [
        {"in": [{"var": "tenure"}, ["social rent", "private rent"]]},
        {"<": [{"var": "weekly_income"}, 300]},
        {"or": [{"var": "gets_universal_credit"}, {"var": "gets_pension_credit"}]},
        {">=": [{"var": "age"}, 66]},
    ]}
    outcome = rule_evaluate(rule, {
        "tenure": Fact("social rent"), "weekly_income": Fact(250),
        "gets_universal_credit": Fact(True, source="Benefits Agency"),
        "gets_pension_credit": Fact(False),
    }, infos)
    texts = [(c.text, c.requirement, c.outcome) for c in outcome.conditions]
    assert texts[0] == ("You told us you live: Renting from the council or a housing "
                        "association", "needs one of: Renting from the council or a housing "
                        "association; Renting from a private landlord", "met")
    assert texts[1] == ("You told us your household's weekly income is £250",
                        "needs less than 300", "met")
    assert texts[2] == ("The records of Benefits Agency say you get Universal Credit; you told "
                        "us you do not get Pension Credit",
                        "needs at least one of these to be true", "met")
    assert texts[3] == ("We do not know yet: how old are you?", "needs at least 66",
                        "not known")
    assert outcome.eligible is None


def test_a_service_without_a_rule_may_apply_to_anyone(db):
    from tests.factories import OrganizationFactory

    service = add_service(OrganizationFactory(), "pothole")
    [verdict] = eligibility_check(services=[service], facts={})
    assert verdict.eligible is True and verdict.outcome.conditions == []


def test_facts_come_from_the_residents_own_records_and_each_read_is_logged(db):
    user = UserFactory()
    person = PersonFactory(user=user)
    household = DataCategory.objects.get(code="household")
    benefits = DataCategory.objects.get(code="income-and-benefits")
    RecordFactory(subject=person, category=household, owner__name="Riverton Council",
                  fields={"address": "1 River Street", "adults": 1, "children": 2,
                          "tenure": "social rent"})
    RecordFactory(subject=person, category=benefits, owner__name="Benefits Agency",
                  fields={"benefit": "Universal Credit", "status": "in payment"})
    RecordFactory(subject=PersonFactory(), category=benefits,
                  fields={"benefit": "Pension Credit"})  # someone else's: never read
    questions = list(Question.objects.all())
    facts = record_facts(user=user, questions=questions)
    assert {key: (f.value, f.source) for key, f in facts.items()} == {
        "lives_in_riverton": (True, "Riverton Council"),
        "adults_in_home": (1, "Riverton Council"),
        "children_under_16": (2, "Riverton Council"),
        "tenure": ("social rent", "Riverton Council"),
        "gets_universal_credit": (True, "Benefits Agency"),
    }
    reads = LogEntry.objects.filter(action="record.read", subject=str(person.public_id))
    assert reads.count() == 2 and all(e.decision == "permit" for e in reads)


def test_no_person_no_records_read(db):
    assert record_facts(user=UserFactory(), questions=list(Question.objects.all())) == {}
    assert not LogEntry.objects.filter(action="record.read").exists()
