"""Fast, isolated settings for the test suite (pytest uses them via pyproject.toml)."""

import os

os.environ["JAHESH_ENV"] = "test"

from jahesh.settings import *  # noqa: E402, F403
