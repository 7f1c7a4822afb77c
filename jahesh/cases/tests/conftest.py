# The headless-browser fixtures of the core journeys, for test_browser_journey.py.
from jahesh.core.tests.test_browser import artifacts, chromium, journey  # noqa: F401
