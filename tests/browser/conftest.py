"""Every browser test fails on a console error or an uncaught page error in any page the shared
helpers opened (tests/browser/__init__.py), whatever the test itself checks."""

from __future__ import annotations

import pytest

from tests.browser import take_problems


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    result = yield  # errors while the fixtures set up (a page loading) count for this test too
    problems = take_problems()
    if problems:
        shown = "\n".join(problems[:10])
        raise AssertionError(f"the page logged {len(problems)} error(s):\n{shown}")
    return result
