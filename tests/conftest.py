"""Test-wide set-up: Qt runs offscreen, before anything imports it; hypothesis has no
deadline (the tests assert outcomes, not times: on a shared machine a collector pass made
a 50 ms example take 260 ms, and a deadline then failed a test that was right)."""

import os

from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")
