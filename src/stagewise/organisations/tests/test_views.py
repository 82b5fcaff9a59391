"""The administration pages: who may use them, what they show, and what bad input does."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoAssertNumQueries

from stagewise.accounts.models import User
from stagewise.organisations.models import (
    Agency,
    AgencyType,
    LanguageMedium,
    LocalAuthority,
    Membership,
    Nation,
    NationalBody,
    NationalBodyKind,
    Role,
    Setting,
    SettingType,
)

pytestmark = pytest.mark.django_db


def date_fields(name: str, value: date) -> dict[str, str]:
    """What a person types into the GOV.UK day, month and year boxes."""
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }


@pytest.fixture
def membership(class_teacher: User) -> Membership:
    return class_teacher.memberships.get()


@pytest.fixture
def every_page(
    glasgow: LocalAuthority, school: Setting, agency: Agency, membership: Membership
) -> list[str]:
    person_id = membership.user_id
    return [
        reverse("organisations:index"),
        reverse("organisations:authority_detail", args=[glasgow.pk]),
        reverse("organisations:setting_create", args=[glasgow.pk]),
        reverse("organisations:setting_update", args=[school.pk]),
        reverse("organisations:agency_create", args=[glasgow.pk]),
        reverse("organisations:agency_update", args=[agency.pk]),
        reverse("organisations:person_list"),
        reverse("organisations:person_create"),
        reverse("organisations:person_detail", args=[person_id]),
        reverse("organisations:membership_list"),
        reverse("organisations:membership_create", args=[person_id]),
        reverse("organisations:membership_end", args=[membership.pk]),
    ]


# Who may use the pages ------------------------------------------------------------------------


def test_every_administration_page_renders_for_the_system_administrator(
    administrator_client: Client, every_page: list[str]
) -> None:
    for url in every_page:
        response = administrator_client.get(url)
        assert response.status_code == 200, url


def test_a_class_teacher_is_refused_every_administration_page(
    class_teacher_client: Client, every_page: list[str]
) -> None:
    for url in every_page:
        assert class_teacher_client.get(url).status_code == 403, url


def test_a_class_teacher_cannot_change_anything_by_posting(
    class_teacher_client: Client, every_page: list[str], school: Setting, membership: Membership
) -> None:
    for url in every_page:
        response = class_teacher_client.post(url, {"name": "Renamed", "setting_type": "primary"})
        assert response.status_code == 403, url
    school.refresh_from_db()
    membership.refresh_from_db()
    assert school.name == "Riverside Primary School"
    assert membership.ended_on is None


def test_someone_not_signed_in_is_sent_to_sign_in(client: Client, every_page: list[str]) -> None:
    for url in every_page:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_every_form_that_changes_something_carries_a_csrf_token(
    administrator_client: Client, every_page: list[str]
) -> None:
    for url in every_page:
        content = administrator_client.get(url).content.decode()
        for form in content.split("<form")[1:]:
            if 'method="post"' in form.split(">")[0]:
                assert 'name="csrfmiddlewaretoken"' in form, url


def test_a_post_without_a_csrf_token_is_refused(administrator: User, school: Setting) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    response = client.post(
        reverse("organisations:setting_update", args=[school.pk]),
        {"name": "Forged", "setting_type": "primary", "language_medium": "english"},
    )
    assert response.status_code == 403
    school.refresh_from_db()
    assert school.name == "Riverside Primary School"


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("authority_detail", {"authority_id": 999_999}),
        ("setting_create", {"authority_id": 999_999}),
        ("setting_update", {"setting_id": 999_999}),
        ("agency_create", {"authority_id": 999_999}),
        ("agency_update", {"agency_id": 999_999}),
        ("person_detail", {"person_id": 999_999}),
        ("membership_create", {"person_id": 999_999}),
        ("membership_end", {"membership_id": 999_999}),
    ],
)
def test_an_unknown_id_is_not_found(
    administrator_client: Client, name: str, kwargs: dict[str, int]
) -> None:
    response = administrator_client.get(reverse(f"organisations:{name}", kwargs=kwargs))
    assert response.status_code == 404


def test_a_class_teacher_is_refused_before_learning_whether_an_id_exists(
    class_teacher_client: Client,
) -> None:
    url = reverse("organisations:authority_detail", args=[999_999])
    assert class_teacher_client.get(url).status_code == 403


# Organisations --------------------------------------------------------------------------------


def test_the_index_groups_authorities_by_nation_with_their_legislation(
    administrator_client: Client, glasgow: LocalAuthority, cardiff: LocalAuthority
) -> None:
    response = administrator_client.get(reverse("organisations:index"))
    content = response.content.decode()
    scotland = Nation.objects.get(code=Nation.SCOTLAND)
    wales = Nation.objects.get(code=Nation.WALES)
    assert scotland.jurisdiction in content
    assert wales.jurisdiction in content
    assert content.index("Glasgow City") < content.index("Wales") < content.index("Cardiff")
    assert reverse("organisations:authority_detail", args=[glasgow.pk]) in content
    assert reverse("organisations:person_list") in content
    assert reverse("organisations:membership_list") in content


def test_the_index_lists_all_54_local_authorities(administrator_client: Client) -> None:
    response = administrator_client.get(reverse("organisations:index"))
    nations = list(response.context["nations"])
    assert [len(nation.authority_list) for nation in nations] == [32, 22]


def test_the_authority_page_lists_its_settings_and_agencies_with_links_to_add_more(
    administrator_client: Client, glasgow: LocalAuthority, school: Setting, agency: Agency
) -> None:
    response = administrator_client.get(
        reverse("organisations:authority_detail", args=[glasgow.pk])
    )
    content = response.content.decode()
    assert "Riverside Primary School" in content
    assert "Glasgow Speech and Language Therapy" in content
    assert "Add a setting" in content
    assert "Add an agency" in content
    assert reverse("organisations:setting_create", args=[glasgow.pk]) in content
    assert reverse("organisations:agency_create", args=[glasgow.pk]) in content
    assert reverse("organisations:setting_update", args=[school.pk]) in content


def test_the_authority_page_shows_welsh_names_to_a_welsh_reader(
    administrator: User, client: Client, cardiff: LocalAuthority
) -> None:
    Setting.objects.create(
        authority=cardiff,
        name="Ysgol Gymraeg Example",
        name_cy="Ysgol Gymraeg Enghraifft",
        setting_type=SettingType.PRIMARY,
        language_medium=LanguageMedium.WELSH,
    )
    administrator.preferred_language = "cy"
    administrator.save()
    client.force_login(administrator)
    response = client.get(reverse("organisations:authority_detail", args=[cardiff.pk]))
    assert "Ysgol Gymraeg Enghraifft" in response.content.decode()
    assert "Caerdydd" in response.content.decode()


def test_an_administrator_adds_a_setting_to_an_authority(
    administrator_client: Client, glasgow: LocalAuthority
) -> None:
    response = administrator_client.post(
        reverse("organisations:setting_create", args=[glasgow.pk]),
        {
            "name": "Sgoil Ghàidhlig Ghlaschu",
            "name_cy": "",
            "setting_type": SettingType.ALL_THROUGH,
            "language_medium": LanguageMedium.GAELIC,
            "reference_number": "8433321",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:authority_detail", args=[glasgow.pk])
    setting = Setting.objects.get(name="Sgoil Ghàidhlig Ghlaschu")
    assert setting.authority == glasgow
    assert setting.language_medium == LanguageMedium.GAELIC
    assert setting.reference_number == "8433321"


def test_a_setting_without_a_name_is_refused_with_a_message(
    administrator_client: Client, glasgow: LocalAuthority
) -> None:
    response = administrator_client.post(
        reverse("organisations:setting_create", args=[glasgow.pk]),
        {"name": "", "setting_type": SettingType.PRIMARY, "language_medium": "english"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Enter the name of the school, nursery or college." in response.content.decode()
    assert not Setting.objects.exists()


def test_a_duplicate_setting_name_in_the_same_authority_is_a_field_error_not_a_crash(
    administrator_client: Client, glasgow: LocalAuthority, school: Setting
) -> None:
    response = administrator_client.post(
        reverse("organisations:setting_create", args=[glasgow.pk]),
        {
            "name": "riverside primary school",
            "setting_type": SettingType.PRIMARY,
            "language_medium": LanguageMedium.ENGLISH,
            "reference_number": "1234567",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Glasgow City already has a school, nursery or college called riverside primary school. "
        "Use a different name, or change the existing one."
    ]
    # What was typed is kept.
    assert 'value="1234567"' in response.content.decode()
    assert Setting.objects.count() == 1


def test_the_same_setting_name_is_allowed_in_another_authority(
    administrator_client: Client, school: Setting, cardiff: LocalAuthority
) -> None:
    response = administrator_client.post(
        reverse("organisations:setting_create", args=[cardiff.pk]),
        {"name": school.name, "setting_type": SettingType.PRIMARY, "language_medium": "english"},
    )
    assert response.status_code == 302
    assert Setting.objects.filter(name=school.name).count() == 2


def test_an_administrator_changes_a_setting(administrator_client: Client, school: Setting) -> None:
    edit = reverse("organisations:setting_update", args=[school.pk])
    assert 'value="Riverside Primary School"' in administrator_client.get(edit).content.decode()
    response = administrator_client.post(
        edit,
        {
            "name": "Riverside Primary and Nursery",
            "name_cy": "",
            "setting_type": SettingType.PRIMARY,
            "language_medium": LanguageMedium.ENGLISH,
            "reference_number": "",
        },
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "Riverside Primary and Nursery"


def test_renaming_a_setting_to_a_neighbours_name_is_refused(
    administrator_client: Client, school: Setting, glasgow: LocalAuthority
) -> None:
    Setting.objects.create(
        authority=glasgow, name="Hillhead Primary School", setting_type=SettingType.PRIMARY
    )
    response = administrator_client.post(
        reverse("organisations:setting_update", args=[school.pk]),
        {
            "name": "Hillhead Primary School",
            "setting_type": "primary",
            "language_medium": "english",
        },
    )
    assert response.status_code == 200
    assert "already has a school, nursery or college called" in response.content.decode()
    school.refresh_from_db()
    assert school.name == "Riverside Primary School"


def test_an_administrator_adds_an_agency_to_an_authority(
    administrator_client: Client, glasgow: LocalAuthority
) -> None:
    response = administrator_client.post(
        reverse("organisations:agency_create", args=[glasgow.pk]),
        {"name": "Glasgow CAMHS", "name_cy": "", "agency_type": AgencyType.CAMHS},
    )
    assert response.status_code == 302
    assert Agency.objects.get(name="Glasgow CAMHS").authority == glasgow


def test_an_agency_without_a_type_is_refused_with_a_message(
    administrator_client: Client, glasgow: LocalAuthority
) -> None:
    response = administrator_client.post(
        reverse("organisations:agency_create", args=[glasgow.pk]), {"name": "Glasgow CAMHS"}
    )
    assert response.status_code == 200
    assert "Choose the type of agency." in response.content.decode()
    assert 'value="Glasgow CAMHS"' in response.content.decode()
    assert not Agency.objects.exists()


def test_a_duplicate_agency_name_in_the_same_authority_is_a_field_error(
    administrator_client: Client, glasgow: LocalAuthority, agency: Agency
) -> None:
    response = administrator_client.post(
        reverse("organisations:agency_create", args=[glasgow.pk]),
        {"name": agency.name, "agency_type": AgencyType.SOCIAL_WORK},
    )
    assert response.status_code == 200
    assert "already has an agency called" in response.context["form"].errors["name"][0]
    assert Agency.objects.count() == 1


def test_an_administrator_changes_an_agency(administrator_client: Client, agency: Agency) -> None:
    response = administrator_client.post(
        reverse("organisations:agency_update", args=[agency.pk]),
        {"name": agency.name, "name_cy": "Therapi Lleferydd", "agency_type": agency.agency_type},
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.name_cy == "Therapi Lleferydd"


# People ---------------------------------------------------------------------------------------


def test_the_people_list_shows_each_person_with_their_current_roles(
    administrator_client: Client, class_teacher: User
) -> None:
    content = administrator_client.get(reverse("organisations:person_list")).content.decode()
    assert "Tam Teacher" in content
    assert "Class teacher, Riverside Primary School" in content
    assert "System administrator" in content


def test_the_people_list_leaves_out_ended_roles(
    administrator_client: Client, class_teacher: User, membership: Membership
) -> None:
    membership.ended_on = timezone.localdate() - timedelta(days=1)
    membership.save()
    content = administrator_client.get(reverse("organisations:person_list")).content.decode()
    assert "Tam Teacher" in content
    assert "Class teacher, Riverside Primary School" not in content


def test_the_people_list_is_searched_by_name_or_email(
    administrator_client: Client, class_teacher: User
) -> None:
    url = reverse("organisations:person_list")
    by_name = administrator_client.get(url, {"search": "tam"})
    assert [p.email for p in by_name.context["page"].object_list] == ["teacher@example.org"]
    by_email = administrator_client.get(url, {"search": "admin@"})
    assert [p.email for p in by_email.context["page"].object_list] == ["admin@example.org"]
    nobody = administrator_client.get(url, {"search": "nobody"})
    assert "Nobody matches" in nobody.content.decode()


def make_people(count: int, school: Setting, agency: Agency, prefix: str = "person") -> None:
    """People with roles at every kind of organisation, so every label's lookups are exercised."""
    scotland = Nation.objects.get(code=Nation.SCOTLAND)
    places = [
        {"role": Role.CLASS_TEACHER, "setting": school},
        {"role": Role.LOCAL_AUTHORITY_OFFICER, "authority": school.authority},
        {"role": Role.AGENCY_PRACTITIONER, "agency": agency},
        {"role": Role.NATIONAL_ANALYST, "nation": scotland},
    ]
    for number in range(count):
        person = User.objects.create_user(f"{prefix}{number}@example.org", full_name=f"{number}")
        Membership.objects.create(user=person, started_on=date(2020, 8, 1), **places[number % 4])


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_people_list_takes_as_many_queries_for_30_people_as_for_3(
    administrator_client: Client,
    school: Setting,
    agency: Agency,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    url = reverse("organisations:person_list")
    make_people(3, school, agency)
    for_three = count_queries(administrator_client, url)
    make_people(27, school, agency, prefix="more")
    with django_assert_num_queries(for_three):
        response = administrator_client.get(url)
    # The administrator and 30 others, all on one page.
    assert len(response.context["page"].object_list) == 31


def test_the_membership_list_takes_as_many_queries_for_30_memberships_as_for_3(
    administrator_client: Client,
    school: Setting,
    agency: Agency,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    url = reverse("organisations:membership_list")
    make_people(3, school, agency)
    for_three = count_queries(administrator_client, url)
    make_people(27, school, agency, prefix="more")
    with django_assert_num_queries(for_three):
        response = administrator_client.get(url)
    assert len(response.context["page"].object_list) == 31


@pytest.mark.parametrize("list_name", ["person_list", "membership_list"])
def test_the_administration_lists_page_by_cursor_and_refuse_a_tampered_one(
    administrator_client: Client,
    school: Setting,
    agency: Agency,
    monkeypatch: pytest.MonkeyPatch,
    list_name: str,
) -> None:
    monkeypatch.setattr("stagewise.organisations.views.PEOPLE_PAGE_SIZE", 4)
    monkeypatch.setattr("stagewise.organisations.views.MEMBERSHIPS_PAGE_SIZE", 4)
    make_people(10, school, agency)
    url = reverse(f"organisations:{list_name}")
    everyone = [row.pk for row in administrator_client.get(url).context["page"].object_list]
    shown: list[int] = []
    cursor = ""
    while True:
        page = administrator_client.get(url, {"cursor": cursor} if cursor else {}).context["page"]
        shown += [row.pk for row in page.object_list]
        if not page.has_next:
            break
        cursor = page.next_cursor

    tampered = administrator_client.get(url, {"cursor": cursor[:-1]})

    assert len(shown) == len(set(shown)) >= 10
    assert shown[:4] == everyone
    assert tampered.status_code == 200
    assert [row.pk for row in tampered.context["page"].object_list] == everyone
    assert "The link to that page of the list was not valid" in tampered.content.decode()


def test_the_index_takes_as_many_queries_however_many_settings_there_are(
    administrator_client: Client, glasgow: LocalAuthority, cardiff: LocalAuthority
) -> None:
    url = reverse("organisations:index")
    before = count_queries(administrator_client, url)
    for number in range(10):
        Setting.objects.create(authority=cardiff, name=f"Ysgol {number}", setting_type="primary")
        Agency.objects.create(authority=glasgow, name=f"Agency {number}", agency_type="camhs")
    assert count_queries(administrator_client, url) == before


def test_an_administrator_creates_a_person_with_a_password(administrator_client: Client) -> None:
    response = administrator_client.post(
        reverse("organisations:person_create"),
        {
            "email": "New.Teacher@Example.org",
            "full_name": "Nia Newton",
            "preferred_language": "cy",
            "password": "purple-otters-juggle-quietly",
        },
    )
    person = User.objects.get(email="new.teacher@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:person_detail", args=[person.pk])
    assert person.full_name == "Nia Newton"
    assert person.preferred_language == "cy"
    assert person.check_password("purple-otters-juggle-quietly")


def test_a_person_created_without_a_password_must_reset_it_to_sign_in(
    administrator_client: Client,
) -> None:
    administrator_client.post(
        reverse("organisations:person_create"),
        {"email": "someone@example.org", "full_name": "Sam Someone", "preferred_language": "en"},
    )
    person = User.objects.get(email="someone@example.org")
    assert not person.has_usable_password()
    page = administrator_client.get(reverse("organisations:person_detail", args=[person.pk]))
    assert "Forgotten your password?" in page.content.decode()


def test_a_weak_password_is_refused_and_nothing_is_saved(administrator_client: Client) -> None:
    response = administrator_client.post(
        reverse("organisations:person_create"),
        {
            "email": "weak@example.org",
            "full_name": "Wendy Weak",
            "preferred_language": "en",
            "password": "password",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert response.context["form"].errors["password"]
    assert 'value="weak@example.org"' in content
    assert 'value="password"' not in content  # a password is never sent back to the browser
    assert not User.objects.filter(email="weak@example.org").exists()


def test_a_second_account_with_the_same_email_is_refused(
    administrator_client: Client, class_teacher: User
) -> None:
    response = administrator_client.post(
        reverse("organisations:person_create"),
        {"email": "TEACHER@example.org", "full_name": "Another", "preferred_language": "en"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "There is already an account with this email address."
    ]
    assert User.objects.filter(email__iexact="teacher@example.org").count() == 1


def test_a_person_without_a_name_or_email_is_refused(administrator_client: Client) -> None:
    before = User.objects.count()
    response = administrator_client.post(
        reverse("organisations:person_create"), {"email": "", "full_name": ""}
    )
    assert response.status_code == 200
    assert "Enter the person&#x27;s email address." in response.content.decode()
    assert "Enter the person&#x27;s full name." in response.content.decode()
    assert User.objects.count() == before


def test_the_person_page_shows_their_memberships(
    administrator_client: Client, class_teacher: User, membership: Membership
) -> None:
    response = administrator_client.get(
        reverse("organisations:person_detail", args=[class_teacher.pk])
    )
    content = response.content.decode()
    assert "teacher@example.org" in content
    assert "Class teacher" in content
    assert "Riverside Primary School" in content
    assert reverse("organisations:membership_end", args=[membership.pk]) in content
    assert reverse("organisations:membership_create", args=[class_teacher.pk]) in content


def test_the_person_page_calls_a_welsh_support_for_learning_lead_an_alnco(
    administrator_client: Client, cardiff: LocalAuthority, class_teacher: User
) -> None:
    ysgol = Setting.objects.create(authority=cardiff, name="Ysgol Example", setting_type="primary")
    Membership.objects.create(
        user=class_teacher, role=Role.SUPPORT_FOR_LEARNING_LEAD, setting=ysgol
    )
    response = administrator_client.get(
        reverse("organisations:person_detail", args=[class_teacher.pk])
    )
    assert "Additional learning needs co-ordinator (ALNCo)" in response.content.decode()


# Memberships ----------------------------------------------------------------------------------


def test_an_administrator_makes_a_person_a_head_teacher_at_a_school(
    administrator_client: Client, class_teacher: User, school: Setting
) -> None:
    url = reverse("organisations:membership_create", args=[class_teacher.pk])
    assert "Riverside Primary School (Glasgow City)" in (
        administrator_client.get(url).content.decode()
    )
    response = administrator_client.post(
        url,
        {"role": Role.HEAD_TEACHER, "setting": school.pk}
        | date_fields("started_on", date(2026, 8, 17)),
    )
    assert response.status_code == 302
    head = class_teacher.memberships.get(role=Role.HEAD_TEACHER)
    assert head.setting == school
    assert head.started_on == date(2026, 8, 17)
    assert head.ended_on is None


def test_an_administrator_makes_a_person_a_national_analyst(
    administrator_client: Client, class_teacher: User
) -> None:
    wales = Nation.objects.get(code=Nation.WALES)
    response = administrator_client.post(
        reverse("organisations:membership_create", args=[class_teacher.pk]),
        {"role": Role.NATIONAL_ANALYST, "nation": wales.pk}
        | date_fields("started_on", date(2026, 1, 5)),
    )
    assert response.status_code == 302
    assert class_teacher.memberships.get(role=Role.NATIONAL_ANALYST).nation == wales


def test_an_administrator_makes_a_person_a_policy_officer_at_a_national_body(
    administrator_client: Client, class_teacher: User
) -> None:
    board = NationalBody.objects.create(
        nation=Nation.objects.get(code=Nation.SCOTLAND),
        code="asl-project-board",
        name="ASL Project Board",
        kind=NationalBodyKind.PROGRAMME_BOARD,
    )
    url = reverse("organisations:membership_create", args=[class_teacher.pk])
    started = date_fields("started_on", date(2026, 1, 5))

    without_body = administrator_client.post(url, {"role": Role.POLICY_OFFICER} | started)
    response = administrator_client.post(
        url, {"role": Role.POLICY_OFFICER, "national_body": board.pk} | started
    )

    assert "Choose the national body." in without_body.content.decode()
    assert response.status_code == 302
    membership = class_teacher.memberships.get(role=Role.POLICY_OFFICER)
    assert (membership.national_body, str(membership)) == (
        board,
        "Policy officer, ASL Project Board",
    )


def test_a_role_at_the_wrong_kind_of_organisation_is_shown_against_that_field(
    administrator_client: Client, class_teacher: User, school: Setting, glasgow: LocalAuthority
) -> None:
    response = administrator_client.post(
        reverse("organisations:membership_create", args=[class_teacher.pk]),
        {"role": Role.LOCAL_AUTHORITY_OFFICER, "setting": school.pk}
        | date_fields("started_on", date(2026, 1, 5)),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "setting": ["This role is not held at a school, nursery or college: leave it empty."]
    }
    assert "There is a problem" in response.content.decode()
    assert class_teacher.memberships.count() == 1


def test_a_school_role_without_a_school_asks_for_one(
    administrator_client: Client, class_teacher: User
) -> None:
    response = administrator_client.post(
        reverse("organisations:membership_create", args=[class_teacher.pk]),
        {"role": Role.HEAD_TEACHER} | date_fields("started_on", date(2026, 1, 5)),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["setting"] == ["Choose the school, nursery or college."]
    assert class_teacher.memberships.count() == 1


def test_an_end_date_before_the_start_date_is_refused(
    administrator_client: Client, class_teacher: User, school: Setting
) -> None:
    response = administrator_client.post(
        reverse("organisations:membership_create", args=[class_teacher.pk]),
        {"role": Role.HEAD_TEACHER, "setting": school.pk}
        | date_fields("started_on", date(2026, 8, 17))
        | date_fields("ended_on", date(2026, 8, 1)),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ended_on"] == [
        "The end date must be the same as or after the start date."
    ]
    # The dates typed are kept.
    assert 'value="17"' in response.content.decode()
    assert class_teacher.memberships.count() == 1


def test_a_date_that_does_not_exist_is_refused(
    administrator_client: Client, class_teacher: User, school: Setting
) -> None:
    response = administrator_client.post(
        reverse("organisations:membership_create", args=[class_teacher.pk]),
        {
            "role": Role.HEAD_TEACHER,
            "setting": school.pk,
            "started_on_0": "31",
            "started_on_1": "2",
            "started_on_2": "2026",
        },
    )
    assert response.status_code == 200
    assert "Enter a real date" in response.context["form"].errors["started_on"][0]
    assert class_teacher.memberships.count() == 1


def test_the_same_role_at_the_same_school_twice_at_once_is_refused(
    administrator_client: Client, class_teacher: User, school: Setting
) -> None:
    response = administrator_client.post(
        reverse("organisations:membership_create", args=[class_teacher.pk]),
        {"role": Role.CLASS_TEACHER, "setting": school.pk}
        | date_fields("started_on", date(2026, 8, 17)),
    )
    assert response.status_code == 200
    assert "already has this role there" in response.context["form"].errors["role"][0]
    assert class_teacher.memberships.count() == 1


def test_the_end_page_asks_for_confirmation_and_ends_nothing_on_viewing(
    administrator_client: Client, membership: Membership
) -> None:
    response = administrator_client.get(
        reverse("organisations:membership_end", args=[membership.pk])
    )
    assert "Are you sure you want to end this membership?" in response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_an_administrator_ends_a_membership(
    administrator_client: Client, membership: Membership
) -> None:
    today = timezone.localdate()
    response = administrator_client.post(
        reverse("organisations:membership_end", args=[membership.pk]),
        date_fields("ended_on", today),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:person_detail", args=[membership.user_id])
    membership.refresh_from_db()
    assert membership.ended_on == today


def test_a_membership_cannot_end_before_it_started(
    administrator_client: Client, membership: Membership
) -> None:
    response = administrator_client.post(
        reverse("organisations:membership_end", args=[membership.pk]),
        date_fields("ended_on", date(2019, 1, 1)),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ended_on"] == [
        "The end date must be the same as or after the start date."
    ]
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_the_only_system_administrator_cannot_end_their_own_membership(
    administrator_client: Client, administrator: User
) -> None:
    own = administrator.memberships.get()
    response = administrator_client.post(
        reverse("organisations:membership_end", args=[own.pk]),
        date_fields("ended_on", timezone.localdate()),
    )
    assert response.status_code == 200
    assert "only system administrator" in response.content.decode()
    own.refresh_from_db()
    assert own.ended_on is None


def test_the_membership_list_shows_current_memberships_and_filters_by_role(
    administrator_client: Client, class_teacher: User
) -> None:
    url = reverse("organisations:membership_list")
    everyone = administrator_client.get(url)
    assert {m.user.email for m in everyone.context["page"].object_list} == {
        "admin@example.org",
        "teacher@example.org",
    }
    teachers = administrator_client.get(url, {"role": Role.CLASS_TEACHER})
    assert [m.user.email for m in teachers.context["page"].object_list] == ["teacher@example.org"]


@pytest.mark.parametrize(
    "path",
    [
        "/administration/settings/999999/change/",
        "/administration/agencies/999999/change/",
        "/administration/authorities/999999/settings/add/",
        "/administration/authorities/999999/agencies/add/",
    ],
)
def test_non_administrators_are_refused_before_any_lookup(client, class_teacher, path):
    client.force_login(class_teacher)

    assert client.get(path).status_code == 403
