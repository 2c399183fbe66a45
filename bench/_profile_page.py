"""Profile one page of the seeded gym in process (issue 16): cProfile around ``--n`` requests of the test client.

    python bench/_profile_page.py --slug bench-seed-xxxxxx [--role trainer] [--path /clients/] [--n 50]

Prints the top functions by cumulative and by own time, the number of ``reverse()`` calls and of template nodes
rendered per request, and the queries of one request.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _common  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", required=True)
    parser.add_argument("--role", default="trainer", choices=["owner", "trainer"])
    parser.add_argument("--path", default="/clients/")
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    os.environ.setdefault("DEBUG", "0")
    _common.setup_django()
    from django import urls
    from django.db import connection
    from django.template import base as template_base
    from django.test.utils import CaptureQueriesContext

    from bench.http_pages import session_cookies

    host, cookies = session_cookies(args.slug)
    from django.conf import settings
    from django.test import Client as Browser

    browser = Browser(HTTP_HOST=host)
    name, value = cookies[args.role].split("=", 1)
    browser.cookies[settings.SESSION_COOKIE_NAME] = value
    for _ in range(5):
        assert browser.get(args.path).status_code == 200

    counts = {"reverse": 0, "nodes": 0}
    original_reverse, original_render = urls.base.reverse, template_base.Node.render_annotated

    def counting_reverse(*a, **k):
        counts["reverse"] += 1
        return original_reverse(*a, **k)

    def counting_render(self, context):
        counts["nodes"] += 1
        return original_render(self, context)

    template_base.Node.render_annotated = counting_render
    urls.base.reverse = counting_reverse
    urls.reverse = counting_reverse
    import django.template.defaulttags as defaulttags

    defaulttags.reverse = counting_reverse
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(args.path)
    template_base.Node.render_annotated = original_render
    urls.base.reverse = urls.reverse = defaulttags.reverse = original_reverse
    print(
        f"{args.role} {args.path}: {len(response.content)} bytes, {len(queries)} queries, "
        f"{counts['reverse']} reverse() from {{% url %}}, {counts['nodes']} template nodes rendered"
    )
    for query in queries.captured_queries:
        print(f"  {query['time']} s  {query['sql'][:160]}")

    timings = []
    for _ in range(args.n):
        started = time.perf_counter()
        browser.get(args.path)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    plain_ms = sum(timings) / args.n
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.n):
        browser.get(args.path)
    profiler.disable()
    print(
        f"mean {plain_ms:.1f} ms, median {timings[args.n // 2]:.1f} ms, min {timings[0]:.1f} ms per request "
        "without the profiler"
    )
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
