"""Services: validation against the template, scope of participants, periods, uploads,
and the exemplar state machine."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from biaoshuai.audit.models import AuditEvent
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.practice import services
from biaoshuai.practice.models import (
    ENDS_BEFORE_START,
    Discussion,
    DiscussionAnswer,
    ExemplarStatus,
    Pairing,
    Placement,
    VisitAttachment,
)

from .conftest import (
    ANSWERS,
    DAY,
    discussion,
    docx_file,
    pairing,
    pdf_file,
    placement,
    png_file,
    visit,
)

pytestmark = pytest.mark.django_db


def test_discussion_keeps_one_answer_per_template_question(campaign, org, users):
    people = [org.people["lishi_a"], org.people["lishi_b"]]
    record = discussion(org.lishi, by=users.liaison_lishi, participants=people, attendance=15)
    assert dict(record.answers.values_list("question_key", "text")) == ANSWERS
    assert set(record.participants.all()) == set(people)
    assert AuditEvent.objects.filter(object_type="practice.discussion", action="create").exists()


def test_discussion_refuses_answers_to_questions_not_in_the_template(campaign, org):
    with pytest.raises(ValidationError) as caught:
        discussion(org.lishi, answers={**ANSWERS, "made_up": "……"})
    assert "made_up" in str(caught.value.message_dict["answers"])
    assert not Discussion.objects.exists()


def test_discussion_needs_every_answer(campaign, org):
    with pytest.raises(ValidationError) as caught:
        discussion(org.lishi, answers={**ANSWERS, "misfits": "  "})
    assert caught.value.message_dict["answers"] == [str(services.ANSWER_MISSING)]


def test_discussion_participants_come_from_the_unit(campaign, org):
    with pytest.raises(ValidationError) as caught:
        discussion(org.lishi, participants=[org.people["zengji_a"]])
    assert "张伟" in caught.value.message_dict["participants"][0]


def test_attendance_counts_at_least_the_cadres_chosen(campaign, org):
    with pytest.raises(ValidationError) as caught:
        discussion(
            org.lishi, participants=[org.people["lishi_a"], org.people["lishi_b"]], attendance=1
        )
    assert caught.value.message_dict["attendance"] == [str(services.ATTENDANCE_BELOW_PARTICIPANTS)]


def test_discussion_update_replaces_answers_and_audits(campaign, org, users):
    record = discussion(org.lishi)
    new = {**ANSWERS, "misfits": "考核办法需要完善。"}
    services.discussion_update(
        discussion=record, by=users.office, answers=new, title="第二次大讨论"
    )
    record.refresh_from_db()
    assert record.title == "第二次大讨论"
    assert (
        DiscussionAnswer.objects.get(discussion=record, question_key="misfits").text
        == new["misfits"]
    )
    event = AuditEvent.objects.filter(action="update", object_type="practice.discussion").get()
    assert set(event.changes) == {"title", "answers"}


def test_there_must_be_a_current_campaign(org):
    with pytest.raises(ValidationError) as caught:
        discussion(org.lishi)
    assert caught.value.messages == [str(services.NO_CURRENT_CAMPAIGN)]


def test_pairing_takes_the_cadres_unit(campaign, org):
    record = pairing(org.people["lishi_b"])
    assert record.unit == org.lishi_sub


def test_pairing_period_cannot_end_before_it_starts(campaign, org):
    with pytest.raises(ValidationError) as caught:
        pairing(org.people["lishi_a"], ends_on=DAY - datetime.timedelta(days=1))
    assert "ends_on" in caught.value.message_dict
    assert not Pairing.objects.exists()


def test_placement_end_after_start_and_kind_from_template(campaign, org):
    with pytest.raises(ValidationError) as caught:
        placement(org.people["lishi_a"], ends_on=DAY - datetime.timedelta(days=1))
    assert caught.value.message_dict["ends_on"] == [str(ENDS_BEFORE_START)]
    with pytest.raises(ValidationError) as caught:
        placement(org.people["lishi_a"], kind="holiday")
    assert "holiday" in caught.value.message_dict["kind"][0]
    one_day = placement(org.people["lishi_a"], kind="study_tour", ends_on=DAY)
    assert one_day.kind == "study_tour"
    assert Placement.objects.count() == 1


def test_placement_report_must_be_pdf_or_docx(campaign, org):
    with pytest.raises(ValidationError) as caught:
        placement(org.people["lishi_a"], report=png_file())
    assert "report" in caught.value.message_dict
    record = placement(org.people["lishi_a"], report=docx_file("体会.docx"))
    assert record.report_name == "体会.docx"
    record = placement(org.people["lishi_b"], report=pdf_file())
    assert record.report.name.endswith(".pdf")


def test_visit_uploads_are_checked_for_type_content_and_size(campaign, org, settings):
    record = pairing(org.people["lishi_a"])
    bad_type = png_file("notes.txt")
    with pytest.raises(ValidationError) as caught:
        visit(record, files=[bad_type])
    assert "notes.txt" in caught.value.message_dict["files"][0]
    renamed = png_file("fake.pdf")
    with pytest.raises(ValidationError):
        visit(record, files=[renamed])
    big = png_file("big.png", size=services.UPLOAD_MAX_MB * 1024 * 1024 + 1)
    with pytest.raises(ValidationError) as caught:
        visit(record, files=[big])
    assert "big.png" in caught.value.message_dict["files"][0]
    assert not record.visits.exists()
    ok = visit(record, files=[png_file(), pdf_file(), docx_file()])
    assert ok.attachments.count() == 3


def test_visit_update_adds_and_removes_attachments(campaign, org, users):
    record = visit(pairing(org.people["lishi_a"]), files=[png_file("a.png")])
    first = record.attachments.get()
    services.visit_update(
        visit=record, by=users.cadre_lishi, files=[pdf_file("b.pdf")], remove=[first], outcome="好"
    )
    assert list(record.attachments.values_list("name", flat=True)) == ["b.pdf"]
    assert not VisitAttachment.objects.filter(pk=first.pk).exists()


# Exemplars


def test_exemplar_flow_only_confirmed_public_records_are_public(campaign, org, users):
    record = discussion(org.lishi)
    assert not Discussion.objects.public().exists()
    services.practice_exemplar_propose(
        record=record,
        by=users.liaison_lishi,
        summary="大讨论形成共识。",
        disclosure=Disclosure.PUBLIC,
    )
    record.refresh_from_db()
    assert record.exemplar_status == ExemplarStatus.PROPOSED
    assert record.disclosure_proposed == Disclosure.PUBLIC
    # A proposal, even proposed as public, publishes nothing.
    assert not Discussion.objects.public().exists()
    services.practice_exemplar_confirm(record=record, by=users.office, disclosure=Disclosure.PUBLIC)
    assert list(Discussion.objects.public()) == [record]
    services.practice_exemplar_disclose(
        record=record, by=users.office, disclosure=Disclosure.INTERNAL
    )
    assert not Discussion.objects.public().exists()
    assert list(Discussion.objects.visible_to(users.liaison_zengji)) == [record]


def test_confirmed_as_internal_or_restricted_is_not_public(campaign, org, users):
    for disclosure in (Disclosure.INTERNAL, Disclosure.RESTRICTED):
        record = placement(org.people["lishi_a"])
        services.practice_exemplar_propose(
            record=record, by=users.cadre_lishi, summary="体会。", disclosure=Disclosure.PUBLIC
        )
        services.practice_exemplar_confirm(record=record, by=users.office, disclosure=disclosure)
    assert Placement.objects.filter(exemplar_status=ExemplarStatus.CONFIRMED).count() == 2
    assert not Placement.objects.public().exists()


def test_exemplar_transitions_are_refused_out_of_order(campaign, org, users):
    record = pairing(org.people["lishi_a"])
    with pytest.raises(ValidationError) as caught:
        services.practice_exemplar_confirm(record=record, by=users.office, disclosure="public")
    assert caught.value.messages == [str(services.EXEMPLAR_NOT_PROPOSED)]
    with pytest.raises(ValidationError):
        services.practice_exemplar_withdraw(record=record, by=users.cadre_lishi)
    with pytest.raises(ValidationError) as caught:
        services.practice_exemplar_propose(
            record=record, by=users.cadre_lishi, summary=" ", disclosure="public"
        )
    assert "summary" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.practice_exemplar_propose(
            record=record, by=users.cadre_lishi, summary="好", disclosure="everyone"
        )
    assert "disclosure" in caught.value.message_dict
    services.practice_exemplar_propose(
        record=record, by=users.cadre_lishi, summary="好", disclosure="public"
    )
    with pytest.raises(ValidationError) as caught:
        services.practice_exemplar_propose(
            record=record, by=users.cadre_lishi, summary="好", disclosure="public"
        )
    assert caught.value.messages == [str(services.EXEMPLAR_ALREADY_PROPOSED)]
    services.practice_exemplar_decline(record=record, by=users.office, note="事例不够典型")
    assert record.exemplar_status == ExemplarStatus.DECLINED
    with pytest.raises(ValidationError):
        services.practice_exemplar_disclose(record=record, by=users.office, disclosure="public")
    # Declined, it may be put forward again; then withdrawn.
    services.practice_exemplar_propose(
        record=record, by=users.cadre_lishi, summary="更好", disclosure="internal"
    )
    services.practice_exemplar_withdraw(record=record, by=users.cadre_lishi)
    assert record.exemplar_status == ExemplarStatus.NONE
    services.practice_exemplar_propose(
        record=record, by=users.cadre_lishi, summary="更好", disclosure="public"
    )
    services.practice_exemplar_confirm(record=record, by=users.office, disclosure="public")
    with pytest.raises(ValidationError) as caught:
        services.practice_exemplar_propose(
            record=record, by=users.cadre_lishi, summary="x", disclosure="public"
        )
    assert caught.value.messages == [str(services.EXEMPLAR_ALREADY_CONFIRMED)]
    verbs = list(
        AuditEvent.objects.filter(object_type="practice.pairing", action="update")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "exemplar_propose",
        "exemplar_decline",
        "exemplar_propose",
        "exemplar_withdraw",
        "exemplar_propose",
        "exemplar_confirm",
    ]
