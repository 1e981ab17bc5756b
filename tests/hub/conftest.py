# Fixtures shared with tests/test_cross_council_matrix.py and the browser journey.
from tests.hub.fixtures import hub_settings_fixture, upload_file_fixture  # noqa: F401
