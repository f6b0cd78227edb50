from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from biaoshuai.core.testing import ANONYMOUS, assert_access, assert_constant_queries, login
from biaoshuai.org.services import person_create, unit_create
from biaoshuai.study import completion, services
from biaoshuai.study.models import Attendance, Deliverable, SessionMaterial

from .conftest import make_deliverable, make_session

P = Attendance.Status


@pytest.fixture
def lishi_session(campaign, org, users):
    return make_session(campaign, users.liaison_lishi, org.lishi, kind="discussion")


@pytest.fixture
def material(lishi_session, users):
    return services.session_material_add(
        session=lishi_session,
        by=users.liaison_lishi,
        file=SimpleUploadedFile("讲义.pdf", b"%PDF-1.4 test"),
    )


@pytest.fixture
def essay(phase, org, users):
    return make_deliverable(phase, org.people["lishi_a"], users.cadre_lishi, state="submitted")


def readers(users, other=404):
    return {
        ANONYMOUS: 302,
        users.norole: 403,
        users.liaison_zengji: other,
        users.cadre_lishi: 200,
        users.liaison_lishi: 200,
        users.office: 200,
    }


def managers(users, ok=200):
    return {
        ANONYMOUS: 302,
        users.norole: 403,
        users.cadre_lishi: 403,
        users.leader: 403,
        users.liaison_zengji: 404,
        users.liaison_lishi: ok,
        users.office: ok,
    }


def overseers(users):
    return {
        ANONYMOUS: 302,
        users.norole: 403,
        users.cadre_lishi: 403,
        users.leader: 200,
        users.liaison_lishi: 200,
        users.office: 200,
    }


def test_reader_pages_access(client, users, campaign):
    assert_access(client, reverse("study:my_study"), readers(users, other=200))
    assert_access(client, reverse("study:session_list"), readers(users, other=200))


def test_session_pages_access(client, users, lishi_session, material):
    pk = lishi_session.pk
    assert_access(client, reverse("study:session_detail", args=[pk]), readers(users))
    assert_access(client, reverse("study:material_download", args=[material.pk]), readers(users))
    assert_access(
        client, reverse("study:session_create"), {**managers(users), users.liaison_zengji: 200}
    )
    for name in ("session_edit", "session_qr", "attendance_mark"):
        assert_access(client, reverse(f"study:{name}", args=[pk]), managers(users))
    pdf = {"file": SimpleUploadedFile("课件.pdf", b"%PDF-1.4 x")}
    cases = {u: s for u, s in managers(users, ok=302).items() if u != users.office}
    assert_access(
        client, reverse("study:material_upload", args=[pk]), cases, method="post", data=pdf
    )
    assert_access(
        client,
        reverse("study:material_delete", args=[material.pk]),
        {ANONYMOUS: 302, users.cadre_lishi: 403, users.liaison_zengji: 404, users.office: 302},
        method="post",
    )
    assert not SessionMaterial.objects.filter(pk=material.pk).exists()


def test_office_session_is_seen_by_every_unit_it_expects(client, campaign, org, users):
    session = make_session(campaign, users.office, org.department)
    url = reverse("study:session_detail", args=[session.pk])
    assert_access(client, url, {users.liaison_zengji: 200, users.cadre_lishi: 200})
    # A liaison records their own cadres' attendance at the office's session, not others'.
    login(client, users.liaison_zengji)
    page = client.get(reverse("study:attendance_mark", args=[session.pk])).content.decode()
    assert "张伟" in page and "王建国" not in page


def test_deliverable_pages_access(client, users, essay, authors):
    pk = essay.pk
    detail = {**readers(users), authors["lishi_b"]: 404, users.leader: 200}
    assert_access(client, reverse("study:deliverable_detail", args=[pk]), detail)
    assert_access(client, reverse("study:deliverable_list"), overseers(users))
    assert_access(
        client,
        reverse("study:deliverable_create"),
        {ANONYMOUS: 302, users.norole: 403, users.liaison_lishi: 403, users.cadre_lishi: 200},
    )
    # Submitted: nobody edits it until it is returned.
    assert_access(
        client,
        reverse("study:deliverable_edit", args=[pk]),
        {
            ANONYMOUS: 302,
            users.liaison_zengji: 404,
            users.cadre_lishi: 403,
            users.liaison_lishi: 403,
        },
    )
    assert_access(
        client,
        reverse("study:deliverable_review", args=[pk]),
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.cadre_lishi: 403,
            users.liaison_zengji: 404,
            users.liaison_lishi: 302,
        },
        method="post",
        data={"action": "return", "comment": "请充实内容。"},
    )
    essay.refresh_from_db()
    assert essay.state == Deliverable.State.RETURNED
    assert_access(
        client,
        reverse("study:deliverable_edit", args=[pk]),
        {users.liaison_lishi: 403, users.cadre_lishi: 200},
    )
    assert_access(
        client,
        reverse("study:deliverable_submit", args=[pk]),
        {ANONYMOUS: 302, users.norole: 403, users.liaison_zengji: 404, users.cadre_lishi: 302},
        method="post",
    )
    essay.refresh_from_db()
    assert (essay.state, essay.submissions) == (Deliverable.State.SUBMITTED, 2)


def test_deliverable_files(client, phase, org, users):
    docx = SimpleUploadedFile("心得.docx", b"PK\x03\x04 docx")
    d = services.deliverable_create(
        person=org.people["lishi_a"],
        phase=phase,
        kind="reflection",
        title="心得",
        file=docx,
        by=users.cadre_lishi,
    )
    event = d.events.get()
    for url in (
        reverse("study:deliverable_file", args=[d.pk]),
        reverse("study:event_file", args=[event.pk]),
    ):
        assert_access(
            client,
            url,
            {ANONYMOUS: 302, users.liaison_zengji: 404, users.cadre_lishi: 200, users.office: 200},
        )


def test_completion_pages_access(client, users, org, campaign, lishi_session):
    completion.study_completion_refresh(campaign=campaign)
    assert_access(client, reverse("study:completion"), overseers(users))
    assert_access(client, reverse("study:completion_export"), overseers(users))
    assert_access(
        client,
        reverse("study:completion_unit", args=[org.lishi.pk]),
        {**overseers(users), users.liaison_zengji: 404},
    )
    assert_access(
        client,
        reverse("study:completion_refresh"),
        {ANONYMOUS: 302, users.norole: 403, users.cadre_lishi: 403, users.office: 302},
        method="post",
    )


def test_sign_in_page(client, campaign, org, users):
    session = make_session(campaign, users.office, org.department)
    url = reverse("study:sign_in", args=[session.sign_in_token])
    assert_access(client, url, {ANONYMOUS: 302, users.norole: 200, users.cadre_lishi: 200})
    login(client, users.norole)
    assert str(services.SIGN_IN_NOT_EXPECTED) in client.get(url).content.decode()
    login(client, users.cadre_lishi)
    page = client.get(url).content.decode()
    assert "sign-in-button" in page
    page = client.post(url).content.decode()
    assert "sign-in-result" in page and "王建国" in page
    assert Attendance.objects.get(session=session, person=org.people["lishi_a"]).status == P.PRESENT
    wrong = client.get(reverse("study:sign_in", args=["wrong-token"]))
    assert wrong.status_code == 404
    assert str(services.SIGN_IN_WRONG_CODE) in wrong.content.decode()
    later = make_session(campaign, users.office, org.department, starts_in=timedelta(days=1))
    page = client.get(reverse("study:sign_in", args=[later.sign_in_token])).content.decode()
    assert str(services.SIGN_IN_NOT_OPEN).split("%")[0] in page
    assert "sign-in-button" not in page
    over = make_session(campaign, users.office, org.department, starts_in=timedelta(days=-1))
    page = client.post(reverse("study:sign_in", args=[over.sign_in_token])).content.decode()
    assert str(services.SIGN_IN_CLOSED).split("%")[0] in page


def test_session_detail_shows_the_qr_code_to_managers_only(client, users, lishi_session):
    url = reverse("study:session_detail", args=[lishi_session.pk])
    login(client, users.liaison_lishi)
    page = client.get(url).content.decode()
    assert "<svg" in page and lishi_session.sign_in_token in page
    login(client, users.cadre_lishi)
    page = client.get(url).content.decode()
    assert lishi_session.sign_in_token not in page and "my-attendance" in page


def test_session_create_form(client, campaign, org, users):
    login(client, users.liaison_lishi)
    url = reverse("study:session_create")
    data = {
        "kind": "video_screening",
        "title": "观看电教片《忠诚》",
        "unit": org.lishi.pk,
        "starts_at": "2030-05-01T09:00",
        "ends_at": "2030-05-01T08:00",
        "place": "镇政府会议室",
        "topics": ["party_spirit_cultivation"],
        "sign_in_opens_before": 30,
    }
    page = client.post(url, data).content.decode()
    assert "观看电教片《忠诚》" in page  # the input is kept
    assert "is-invalid" in page
    data["ends_at"] = "2030-05-01T11:00"
    response = client.post(url, data)
    assert response.status_code == 302
    data["unit"] = org.zengji.pk  # not theirs: not a valid choice
    assert client.post(url, data).status_code == 200


def test_attendance_form_keeps_input_on_error(client, campaign, org, users):
    session = make_session(campaign, users.liaison_lishi, org.lishi)
    rows = {a.person.name: a.pk for a in session.attendances.select_related("person")}
    login(client, users.liaison_lishi)
    url = reverse("study:attendance_mark", args=[session.pk])
    data = {f"status-{rows['王建国']}": "present", f"status-{rows['李秀英']}": "leave"}
    page = client.post(url, data).content.decode()
    assert "alert-danger" in page
    assert f'id="s-{rows["王建国"]}-present" value="present" checked' in page
    # What to fix is said at the row, next to its reason field.
    row = page.split(f'name="reason-{rows["李秀英"]}"')[1].split("attendance-row")[0]
    assert "请填写李秀英的请假事由。" in row
    assert f'id="error-{rows["李秀英"]}"' in row
    other = page.split(f'name="reason-{rows["王建国"]}"')[1].split("attendance-row")[0]
    assert "data-row-error" not in other
    data[f"reason-{rows['李秀英']}"] = "病假"
    assert client.post(url, data).status_code == 302
    assert Attendance.objects.get(pk=rows["李秀英"]).leave_reason == "病假"


def test_deliverable_create_and_submit_through_the_form(client, campaign, org, users):
    login(client, users.cadre_lishi)
    url = reverse("study:deliverable_create")
    response = client.post(url, {"kind": "reflection", "title": "心得", "text": "", "submit": "1"})
    assert response.status_code == 200  # nothing to submit: the form comes back
    assert not Deliverable.objects.exists()  # and no half-made draft is left
    bad = SimpleUploadedFile("心得.exe", b"MZ")
    page = client.post(url, {"kind": "reflection", "title": "心得", "file": bad}).content.decode()
    assert ".exe" in page or "exe" in page
    response = client.post(
        url, {"kind": "reflection", "title": "心得", "text": "第一段\n\n第二段", "submit": "1"}
    )
    d = Deliverable.objects.get()
    assert response.status_code == 302 and d.state == Deliverable.State.SUBMITTED
    page = client.get(reverse("study:deliverable_detail", args=[d.pk])).content.decode()
    assert "<p>第一段</p>" in page and "<p>第二段</p>" in page


def test_export_has_the_matrix(client, campaign, org, users, lishi_session):
    completion.study_completion_refresh(campaign=campaign)
    login(client, users.liaison_lishi)
    response = client.get(reverse("study:completion_export"))
    import io

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.values)
    assert rows[1][0] == "单位" or rows[1][0] == "Unit"
    names = [r[0].strip("　") for r in rows[2:]]
    assert names == ["李市镇", "李市镇党建办"]  # their subtree only


def test_list_query_counts(client, campaign, org, users, phase, authors):
    login(client, users.office)
    made = [make_session(campaign, users.office, org.department, title="首期")]

    def add_sessions():
        for index in range(3):
            made.append(make_session(campaign, users.office, org.department, title=f"第{index}期"))

    assert_constant_queries(client, reverse("study:session_list"), add_sessions, expected=6)

    def add_units():
        for index in range(3):
            unit = unit_create(
                by=None, name=f"新单位{index}", kind="township", parent=org.department
            )
            person_create(by=None, unit=unit, name=f"干部{index}")
        completion.study_completion_refresh(campaign=campaign)

    completion.study_completion_refresh(campaign=campaign)
    assert_constant_queries(client, reverse("study:completion"), add_units, expected=9)

    def add_deliverables():
        for key in ("lishi_b", "zengji_a", "zengji_b"):
            make_deliverable(phase, org.people[key], authors[key], state="submitted")

    make_deliverable(phase, org.people["lishi_a"], users.cadre_lishi, state="submitted")
    assert_constant_queries(client, reverse("study:deliverable_list"), add_deliverables, expected=7)

    def add_people():
        for index in range(3):
            person_create(by=None, unit=org.lishi, name=f"新干部{index}")

    assert_constant_queries(
        client, reverse("study:completion_unit", args=[org.lishi.pk]), add_people, expected=10
    )
    session = made[0]

    def add_expected():
        for index in range(3):
            person_create(by=None, unit=org.lishi_sub, name=f"再来{index}")
        services.session_update(session=session, by=users.office)

    assert_constant_queries(
        client, reverse("study:attendance_mark", args=[session.pk]), add_expected, expected=10
    )
    login(client, users.cadre_lishi)
    assert_constant_queries(client, reverse("study:my_study"), add_sessions, expected=8)


def test_htmx_requests_get_the_table_only(client, campaign, org, users, lishi_session):
    login(client, users.liaison_lishi)
    response = client.get(reverse("study:session_list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="session-table">') and "<html" not in body
    completion.study_completion_refresh(campaign=campaign)
    response = client.get(reverse("study:completion") + "?sort=-attendance", HTTP_HX_REQUEST="true")
    assert response.content.decode().lstrip().startswith('<div id="matrix-table">')


def test_matrix_sorts_by_any_column(client, campaign, org, users, authors):
    s = make_session(campaign, users.office, org.department, starts_in=timedelta(hours=-1))
    services.attendance_sign_in(token=s.sign_in_token, user=authors["zengji_a"])
    services.attendance_sign_in(token=s.sign_in_token, user=authors["zengji_b"])
    completion.study_completion_refresh(campaign=campaign)
    login(client, users.office)
    col = completion.session_column(s.pk)

    def order(sort):
        page = client.get(reverse("study:completion") + f"?sort={sort}").content.decode()
        names = ["李市镇党建办", "李市镇", "曾集镇", "县委组织部部机关"]
        return sorted(names, key=lambda n: page.index(f'title="{n}"'))

    assert order(f"-{col}")[0] == "曾集镇"
    assert order(col)[:2] == ["李市镇", "李市镇党建办"]
    assert order("name")[0] == "县委组织部部机关"


def test_home_panel_for_cadre_and_liaison(client, campaign, phase, org, users):
    make_session(campaign, users.office, org.department, starts_in=timedelta(days=1))
    make_deliverable(phase, org.people["lishi_a"], users.cadre_lishi, state="submitted")
    completion.study_completion_refresh(campaign=campaign)
    login(client, users.cadre_lishi)
    page = client.get(reverse("core:home")).content.decode()
    assert 'id="study-panel"' in page and "十七大精神和党章专题培训班" in page
    login(client, users.liaison_lishi)
    page = client.get(reverse("core:home")).content.decode()
    assert 'id="study-panel"' in page and "?state=submitted" in page
    login(client, users.sysadmin)
    assert client.get(reverse("core:home")).status_code == 200
