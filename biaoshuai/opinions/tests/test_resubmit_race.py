"""The same public form posted twice at the same moment (a double click reaching two
workers): one opinion, and both answers show its tracking code."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from biaoshuai.opinions.models import Opinion, PublicSubmission

from .factories import public_form_data, solve
from .test_idempotency import in_thread, threads_database

SUBMIT = reverse("opinions_public:submit")


@pytest.mark.django_db(transaction=True)
def test_two_posts_of_one_form_at_once_make_one_opinion(campaign, fast_form, tmp_path):
    token, answer = solve(Client(), SUBMIT)
    data = public_form_data(challenge=token, answer=answer)
    start = threading.Barrier(2)
    codes, errors = [], []

    def post():
        client = Client()
        try:
            start.wait(timeout=10)
            response = client.post(SUBMIT, data)
            assert response.status_code == 302, response.status_code
            page = client.get(response.url).content.decode()
            codes.append(page.split('data-testid="tracking-code">')[1].split("<")[0])
        except Exception as exc:  # reported below, from the test's thread
            errors.append(exc)
        finally:
            connection.close()

    with threads_database(tmp_path):
        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        counts = in_thread(lambda: (Opinion.objects.count(), PublicSubmission.objects.count()))
    assert not errors, errors
    assert len(codes) == 2 and codes[0] == codes[1]
    assert counts == (1, 1)
