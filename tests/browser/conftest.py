import pytest

from tests.browser import harness
from tests.browser import stack as stack_harness


@pytest.fixture(scope="session")
def app_url():
    with harness.running_app() as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=harness.chromium_path(), args=harness.CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
    context.set_default_timeout(harness.STATE_TIMEOUT_MS)  # a bound on each wait for a state
    pg = context.new_page()
    pg.watch = harness.PageWatch(pg, app_url)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def stack(request):
    """Redis + a Celery worker + gunicorn (two workers): ``stack.url`` is the app's base URL."""
    with stack_harness.running_stack() as st:
        failed = request.session.testsfailed
        yield st
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if reporter and request.session.testsfailed > failed:  # the stack's account of it
            for name in ("web", "worker"):
                reporter.write_line(f"--- stack {name} log (tail) ---\n{st.log(name)[-4000:]}")


@pytest.fixture(scope="session")
def stack_url(stack):
    return stack.url


@pytest.fixture
def stack_page(browser, stack_url):
    """A page of the app served by the stack (same viewport and locale as ``page``)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
    context.set_default_timeout(harness.STATE_TIMEOUT_MS)
    pg = context.new_page()
    pg.watch = harness.PageWatch(pg, stack_url)
    yield pg
    context.close()
