"""The staff console pages: organisations, members and API clients."""

import re

import pytest
from django.urls import reverse

from agora.organizations.models import ApiClient, Membership, Organization
from agora.people.models import User
from tests.factories import (
    ApiClientFactory,
    MembershipFactory,
    OrganizationFactory,
    TotpAuthenticatorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADMIN = Membership.Role.ADMIN
CASEWORKER = Membership.Role.CASEWORKER


def sign_in(client, user: User) -> User:
    """Sign a user in; staff get a TOTP authenticator so the second-factor rule lets them in."""
    needs_second_factor = user.is_staff or user.memberships.exists()
    if needs_second_factor and not user.authenticator_set.filter(type="totp").exists():
        TotpAuthenticatorFactory(user=user)
    client.force_login(user)
    return user


def error_summary(response) -> str:
    """Return the text of the GOV.UK error summary on the page ('' when there is none)."""
    html = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    return match.group(0) if match else ""


def success_banner(response) -> str:
    html = response.content.decode()
    match = re.search(r"govuk-notification-banner--success.*?</div>\s*</div>", html, re.S)
    return match.group(0) if match else ""


@pytest.fixture
def organization():
    return OrganizationFactory(name="Riverton Council", slug="riverton")


@pytest.fixture
def admin(organization):
    return MembershipFactory(
        organization=organization, role=ADMIN, user__email="ada@example.org"
    ).user


@pytest.fixture
def operator():
    return UserFactory(operator=True, email="operator@example.org")


# The dashboard


def test_dashboard_lists_my_organisations_and_roles(client, organization, admin):
    MembershipFactory(organization=organization, user=admin, role=CASEWORKER)
    MembershipFactory(user=UserFactory(), organization=OrganizationFactory(name="Elsewhere"))
    sign_in(client, admin)

    response = client.get(reverse("console:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Riverton Council" in html
    assert "Administrator, Caseworker" in html
    assert "Elsewhere" not in html
    assert f'href="{reverse("console:organizations")}"' not in html


def test_dashboard_links_operators_to_all_organisations(client, operator):
    sign_in(client, operator)
    response = client.get(reverse("console:dashboard"))
    assert response.status_code == 200
    assert f'href="{reverse("console:organizations")}"' in response.content.decode()


def test_resident_gets_403_on_the_console(client):
    client.force_login(UserFactory())
    response = client.get(reverse("console:dashboard"))
    assert response.status_code == 403


def test_console_needs_sign_in(client, organization):
    for url in [
        reverse("console:dashboard"),
        reverse("console:organizations"),
        reverse("console:organization", args=[organization.slug]),
        reverse("console:members", args=[organization.slug]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# Organisations (operators)


def test_operator_creates_an_organisation(client, operator):
    sign_in(client, operator)
    response = client.post(
        reverse("console:organization_new"),
        {
            "name": "Riverton Food Bank",
            "slug": "",
            "kind": "ngo",
            "description": "Food parcels.",
            "contact_email": "hello@food.example.org",
            "contact_phone": "01234 567890",
            "website": "food.example.org",
        },
        follow=True,
    )

    organization = Organization.objects.get()
    assert organization.slug == "riverton-food-bank"
    assert organization.kind == "ngo"
    assert organization.website == "https://food.example.org"
    assert response.redirect_chain[-1][0] == reverse(
        "console:organization", args=["riverton-food-bank"]
    )
    assert "Riverton Food Bank has been added." in success_banner(response)


def test_duplicate_short_name_shows_the_error_summary_and_creates_nothing(
    client, operator, organization
):
    sign_in(client, operator)
    response = client.post(
        reverse("console:organization_new"),
        {"name": "Another council", "slug": "riverton", "kind": "government"},
    )

    assert response.status_code == 200
    summary = error_summary(response)
    assert "already taken" in summary
    assert 'href="#id_slug"' in summary
    assert "<title>Error:" in response.content.decode()
    assert Organization.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "x" * 201, "kind": "ngo"}, "name"),
        ({"name": "", "kind": "ngo"}, "name"),
        ({"name": "Good name", "kind": "spaceship"}, "kind"),
        ({"name": "Good name", "kind": "ngo", "slug": "Not a slug!"}, "slug"),
        ({"name": "Good name", "kind": "ngo", "contact_email": "nope"}, "contact_email"),
    ],
)
def test_bad_organisation_input_shows_field_errors_and_writes_nothing(
    client, operator, data, field
):
    sign_in(client, operator)
    response = client.post(reverse("console:organization_new"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'href="#id_{field}' in error_summary(response)
    assert 'class="govuk-error-message"' in response.content.decode()
    assert not Organization.objects.exists()


def test_only_operators_manage_the_organisation_list(client, admin):
    sign_in(client, admin)
    assert client.get(reverse("console:organizations")).status_code == 403
    response = client.post(reverse("console:organization_new"), {"name": "X", "kind": "ngo"})
    assert response.status_code == 403
    assert Organization.objects.count() == 1


def test_organisation_list_counts_members(client, operator, organization, admin):
    MembershipFactory(organization=organization, user=admin, role=CASEWORKER)
    MembershipFactory(organization=organization, role=CASEWORKER)
    sign_in(client, operator)
    response = client.get(reverse("console:organizations"))
    assert response.status_code == 200
    [listed] = response.context["organizations"]
    assert listed.member_count == 2  # two people, three roles


@pytest.mark.parametrize("count", [1, 25])
def test_organisation_list_has_a_bounded_number_of_queries(
    client, operator, count, django_assert_max_num_queries
):
    for _ in range(count):
        MembershipFactory.create_batch(2, organization=OrganizationFactory())
    sign_in(client, operator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("console:organizations"))
    assert response.status_code == 200
    assert len(response.context["organizations"]) == count


def test_organisation_detail_shows_the_details(client, admin, organization):
    sign_in(client, admin)
    response = client.get(reverse("console:organization", args=["riverton"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Riverton Council" in html
    assert reverse("console:organization_edit", args=["riverton"]) in html


def test_admin_edits_the_details_but_not_the_kind(client, admin, organization):
    sign_in(client, admin)
    url = reverse("console:organization_edit", args=["riverton"])
    form = client.get(url).context["form"]
    assert "kind" not in form.fields
    assert "is_active" not in form.fields

    response = client.post(
        url,
        {"name": "Riverton Borough Council", "description": "The council.", "kind": "ngo",
         "is_active": ""},
        follow=True,
    )

    organization.refresh_from_db()
    assert organization.name == "Riverton Borough Council"
    assert organization.kind == "government"
    assert organization.is_active
    assert "have been saved" in success_banner(response)


def test_operator_changes_kind_and_deactivates(client, operator, organization):
    sign_in(client, operator)
    response = client.post(
        reverse("console:organization_edit", args=["riverton"]),
        {"name": "Riverton Council", "kind": "community", "contact_email": "a@example.org"},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.kind == "community"
    assert not organization.is_active


def test_non_admin_member_cannot_edit(client, organization):
    member = sign_in(client, MembershipFactory(organization=organization, role=CASEWORKER).user)
    url = reverse("console:organization_edit", args=["riverton"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Hijacked"}).status_code == 403
    organization.refresh_from_db()
    assert organization.name == "Riverton Council"
    assert member.is_authenticated


def test_edit_with_bad_input_shows_field_errors(client, admin, organization):
    sign_in(client, admin)
    response = client.post(
        reverse("console:organization_edit", args=["riverton"]),
        {"name": "", "website": "not a url at all"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "website"}
    organization.refresh_from_db()
    assert organization.name == "Riverton Council"


# Members (organisation admins)


def test_admin_adds_a_new_person_who_gets_an_invitation(
    client, admin, organization, mailoutbox, django_capture_on_commit_callbacks
):
    sign_in(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("console:member_add", args=["riverton"]),
            {"email": "New.Person@Example.org", "role": "caseworker"},
            follow=True,
        )

    newcomer = User.objects.get(email="new.person@example.org")
    assert not newcomer.has_usable_password()
    assert newcomer.memberships.get(organization=organization).role == "caseworker"
    banner = success_banner(response)
    assert "new.person@example.org is now caseworker at Riverton Council" in banner
    assert "sent them an email" in banner

    [mail] = mailoutbox
    assert mail.to == ["new.person@example.org"]
    assert "Riverton Council" in mail.subject
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.body).group(1)
    # The link is allauth's own reset link: it leads to the form to set a password.
    landing = client.get(link, follow=True)
    assert landing.status_code == 200
    assert "password1" in landing.context["form"].fields


def test_adding_an_existing_account_sends_no_invitation(
    client, admin, organization, mailoutbox, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="known@example.org")
    sign_in(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("console:member_add", args=["riverton"]),
            {"email": "known@example.org", "role": "analyst"},
        )
    assert response.status_code == 302
    assert existing.memberships.get().role == "analyst"
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "", "role": "caseworker"}, "email"),
        ({"email": "not-an-email", "role": "caseworker"}, "email"),
        ({"email": "someone@example.org", "role": "emperor"}, "role"),
        ({"email": "someone@example.org"}, "role"),
    ],
)
def test_bad_member_input_shows_field_errors_and_writes_nothing(
    client, admin, organization, data, field, mailoutbox
):
    sign_in(client, admin)
    before = Membership.objects.count()
    response = client.post(reverse("console:member_add", args=["riverton"]), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert f'href="#id_{field}' in error_summary(response)
    assert Membership.objects.count() == before
    assert not User.objects.filter(email="someone@example.org").exists()
    assert mailoutbox == []


def test_admin_removes_a_role_after_confirming(client, admin, organization):
    member = MembershipFactory(
        organization=organization, role=CASEWORKER, user__email="bo@example.org"
    )
    sign_in(client, admin)
    url = reverse("console:member_remove", args=["riverton", member.user.public_id, "caseworker"])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Remove bo@example.org as caseworker?" in confirm.content.decode()
    assert Membership.objects.filter(pk=member.pk).exists()

    response = client.post(url, follow=True)
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert "bo@example.org is no longer caseworker" in success_banner(response)


def test_the_last_admin_cannot_be_removed(client, admin, organization):
    sign_in(client, admin)
    url = reverse("console:member_remove", args=["riverton", admin.public_id, "admin"])
    response = client.post(url)
    assert response.status_code == 200
    assert "only administrator of Riverton Council" in error_summary(response)
    assert Membership.objects.filter(user=admin, organization=organization, role=ADMIN).exists()


def test_removing_an_unknown_role_is_404(client, admin):
    sign_in(client, admin)
    url = reverse("console:member_remove", args=["riverton", admin.public_id, "caseworker"])
    assert client.get(url).status_code == 404
    url = reverse("console:member_remove", args=["riverton", admin.public_id, "emperor"])
    assert client.post(url).status_code == 404


def test_member_list_shows_members_and_controls_to_admins(client, admin, organization):
    MembershipFactory(organization=organization, role=CASEWORKER, user__email="bo@example.org")
    sign_in(client, admin)
    response = client.get(reverse("console:members", args=["riverton"]))
    html = response.content.decode()
    assert "bo@example.org" in html
    assert "ada@example.org" in html
    assert reverse("console:member_add", args=["riverton"]) in html
    assert "/remove" in html


def test_non_admin_member_sees_the_list_without_controls(client, admin, organization):
    member = MembershipFactory(organization=organization, role=CASEWORKER).user
    sign_in(client, member)

    response = client.get(reverse("console:members", args=["riverton"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ada@example.org" in html
    assert reverse("console:member_add", args=["riverton"]) not in html
    assert "/remove" not in html

    add = client.post(
        reverse("console:member_add", args=["riverton"]),
        {"email": "friend@example.org", "role": "admin"},
    )
    assert add.status_code in (403, 404)
    remove = client.post(
        reverse("console:member_remove", args=["riverton", admin.public_id, "admin"])
    )
    assert remove.status_code in (403, 404)
    assert not User.objects.filter(email="friend@example.org").exists()
    assert Membership.objects.filter(user=admin, role=ADMIN).exists()


def test_staff_of_another_organisation_get_404(client, admin, organization):
    outsider = MembershipFactory(role=ADMIN).user
    client_ = ApiClientFactory(organization=organization)
    sign_in(client, outsider)
    slug = organization.slug
    pages = [
        reverse("console:organization", args=[slug]),
        reverse("console:members", args=[slug]),
        reverse("console:apiclients", args=[slug]),
    ]
    forms = [
        reverse("console:organization_edit", args=[slug]),
        reverse("console:member_add", args=[slug]),
        reverse("console:member_remove", args=[slug, admin.public_id, "admin"]),
    ]
    for url in pages + forms:
        assert client.get(url).status_code == 404, url
    for url in forms:
        assert client.post(url, {"email": "x@example.org", "role": "admin"}).status_code == 404, url
    deactivate = reverse("console:apiclient_deactivate", args=[slug, client_.client_id])
    assert client.post(deactivate).status_code == 404
    # Missing looks the same as forbidden.
    assert client.get(reverse("console:organization", args=["no-such-place"])).status_code == 404
    client_.refresh_from_db()
    assert client_.is_active
    assert Membership.objects.filter(user=admin, role=ADMIN).exists()


def test_operator_manages_members_of_any_organisation(client, operator, organization, admin):
    sign_in(client, operator)
    response = client.post(
        reverse("console:member_add", args=["riverton"]),
        {"email": "ada@example.org", "role": "dpo"},
    )
    assert response.status_code == 302
    assert admin.memberships.filter(role="dpo").exists()


# API clients


def test_admin_sees_and_deactivates_api_clients(client, admin, organization):
    api_client = ApiClientFactory(organization=organization, name="Case system")
    ApiClientFactory(name="Someone else's")
    sign_in(client, admin)

    response = client.get(reverse("console:apiclients", args=["riverton"]))
    html = response.content.decode()
    assert "Case system" in html
    assert str(api_client.client_id) in html
    assert "whoami" in html
    assert "Never" in html
    assert "Someone else" not in html

    response = client.post(
        reverse("console:apiclient_deactivate", args=["riverton", api_client.client_id]),
        follow=True,
    )
    api_client.refresh_from_db()
    assert not api_client.is_active
    assert "Case system has been deactivated" in success_banner(response)


def test_api_clients_are_for_admins_only(client, organization):
    api_client = ApiClientFactory(organization=organization)
    sign_in(client, MembershipFactory(organization=organization, role=CASEWORKER).user)
    assert client.get(reverse("console:apiclients", args=["riverton"])).status_code == 403
    url = reverse("console:apiclient_deactivate", args=["riverton", api_client.client_id])
    assert client.post(url).status_code == 403
    assert client.get(url).status_code in (403, 405)
    assert ApiClient.objects.get(pk=api_client.pk).is_active


def test_pages_that_only_show_refuse_posts(client, admin):
    sign_in(client, admin)
    assert client.post(reverse("console:dashboard")).status_code == 405
    assert client.post(reverse("console:members", args=["riverton"])).status_code == 405


def test_writes_need_a_csrf_token(admin, organization):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    sign_in(csrf_client, admin)
    response = csrf_client.post(
        reverse("console:member_add", args=["riverton"]),
        {"email": "csrf@example.org", "role": "admin"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="csrf@example.org").exists()


@pytest.mark.django_db
def test_organisation_page_links_each_role_to_its_work(client):
    from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

    organization = OrganizationFactory()
    caseworker = UserFactory(totp=True)
    MembershipFactory(user=caseworker, organization=organization, role="caseworker")
    dpo = UserFactory(totp=True)
    MembershipFactory(user=dpo, organization=organization, role="dpo")
    url = f"/console/organisations/{organization.slug}/"

    client.force_login(caseworker)
    page = client.get(url).content.decode()
    assert "Find a person" in page
    assert "Data protection" not in page and "Sharing agreements" not in page

    client.force_login(dpo)
    page = client.get(url).content.decode()
    assert "Data protection" in page and "Sharing agreements" in page
