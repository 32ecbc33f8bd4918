"""Local development: `make run`."""

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-practice-commons"  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*")
