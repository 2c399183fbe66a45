"""Profiles: who sees and edits which, the profile rules, certifications, the owner's specialties, the audit."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.dates import gym_today
from apps.core.errors import ApplicationError
from apps.trainers.models import Certification, Specialty, Trainer
from apps.trainers.selectors.profile import trainer_get
from apps.trainers.services.profile import (
    certification_create,
    certification_delete,
    certification_update,
    photo_set,
    profile_update,
)
from apps.trainers.services.specialties import (
    specialty_create,
    specialty_deactivate,
    specialty_delete,
    specialty_reactivate,
    specialty_rename,
)
from tenants.models import Role
from tests.factories import TrainerFactory
from tests.support import member

from .images import jpeg, upload, use_tmp_media

ROLES = [Role.OWNER, Role.SENIOR, Role.TRAINER, Role.ASSISTANT]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


def reload(gym, trainer):
    connection.set_tenant(gym)
    trainer = Trainer.objects.prefetch_related("specialties").get(pk=trainer.pk)
    connection.set_schema_to_public()
    return trainer


def last_entry(action):
    return AuditEntry.objects.filter(action=action).latest("id")


# --- who sees and who edits ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_and_edits_their_own_profile(gym_a, client_a, role):
    me = member(gym_a, role)
    client_a.login_as(me)
    assert client_a.get(f"/trainers/{me.pk}/").status_code == 200
    assert client_a.get(f"/trainers/{me.pk}/edit/").status_code == 200
    response = client_a.post(f"/trainers/{me.pk}/edit/", {"public_name": "Coach Me", "bio": "Hello."})
    assert response.status_code == 302
    assert response["Location"] == f"/trainers/{me.pk}/"
    me = reload(gym_a, me)
    assert (me.public_name, me.bio) == ("Coach Me", "Hello.")


@pytest.mark.parametrize(
    ("role", "view", "edit"),
    [
        (Role.OWNER, 200, 200),
        (Role.SENIOR, 200, 404),
        (Role.TRAINER, 404, 404),
        (Role.ASSISTANT, 404, 404),
    ],
)
def test_a_colleagues_profile_by_role(gym_a, client_a, role, view, edit):
    colleague = member(gym_a, Role.TRAINER, public_name="Before")
    client_a.login_as(member(gym_a, role))
    assert client_a.get(f"/trainers/{colleague.pk}/").status_code == view
    assert client_a.get(f"/trainers/{colleague.pk}/edit/").status_code == edit
    response = client_a.post(f"/trainers/{colleague.pk}/edit/", {"public_name": "After"})
    assert response.status_code == (302 if edit == 200 else 404)
    assert reload(gym_a, colleague).public_name == ("After" if edit == 200 else "Before")


def test_a_senior_sees_a_colleagues_profile_without_an_edit_button(gym_a, client_a):
    colleague = member(gym_a)
    content = client_a.login_as(member(gym_a, Role.SENIOR)).get(f"/trainers/{colleague.pk}/").content.decode()
    assert f"/trainers/{colleague.pk}/edit/" not in content


def test_the_owner_sees_an_edit_button_on_any_profile(gym_a, client_a):
    colleague = member(gym_a)
    content = client_a.login_as(member(gym_a, Role.OWNER)).get(f"/trainers/{colleague.pk}/").content.decode()
    assert f"/trainers/{colleague.pk}/edit/" in content


def test_an_unknown_trainer_answers_404(gym_a, client_a):
    client_a.login_as(member(gym_a, Role.OWNER))
    assert client_a.get("/trainers/999999/").status_code == 404
    assert client_a.get("/trainers/999999/edit/").status_code == 404


def test_my_profile_leads_to_my_page(gym_a, client_a):
    me = member(gym_a)
    response = client_a.login_as(me).get("/profile/")
    assert response.status_code == 302
    assert response["Location"] == f"/trainers/{me.pk}/"


def test_anonymous_visitors_are_sent_to_sign_in(gym_a, client_a):
    colleague = member(gym_a)
    response = client_a.get(f"/trainers/{colleague.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("role", "own", "allowed"),
    [
        (Role.OWNER, False, True),
        (Role.SENIOR, False, False),
        (Role.TRAINER, False, False),
        (Role.ASSISTANT, False, False),
        (Role.ASSISTANT, True, True),
    ],
)
def test_profile_update_checks_the_right_itself(in_gym_a, role, own, allowed):
    actor = TrainerFactory(role=role)
    subject = actor if own else TrainerFactory()
    if allowed:
        assert profile_update(actor=actor, trainer=subject, bio="Hi").bio == "Hi"
    else:
        with pytest.raises(ApplicationError, match="You cannot change this profile."):
            profile_update(actor=actor, trainer=subject, bio="Hi")


def test_a_deactivated_trainer_changes_nothing(in_gym_a):
    actor = TrainerFactory(is_active=False)
    with pytest.raises(ApplicationError):
        profile_update(actor=actor, trainer=actor, bio="Hi")


def test_the_selector_refuses_what_the_role_may_not_see(in_gym_a):
    trainer, colleague, senior = TrainerFactory(), TrainerFactory(), TrainerFactory(role=Role.SENIOR)
    assert trainer_get(actor=trainer, pk=colleague.pk) is None
    assert trainer_get(actor=senior, pk=colleague.pk) == colleague


# --- the profile page ------------------------------------------------------------------------------------------


def test_the_profile_page_shows_everything(gym_a, client_a):
    connection.set_tenant(gym_a)
    coach = TrainerFactory(user__full_name="Tara Kim")
    yoga, _hiit = Specialty.objects.create(name="Yoga"), Specialty.objects.create(name="HIIT")
    profile_update(
        actor=coach,
        trainer=coach,
        public_name="Coach Tara",
        bio="Strength first.\nThen mobility.",
        years_of_experience=7,
        languages=["Korean", "English"],
        phone="+82 10 1234 5678",
        specialties=[yoga],
        tags=["Kettlebells"],
    )
    today = gym_today()
    certification_create(
        actor=coach, trainer=coach, name="NSCA-CPT", issuing_body="NSCA", earned_on=today - timedelta(days=900)
    )
    certification_create(
        actor=coach,
        trainer=coach,
        name="First Aid",
        issuing_body="Red Cross",
        earned_on=today - timedelta(days=800),
        expires_on=today - timedelta(days=1),
    )
    certification_create(
        actor=coach,
        trainer=coach,
        name="Kettlebell Level 1",
        issuing_body="StrongFirst",
        earned_on=today - timedelta(days=10),
        expires_on=today,  # still valid today
    )
    photo_set(actor=coach, trainer=coach, upload=upload(jpeg()))
    coach.refresh_from_db()
    connection.set_schema_to_public()

    content = client_a.login_as(coach).get(f"/trainers/{coach.pk}/").content.decode()
    for text in (
        "Coach Tara",
        "Trainer",
        "Strength first.<br>Then mobility.",
        "7 years",
        "Korean, English",
        'href="tel:+821012345678"',
        "Yoga",
        "Kettlebells",
        "NSCA-CPT",
        "Red Cross",
        "Does not expire",
        f'src="/media/gym_alpha/{coach.photo_medium.name}"',
        coach.user.email,
    ):
        assert text in content, text
    assert "HIIT" not in content
    assert content.count('class="badge expired"') == 1
    expired_row = content.split("First Aid")[0].rsplit("<tr", 1)[1]
    assert 'class="expired"' in expired_row


def test_a_profile_without_details_says_so(gym_a, client_a):
    coach = member(gym_a, user__full_name="Nora")
    content = client_a.login_as(coach).get(f"/trainers/{coach.pk}/").content.decode()
    assert "No bio yet." in content
    assert "No certifications yet." in content
    assert 'class="profile-photo initials"' in content
    assert ">N</span>" in content


@pytest.mark.parametrize("rows", [3, 30])
def test_profile_page_query_count_does_not_grow_with_certifications(gym_a, client_a, rows):
    connection.set_tenant(gym_a)
    coach = TrainerFactory()
    today = gym_today()
    Certification.objects.bulk_create(
        Certification(trainer=coach, name=f"Cert {n}", issuing_body="Body", earned_on=today - timedelta(days=n + 1))
        for n in range(rows)
    )
    coach.specialties.set([Specialty.objects.create(name=f"Specialty {n}") for n in range(rows)])
    connection.set_schema_to_public()
    client_a.login_as(coach)
    client_a.get(f"/trainers/{coach.pk}/")
    with CaptureQueriesContext(connection) as queries:
        response = client_a.get(f"/trainers/{coach.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("Cert ") == rows
    # search_path, session, user, trainer (middleware); the profile, its specialties, its certifications
    assert len(queries.captured_queries) == 7, "\n".join(q["sql"][:120] for q in queries.captured_queries)


# --- profile rules ---------------------------------------------------------------------------------------------


@pytest.fixture
def coach(in_gym_a):
    return TrainerFactory()


def test_labels_are_trimmed_and_repeats_dropped(coach):
    coach = profile_update(
        actor=coach,
        trainer=coach,
        tags=["  Mobility   work ", "#HIIT", "hiit", "", "Pre-natal"],
        languages="Korean, english ,  ,English",
        public_name="  Coach   Tara ",
    )
    assert coach.tags == ["Mobility work", "HIIT", "Pre-natal"]
    assert coach.languages == ["Korean", "english"]
    assert coach.public_name == "Coach Tara"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"tags": [f"tag{n}" for n in range(11)]}, "tags", "Add at most 10 tags."),
        ({"tags": ["x" * 41]}, "tags", "is too long: at most 40 characters."),
        ({"languages": [f"lang{n}" for n in range(11)]}, "languages", "List at most 10 languages."),
        ({"languages": ["y" * 41]}, "languages", "is too long: at most 40 characters."),
        ({"phone": "call me"}, "phone", "Enter a phone number with digits"),
        ({"phone": "12345"}, "phone", "Enter a phone number with digits"),
        ({"phone": "+1" + "2" * 16}, "phone", "Enter a phone number with digits"),
        ({"years_of_experience": 71}, "years_of_experience", "from 0 to 70"),
        ({"years_of_experience": -1}, "years_of_experience", "from 0 to 70"),
        ({"years_of_experience": "many"}, "years_of_experience", "from 0 to 70"),
        ({"bio": "b" * 4001}, "bio", "The bio can be at most 4000 characters long (it has 4001)."),
        ({"public_name": "n" * 81}, "public_name", "at most 80 characters"),
        ({"specialties": [987654]}, "specialties", "Choose specialties from the list."),
        ({"specialties": ["yoga"]}, "specialties", "Choose specialties from the list."),
    ],
)
def test_bad_profile_input_is_refused_and_nothing_changes(coach, fields, field, message):
    with pytest.raises(ApplicationError) as refused:
        profile_update(actor=coach, trainer=coach, **{"bio": "unchanged?", **fields})
    assert message in refused.value.message
    assert refused.value.field == field
    coach.refresh_from_db()
    assert coach.bio == ""
    assert not AuditEntry.objects.filter(action="trainer.profile_update").exists()


def test_valid_edges_are_accepted(coach):
    coach = profile_update(
        actor=coach,
        trainer=coach,
        tags=[f"t{n}" for n in range(10)],
        languages=["z" * 40],
        phone="(02) 123-4567",
        years_of_experience=70,
        bio="b" * 4000,
    )
    assert len(coach.tags) == 10
    assert coach.phone == "(02) 123-4567"


def test_unknown_fields_are_a_programming_error(coach):
    with pytest.raises(TypeError, match="role"):
        profile_update(actor=coach, trainer=coach, role=Role.OWNER)


def test_profile_update_is_audited_with_exactly_what_changed(coach):
    yoga = Specialty.objects.create(name="Yoga")
    owner = TrainerFactory(role=Role.OWNER, user__full_name="Olivia Owner")
    profile_update(actor=coach, trainer=coach, bio="Old bio", tags=["A"])
    profile_update(
        actor=owner,
        trainer=coach,
        bio="New bio",
        tags=["A"],
        years_of_experience=3,
        specialties=[yoga.pk],
    )
    entry = last_entry("trainer.profile_update")
    assert entry.changes == {
        "bio": ["Old bio", "New bio"],
        "years_of_experience": [None, 3],
        "specialties": [[], ["Yoga"]],
    }
    assert (entry.actor_id, entry.actor_name) == (owner.pk, "Olivia Owner")
    assert (entry.target_type, entry.target_id) == ("trainers.trainer", str(coach.pk))
    assert entry.sentence == f"Profile of {coach.display_name} updated: bio, years of experience, specialties."
    assert AuditEntry.objects.filter(action="trainer.profile_update").count() == 2


def test_an_update_that_changes_nothing_writes_nothing(coach):
    profile_update(actor=coach, trainer=coach, bio="Same")
    profile_update(actor=coach, trainer=coach, bio="Same ", specialties=[])
    assert AuditEntry.objects.filter(action="trainer.profile_update").count() == 1


def test_specialties_come_from_the_owners_list_on_offer(coach):
    yoga = Specialty.objects.create(name="Yoga")
    retired = Specialty.objects.create(name="Aerobics", is_active=False)
    with pytest.raises(ApplicationError, match="“Aerobics” is no longer offered."):
        profile_update(actor=coach, trainer=coach, specialties=[yoga, retired])
    profile_update(actor=coach, trainer=coach, specialties=[yoga])
    assert [s.name for s in coach.specialties.all()] == ["Yoga"]


def test_a_retired_specialty_already_held_can_be_kept(coach):
    owner = TrainerFactory(role=Role.OWNER)
    yoga = Specialty.objects.create(name="Yoga")
    profile_update(actor=coach, trainer=coach, specialties=[yoga])
    specialty_deactivate(actor=owner, specialty=yoga)
    profile_update(actor=coach, trainer=coach, specialties=[yoga], bio="Still yoga")
    assert list(coach.specialties.all()) == [yoga]


def test_the_edit_form_shows_service_errors_on_their_field(gym_a, client_a):
    coach = member(gym_a)
    tags = ", ".join(f"tag{n}" for n in range(11))
    response = client_a.login_as(coach).post(f"/trainers/{coach.pk}/edit/", {"tags": tags, "bio": "Hi"})
    assert response.status_code == 400
    content = response.content.decode()
    assert '<ul class="errorlist"><li>Add at most 10 tags.</li></ul>' in content
    assert tags in content  # what was typed stays in the form
    assert reload(gym_a, coach).bio == ""


def test_the_edit_form_saves_specialties_and_lists(gym_a, client_a):
    connection.set_tenant(gym_a)
    yoga = Specialty.objects.create(name="Yoga")
    Specialty.objects.create(name="Retired", is_active=False)
    connection.set_schema_to_public()
    coach = member(gym_a)
    client_a.login_as(coach)
    page = client_a.get(f"/trainers/{coach.pk}/edit/").content.decode()
    assert "Yoga" in page
    assert "Retired" not in page  # not on offer and not held
    response = client_a.post(
        f"/trainers/{coach.pk}/edit/",
        {"specialties": [yoga.pk], "tags": "Boxing, boxing, TRX", "languages": "Korean", "years_of_experience": "4"},
    )
    assert response.status_code == 302
    coach = reload(gym_a, coach)
    assert [s.name for s in coach.specialties.all()] == ["Yoga"]
    assert coach.tags == ["Boxing", "TRX"]
    assert coach.languages == ["Korean"]
    assert coach.years_of_experience == 4


# --- certifications --------------------------------------------------------------------------------------------


def test_a_certification_is_added_and_audited(coach):
    earned = gym_today() - timedelta(days=30)
    expires = earned + timedelta(days=730)
    certification = certification_create(
        actor=coach, trainer=coach, name=" NASM  CPT ", issuing_body="NASM", earned_on=earned, expires_on=expires
    )
    assert certification.name == "NASM CPT"
    entry = last_entry("certification.create")
    assert entry.changes == {
        "name": [None, "NASM CPT"],
        "issuing_body": [None, "NASM"],
        "earned_on": [None, earned.isoformat()],
        "expires_on": [None, expires.isoformat()],
    }
    assert (entry.target_type, entry.target_id) == ("trainers.certification", str(certification.pk))


@pytest.mark.parametrize(
    ("earned", "expires", "field", "message"),
    [
        (1, None, "earned_on", "The date earned cannot be in the future."),
        (-10, -10, "expires_on", "The expiry date must be after the date earned."),
        (-10, -11, "expires_on", "The expiry date must be after the date earned."),
    ],
)
def test_certification_dates_are_checked(coach, earned, expires, field, message):
    today = gym_today()
    with pytest.raises(ApplicationError) as refused:
        certification_create(
            actor=coach,
            trainer=coach,
            name="CPR",
            issuing_body="Red Cross",
            earned_on=today + timedelta(days=earned),
            expires_on=None if expires is None else today + timedelta(days=expires),
        )
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not Certification.objects.exists()


def test_earned_today_and_already_expired_are_both_fine(coach):
    today = gym_today()
    certification_create(actor=coach, trainer=coach, name="A", issuing_body="B", earned_on=today)
    certification_create(
        actor=coach,
        trainer=coach,
        name="Old",
        issuing_body="B",
        earned_on=today - timedelta(days=400),
        expires_on=today - timedelta(days=35),
    )
    assert Certification.objects.filter(trainer=coach).count() == 2


def test_today_is_the_gyms_today(in_gym_a):
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):  # UTC+14 and UTC-11: a day apart most hours
        in_gym_a.timezone = zone
        assert gym_today() == timezone.localdate(timezone=ZoneInfo(zone))


def test_a_certification_is_updated_and_audited(coach):
    today = gym_today()
    certification = certification_create(
        actor=coach, trainer=coach, name="CPR", issuing_body="Red Cross", earned_on=today - timedelta(days=100)
    )
    certification_update(actor=coach, certification=certification, name="CPR", expires_on=today + timedelta(days=265))
    entry = last_entry("certification.update")
    assert entry.changes == {"expires_on": [None, (today + timedelta(days=265)).isoformat()]}
    with pytest.raises(ApplicationError, match="The expiry date must be after the date earned."):
        certification_update(actor=coach, certification=certification, expires_on=today - timedelta(days=100))
    certification.refresh_from_db()
    assert certification.expires_on == today + timedelta(days=265)


def test_a_certification_is_deleted_and_audited(coach):
    earned = gym_today() - timedelta(days=5)
    certification = certification_create(actor=coach, trainer=coach, name="CPR", issuing_body="RC", earned_on=earned)
    pk = certification.pk
    certification_delete(actor=coach, certification=certification)
    assert not Certification.objects.filter(pk=pk).exists()
    entry = last_entry("certification.delete")
    assert entry.target_id == str(pk)
    assert entry.changes == {
        "name": ["CPR", None],
        "issuing_body": ["RC", None],
        "earned_on": [earned.isoformat(), None],
        "expires_on": [None, None],
    }


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER, Role.ASSISTANT])
def test_certifications_of_a_colleague_are_refused(coach, role):
    actor = TrainerFactory(role=role)
    earned = gym_today() - timedelta(days=5)
    with pytest.raises(ApplicationError, match="You cannot change this profile."):
        certification_create(actor=actor, trainer=coach, name="X", issuing_body="Y", earned_on=earned)
    certification = certification_create(actor=coach, trainer=coach, name="X", issuing_body="Y", earned_on=earned)
    with pytest.raises(ApplicationError):
        certification_update(actor=actor, certification=certification, name="Z")
    with pytest.raises(ApplicationError):
        certification_delete(actor=actor, certification=certification)
    assert Certification.objects.get(pk=certification.pk).name == "X"


def test_certification_pages(gym_a, client_a):
    coach = member(gym_a)
    client_a.login_as(coach)
    earned = (gym_today() - timedelta(days=20)).isoformat()
    response = client_a.post(
        f"/trainers/{coach.pk}/certifications/",
        {"name": "CPR", "issuing_body": "Red Cross", "earned_on": earned, "expires_on": earned},
    )
    assert response.status_code == 400
    assert b"The expiry date must be after the date earned." in response.content
    response = client_a.post(
        f"/trainers/{coach.pk}/certifications/",
        {"name": "CPR", "issuing_body": "Red Cross", "earned_on": earned},
        follow=True,
    )
    assert response.redirect_chain == [(f"/trainers/{coach.pk}/edit/#certifications", 302)]
    assert b"Certification added." in response.content
    connection.set_tenant(gym_a)
    certification = Certification.objects.get(trainer=coach)
    connection.set_schema_to_public()
    url = f"/trainers/{coach.pk}/certifications/{certification.pk}/"
    assert client_a.get(url).status_code == 200
    response = client_a.post(url, {"name": "CPR/AED", "issuing_body": "Red Cross", "earned_on": earned})
    assert response.status_code == 302
    assert client_a.post(url + "delete/").status_code == 302
    connection.set_tenant(gym_a)
    assert not Certification.objects.filter(trainer=coach).exists()
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "certification.create",
        "certification.update",
        "certification.delete",
    ]


def test_a_certification_of_someone_else_answers_404_even_under_my_own_address(gym_a, client_a):
    me, colleague = member(gym_a), member(gym_a)
    connection.set_tenant(gym_a)
    theirs = Certification.objects.create(
        trainer=colleague, name="X", issuing_body="Y", earned_on=gym_today() - timedelta(days=3)
    )
    connection.set_schema_to_public()
    client_a.login_as(me)
    assert client_a.get(f"/trainers/{me.pk}/certifications/{theirs.pk}/").status_code == 404
    assert client_a.post(f"/trainers/{me.pk}/certifications/{theirs.pk}/delete/").status_code == 404
    assert client_a.post(f"/trainers/{colleague.pk}/certifications/{theirs.pk}/delete/").status_code == 404
    connection.set_tenant(gym_a)
    assert Certification.objects.filter(pk=theirs.pk).exists()


# --- the owner's specialties -----------------------------------------------------------------------------------


@pytest.fixture
def owner(in_gym_a):
    return TrainerFactory(role=Role.OWNER)


def test_the_owner_creates_renames_and_retires_specialties(owner):
    yoga = specialty_create(actor=owner, name="  Yoga ")
    assert yoga.name == "Yoga"
    assert last_entry("specialty.create").changes == {"name": [None, "Yoga"]}
    specialty_rename(actor=owner, specialty=yoga, name="Vinyasa yoga")
    assert last_entry("specialty.rename").changes == {"name": ["Yoga", "Vinyasa yoga"]}
    specialty_deactivate(actor=owner, specialty=yoga)
    assert last_entry("specialty.deactivate").changes == {"is_active": [True, False]}
    specialty_reactivate(actor=owner, specialty=yoga)
    assert last_entry("specialty.reactivate").changes == {"is_active": [False, True]}
    yoga.refresh_from_db()
    assert (yoga.name, yoga.is_active) == ("Vinyasa yoga", True)


def test_specialty_names_are_unique_whatever_the_case(owner):
    yoga = specialty_create(actor=owner, name="Yoga")
    pilates = specialty_create(actor=owner, name="Pilates")
    with pytest.raises(ApplicationError, match="There is already a specialty called “yoga”."):
        specialty_create(actor=owner, name="yoga")
    with pytest.raises(ApplicationError, match="There is already a specialty called “YOGA”."):
        specialty_rename(actor=owner, specialty=pilates, name="YOGA")
    with pytest.raises(ApplicationError, match="Enter a name."):
        specialty_create(actor=owner, name="   ")
    specialty_rename(actor=owner, specialty=yoga, name="YOGA")  # its own name in other letters is fine
    assert Specialty.objects.count() == 2


def test_a_specialty_in_use_cannot_be_deleted(owner, coach):
    yoga = specialty_create(actor=owner, name="Yoga")
    profile_update(actor=coach, trainer=coach, specialties=[yoga])
    with pytest.raises(ApplicationError) as refused:
        specialty_delete(actor=owner, specialty=yoga)
    assert refused.value.message == (
        "“Yoga” is on 1 trainer's profile, so it cannot be deleted. Stop offering it instead."
    )
    specialty_deactivate(actor=owner, specialty=yoga)
    assert list(coach.specialties.all()) == [yoga]  # trainers keep it
    unused = specialty_create(actor=owner, name="Zumba")
    pk = unused.pk
    specialty_delete(actor=owner, specialty=unused)
    assert not Specialty.objects.filter(pk=pk).exists()
    entry = last_entry("specialty.delete")
    assert (entry.target_id, entry.changes) == (str(pk), {"name": ["Zumba", None], "is_active": [True, None]})


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER, Role.ASSISTANT])
def test_only_the_owner_manages_specialties(in_gym_a, role):
    actor = TrainerFactory(role=role)
    yoga = Specialty.objects.create(name="Yoga")
    for call in (
        lambda: specialty_create(actor=actor, name="Boxing"),
        lambda: specialty_rename(actor=actor, specialty=yoga, name="Boxing"),
        lambda: specialty_deactivate(actor=actor, specialty=yoga),
        lambda: specialty_delete(actor=actor, specialty=yoga),
    ):
        with pytest.raises(ApplicationError, match="Only the owner manages the list of specialties."):
            call()
    assert list(Specialty.objects.values_list("name", "is_active")) == [("Yoga", True)]


@pytest.mark.parametrize(("role", "status"), [(Role.OWNER, 200), (Role.SENIOR, 403), (Role.TRAINER, 403)])
def test_the_specialties_page_is_the_owners(gym_a, client_a, role, status):
    client_a.login_as(member(gym_a, role))
    assert client_a.get("/team/specialties/").status_code == status
    assert client_a.post("/team/specialties/", {"name": "Boxing"}).status_code == (302 if status == 200 else 403)


def test_the_specialties_page_round_trip(gym_a, client_a):
    client_a.login_as(member(gym_a, Role.OWNER))
    response = client_a.post("/team/specialties/", {"name": "Boxing"}, follow=True)
    assert b"Specialty \xe2\x80\x9cBoxing\xe2\x80\x9d added." in response.content
    response = client_a.post("/team/specialties/", {"name": "boxing"})
    assert response.status_code == 400
    assert "There is already a specialty called “boxing”." in response.content.decode()
    connection.set_tenant(gym_a)
    boxing = Specialty.objects.get()
    connection.set_schema_to_public()
    coach = member(gym_a)
    connection.set_tenant(gym_a)
    coach.specialties.add(boxing)
    connection.set_schema_to_public()
    response = client_a.post(f"/team/specialties/{boxing.pk}/delete/", follow=True)
    assert "so it cannot be deleted. Stop offering it instead." in response.content.decode()
    client_a.post(f"/team/specialties/{boxing.pk}/rename/", {"name": "Kickboxing"})
    client_a.post(f"/team/specialties/{boxing.pk}/deactivate/")
    connection.set_tenant(gym_a)
    boxing.refresh_from_db()
    assert (boxing.name, boxing.is_active) == ("Kickboxing", False)
