from biaoshuai.publicity.tests.conftest import _fresh_portal_cache, campaign  # noqa: F401
