import pytest

# The headless-browser fixtures of the core journeys, for test_browser.py.
from jahesh.core.tests.test_browser import artifacts, chromium, journey  # noqa: F401


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Evidence files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
