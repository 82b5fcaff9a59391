"""Going back after an HTMX search shows the whole learner list page, and htmx keeps no copies of
pages (with learners' names) in the browser's session storage."""

import json
import re

from django.urls import reverse


def test_a_history_restore_gets_the_whole_page_not_the_results_fragment(signed_in, learner):
    response = signed_in("support_lead").get(
        reverse("learners:list"),
        {"name": "Ailsa"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    content = response.content.decode()
    assert "<html" in content
    assert 'id="results"' in content and "Campbell" in content


def test_an_htmx_search_still_gets_only_the_results_fragment(signed_in, learner):
    response = signed_in("support_lead").get(
        reverse("learners:list"), {"name": "Ailsa"}, headers={"HX-Request": "true"}
    )

    assert "<html" not in response.content.decode()


def test_pages_turn_off_htmx_history_snapshots_and_reload_on_back(signed_in, learner):
    page = signed_in("support_lead").get(reverse("learners:list")).content.decode()

    match = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert match, "the page has no htmx-config meta tag"
    config = json.loads(match.group(1))
    assert config["historyCacheSize"] == 0
    assert config["refreshOnHistoryMiss"] is True
