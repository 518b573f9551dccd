from tests.core_fixtures import *  # noqa: F401,F403
