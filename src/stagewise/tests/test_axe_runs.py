"""Which runs of a browser journey check colour contrast: every run but the Welsh run of a journey
that also runs in English (tests/browser/support.py says why)."""

import pytest

from stagewise.tests.browser.support import contrast_checked_in_english


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_journey_in_both_languages_leaves_colour_contrast_to_its_english_run(request, language):
    assert contrast_checked_in_english(request.node) is (language == "cy")


@pytest.mark.parametrize("language", ["cy"])
def test_a_journey_in_welsh_alone_checks_colour_contrast(request, language):
    assert contrast_checked_in_english(request.node) is False


@pytest.mark.parametrize("who", ["teacher", "parent"])
def test_a_journey_without_languages_checks_colour_contrast(request, who):
    assert contrast_checked_in_english(request.node) is False
