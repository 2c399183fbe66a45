import pytest


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    """Each test keeps its reports in a media folder of its own (kept reports would survive the test's rollback)."""
    settings.MEDIA_ROOT = tmp_path / "media"
