"""Units propose a problem's disclosure level; only the campaign office decides it."""

from django.core.cache import cache
from django.urls import reverse

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.testing import login
from biaoshuai.publicity.services import disclosure_set
from biaoshuai.rectification import services
from biaoshuai.rectification.models import Problem

from .conftest import refresh


def _edit(client, user, problem, **changes):
    login(client, user)
    data = {
        "unit": problem.unit_id,
        "dimension": problem.dimension,
        "area": problem.area,
        "description": problem.description,
        "severity": problem.severity,
        "disclosure": problem.disclosure,
        **changes,
    }
    return client.post(reverse("rectification:problem_edit", args=[problem.pk]), data, follow=True)


def test_a_liaison_edit_to_public_is_a_proposal(client, users, org, make_problem):
    problem = make_problem(org.lishi, description="窗口服务态度生硬")
    cache.clear()
    response = _edit(client, users.liaison_lishi, problem, disclosure=Disclosure.PUBLIC)
    assert response.status_code == 200
    assert "活动办公室" in response.content.decode()  # says who decides
    problem = refresh(problem)
    assert problem.disclosure == Disclosure.RESTRICTED
    assert problem.disclosure_proposed == Disclosure.PUBLIC
    assert not Problem.objects.public().exists()
    client.logout()
    board = client.get(reverse("rectification_public:board")).content.decode()
    assert "窗口服务态度生硬" not in board
    # The proposal waits on the office's disclosure review, and the office decides.
    login(client, users.office)
    review = client.get(reverse("publicity:disclosure_review")).content.decode()
    assert "窗口服务态度生硬" in review
    disclosure_set(obj=problem, level=Disclosure.PUBLIC, by=users.office)
    assert list(Problem.objects.public()) == [problem]


def test_the_liaison_sees_its_proposal_when_editing_again(client, users, org, make_problem):
    problem = make_problem(org.lishi)
    services.problem_update(problem=problem, by=users.liaison_lishi, disclosure="internal")
    login(client, users.liaison_lishi)
    page = client.get(reverse("rectification:problem_edit", args=[problem.pk]))
    assert page.context["form"]["disclosure"].value() == Disclosure.INTERNAL
    # Choosing the level already set withdraws the proposal.
    _edit(client, users.liaison_lishi, problem, disclosure=Disclosure.RESTRICTED)
    problem = refresh(problem)
    assert (problem.disclosure, problem.disclosure_proposed) == (Disclosure.RESTRICTED, "")


def test_a_liaison_cannot_lower_a_level_the_office_set(users, org, make_problem):
    problem = make_problem(org.lishi, disclosure=Disclosure.PUBLIC)
    services.problem_update(
        problem=problem, by=users.liaison_lishi, disclosure=Disclosure.RESTRICTED, area=""
    )
    problem = refresh(problem)
    assert (problem.disclosure, problem.disclosure_proposed) == (
        Disclosure.PUBLIC,
        Disclosure.RESTRICTED,
    )


def test_a_liaison_creating_a_public_problem_proposes_it(client, users, org, campaign):
    problem = services.problem_create(
        by=users.liaison_lishi,
        unit=org.lishi,
        campaign=campaign,
        dimension="exemplary_role",
        description="材料报送拖沓",
        disclosure=Disclosure.PUBLIC,
    )
    assert (problem.disclosure, problem.disclosure_proposed) == (
        Disclosure.RESTRICTED,
        Disclosure.PUBLIC,
    )
    login(client, users.liaison_lishi)
    response = client.post(
        reverse("rectification:problem_create"),
        {
            "unit": org.lishi.pk,
            "dimension": "exemplary_role",
            "description": "值班制度执行不严",
            "severity": "general",
            "disclosure": Disclosure.PUBLIC,
        },
    )
    assert response.status_code == 302
    created = Problem.objects.get(description="值班制度执行不严")
    assert (created.disclosure, created.disclosure_proposed) == (
        Disclosure.RESTRICTED,
        Disclosure.PUBLIC,
    )
    assert not Problem.objects.public().exists()


def test_the_office_decides_directly_and_settles_a_proposal(client, users, org, make_problem):
    problem = make_problem(org.lishi)
    services.problem_update(problem=problem, by=users.liaison_lishi, disclosure="public")
    _edit(client, users.office, refresh(problem), disclosure=Disclosure.PUBLIC)
    problem = refresh(problem)
    assert (problem.disclosure, problem.disclosure_proposed) == (Disclosure.PUBLIC, "")
    assert list(Problem.objects.public()) == [problem]
