"""Local development: `make run`."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_list

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-practice-commons"  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*")
# `make run` loads the demo content (`manage.py load_demo`).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
