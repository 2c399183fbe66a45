"""The PDF assessment report on a large gym (the one ``bench/seed_data.py`` builds): one report warm, and a batch.

The bench's trainer is the gym's first trainer; the reports are of their clients' assessments that have an earlier
one (clients with at least two assessments), so the history chart and the comparison with the previous assessment
are drawn. Each report is of a different assessment.

1. **One report, warm**, in English and in Korean: ``--warmup`` untimed reports, then ``--n`` timed ones (default 20),
   each split into the read model (``assessment_get`` as the view fetches it, then ``assessment_report``), the
   template (``reports/assessment.html``) and WeasyPrint (``render_pdf``), i.e. the drawing itself with the storage
   cache bypassed. Target: p50 of read model + template + PDF under 500 ms for both languages (``TARGET_P50_MS``).
   For comparison, per report also ``report_pdf`` twice: first cold (draws and stores the file), then again (served
   from the gym's storage, what an unchanged repeated download costs), and the query counts of each part.
2. **A batch of ``--batch`` reports (default 100) with one worker**: in a fresh process per language (so that its peak
   memory is the batch's own, imports and WeasyPrint's font set-up included, as a newly started Celery worker),
   ``--batch`` reports of different assessments one after the other: read model, then ``report_pdf`` with the
   storage cache cold (drawn and stored). Reported: total seconds, reports per second, peak RSS (``VmHWM``) and
   the RSS as the batch goes, and the size of the stored files.

The stored reports of the assessments the bench uses are deleted first (so the cold paths are cold) and again at the
end, only in the bench gym's own storage (``reports/assessments/<assessment id>-*.pdf``). Without ``--slug`` it
first runs ``bench/seed_data.py --keep`` and drops that gym at the end; with ``--slug`` it reuses a kept gym and
leaves it. ``DEBUG`` is off (as in production) unless set. The last line of stdout is one JSON object.

    python bench/reports.py [--slug bench-seed-xxxxxx] [--n 20] [--warmup 3] [--batch 100] [--batch-languages en,ko]
"""

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _common  # noqa: E402
from bench.pages import seed_gym  # noqa: E402

TARGET_P50_MS = 500
LANGUAGES = ("en", "ko")
REPORTS_DIR = "reports/assessments"
PARTS = ["read", "template", "pdf", "full", "report_pdf_cold", "cached"]
PART_LABELS = {
    "read": "read model",
    "template": "template",
    "pdf": "render_pdf",
    "full": "read + template + pdf",
    "report_pdf_cold": "report_pdf cold (draw+store)",
    "cached": "read + report_pdf hit",
}


# ------------------------------------------------------------------ the gym, its trainer, the assessments


def open_gym(slug):
    """Switch the connection to the gym; return it with the bench's trainer as the actor (user loaded)."""
    from django.db import connection

    from apps.trainers.middleware import actor_for_user
    from apps.trainers.models import Trainer
    from tenants.models import Organization, Role

    connection.set_schema_to_public()
    organization = Organization.objects.get(slug=slug)
    connection.set_tenant(organization)
    trainer = Trainer.objects.select_related("user").filter(role=Role.TRAINER).order_by("pk").first()
    actor = actor_for_user(trainer.user)
    assert actor is not None, f"trainer {trainer.pk} is not an active member"
    return organization, actor


def pick_assessments(trainer, count):
    """``count`` assessments of the trainer's clients that have an earlier one: each client's latest first (client
    order), then their second latest, and so on, so that consecutive reports are of different clients."""
    from apps.assessments.models import Assessment

    by_client = defaultdict(list)
    rows = (
        Assessment.objects.filter(client__trainer=trainer)
        .order_by("client_id", "-performed_at", "-pk")
        .values_list("pk", "client_id")
    )
    for pk, client_id in rows:
        by_client[client_id].append(pk)
    ranks = [pks[:-1] for pks in by_client.values() if len(pks) >= 2]  # never a client's first assessment
    picked = []
    for rank in range(max((len(pks) for pks in ranks), default=0)):
        picked += [pks[rank] for pks in ranks if rank < len(pks)]
    if len(picked) < count:
        sys.exit(f"trainer {trainer.pk} has only {len(picked)} assessments with an earlier one; {count} needed")
    return picked[:count], len(ranks)


def stored_reports(assessment_ids):
    """Names of the stored reports of these assessments in the current gym's storage."""
    from django.core.files.storage import default_storage

    prefixes = tuple(f"{pk}-" for pk in assessment_ids)
    try:
        _, files = default_storage.listdir(REPORTS_DIR)
    except FileNotFoundError:
        return []
    return [f"{REPORTS_DIR}/{name}" for name in sorted(files) if name.startswith(prefixes) and name.endswith(".pdf")]


def delete_reports(assessment_ids):
    """Delete the stored reports of these assessments (the current gym's storage only); return how many."""
    from django.core.files.storage import default_storage
    from django.db import connection

    assert connection.schema_name not in ("public", None), "reports are deleted only inside the bench gym"
    names = stored_reports(assessment_ids)
    for name in names:
        default_storage.delete(name)
    return len(names)


def remove_empty_media_dirs():
    """After the seeded gym is dropped: its media folders, if the bench's reports were all that was in them."""
    from django.core.files.storage import default_storage

    for relative in (REPORTS_DIR, "reports", ""):
        try:
            os.rmdir(default_storage.path(relative))
        except OSError:
            return


def read_model(actor, pk, language):
    """What the view does before drawing: the scoped fetch of the assessment, then the report's read model."""
    from apps.assessments.selectors import assessment_get
    from apps.reports.assessment import assessment_report

    assessment = assessment_get(actor=actor, pk=pk)
    assert assessment is not None, f"assessment {pk} is not visible to the trainer"
    return assessment_report(actor=actor, assessment=assessment, language=language)


def report_html(report):
    """The template as ``report_pdf`` renders it (the storage cache bypassed)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(report.language):
        return render_to_string("reports/assessment.html", {"report": report, "a": report.assessment})


def status_mb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    raise LookupError(field)


def rss_mb():
    return status_mb("VmRSS")


def peak_rss_mb():
    """This process's peak RSS. ``VmHWM``, not ``ru_maxrss``: Linux carries the forking parent's peak over into the
    child's ``ru_maxrss`` across ``exec``, so a fresh process started from this bench would report the bench's."""
    return status_mb("VmHWM")


# ------------------------------------------------------------------ 1. one report, warm


def measure_warm(actor, ids, language, n, warmup):
    from apps.reports.assessment import report_pdf
    from apps.reports.pdf import render_pdf

    timings, sizes = defaultdict(list), []
    for index, pk in enumerate(ids[: warmup + n]):
        report, read_ms = _common.timed_ms(read_model, actor, pk, language)
        html, template_ms = _common.timed_ms(report_html, report)
        pdf, pdf_ms = _common.timed_ms(render_pdf, html)
        _, cold_ms = _common.timed_ms(report_pdf, report)
        (stored, _), hit_ms = _common.timed_ms(report_pdf, report)
        assert pdf.startswith(b"%PDF") and stored.startswith(b"%PDF"), pk
        if index < warmup:
            continue
        sizes.append(len(pdf))
        for part, ms in (
            ("read", read_ms),
            ("template", template_ms),
            ("pdf", pdf_ms),
            ("full", read_ms + template_ms + pdf_ms),
            ("report_pdf_cold", cold_ms),
            ("cached", read_ms + hit_ms),
        ):
            timings[part].append(ms)
        timings["report_pdf_hit"].append(hit_ms)
        _common.log(
            f"    {language} #{pk:<6} read {read_ms:5.1f}  template {template_ms:5.1f}  pdf {pdf_ms:6.1f}  "
            f"cold report_pdf {cold_ms:6.1f}  hit {hit_ms:5.1f} ms  {len(pdf) / 1024:6.1f} KB"
        )
    return timings, sizes


def count_queries(actor, pk, language):
    """Queries of each part for one more (untimed) report of an assessment already drawn and stored."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.reports.assessment import report_pdf
    from apps.reports.pdf import render_pdf

    counts = {}
    with CaptureQueriesContext(connection) as queries:
        report = read_model(actor, pk, language)
    counts["read"] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        render_pdf(report_html(report))
    counts["render"] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        report_pdf(report)
    counts["report_pdf_hit"] = len(queries)
    return counts


def figures_of(values_ms):
    return {
        "p50_ms": round(_common.percentile(values_ms, 50), 1),
        "p95_ms": round(_common.percentile(values_ms, 95), 1),
        "max_ms": round(max(values_ms), 1),
    }


# ------------------------------------------------------------------ 2. the batch, in its own process


def batch_child(slug, language, ids):
    """Run in the fresh process: ``len(ids)`` reports one after the other, as one worker; print one JSON line."""
    started_process = _common.now()
    _common.setup_django()
    from apps.reports.assessment import report_pdf

    _, actor = open_gym(slug)
    setup_seconds = _common.now() - started_process
    rss_before = rss_mb()
    peak_before = peak_rss_mb()
    timings, sizes, rss_along = [], 0, {}
    started = _common.now()
    for index, pk in enumerate(ids, start=1):
        report_started = _common.now()
        report = read_model(actor, pk, language)
        content, _ = report_pdf(report)
        timings.append((_common.now() - report_started) * 1000)
        sizes += len(content)
        if index == 1 or index % 25 == 0 or index == len(ids):
            rss_along[index] = round(rss_mb(), 1)
            _common.log(f"    {language} batch: {index}/{len(ids)}, RSS {rss_along[index]:.0f} MB")
    seconds = _common.now() - started
    result = {
        "language": language,
        "reports": len(ids),
        "seconds": round(seconds, 2),
        "reports_per_second": round(len(ids) / seconds, 2),
        "first_report_ms": round(timings[0], 1),
        "p50_ms": round(_common.percentile(timings, 50), 1),
        "p95_ms": round(_common.percentile(timings, 95), 1),
        "max_ms": round(max(timings), 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_before_mb": round(rss_before, 1),
        "peak_rss_before_mb": round(peak_before, 1),
        "rss_along_mb": rss_along,
        "bytes_returned": sizes,
        "process_setup_seconds": round(setup_seconds, 2),
    }
    _common.emit(result)


def run_batch(slug, language, ids):
    """Start the batch in a fresh process (its progress passes through) and return its figures."""
    env = {**os.environ, "DATABASE_URL": _common.database_url(), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, os.path.abspath(__file__), "--slug", slug, "--batch-child", language]
    command += ["--batch-ids", ",".join(map(str, ids))]
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, env=env, cwd=_common.REPO_ROOT)
    return json.loads(output.stdout.strip().splitlines()[-1])


def new_stored_sizes(assessment_ids, before):
    """Sizes of the stored reports of these assessments that were not there ``before`` (a set of names)."""
    from django.core.files.storage import default_storage

    return [default_storage.size(name) for name in stored_reports(assessment_ids) if name not in before]


# ------------------------------------------------------------------ main


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", help="a gym kept by `seed_data.py --keep` (default: seed one now, drop it after)")
    parser.add_argument("--n", type=int, default=20, help="timed warm reports per language (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed reports first, per language (default 3)")
    parser.add_argument("--batch", type=int, default=100, help="reports in the one-worker batch (default 100)")
    parser.add_argument(
        "--batch-languages", default="en,ko", help="a batch (fresh process) per language (default en,ko)"
    )
    parser.add_argument("--batch-child", choices=LANGUAGES, help=argparse.SUPPRESS)
    parser.add_argument("--batch-ids", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    os.environ.setdefault("DEBUG", "0")
    if args.batch_child:
        batch_child(args.slug, args.batch_child, [int(pk) for pk in args.batch_ids.split(",")])
        return
    batch_languages = [language for language in args.batch_languages.split(",") if language]
    assert set(batch_languages) <= set(LANGUAGES), f"--batch-languages: {LANGUAGES} only"

    load_at_start = [round(value, 2) for value in os.getloadavg()]  # others' processes slow WeasyPrint down
    seeded = None
    slug = args.slug
    if slug is None:
        _common.log("no --slug: seeding a gym with bench/seed_data.py --keep")
        slug, seeded = seed_gym()
    _common.setup_django()
    _common.require_migrated()
    from django.conf import settings
    from django.db import connection

    warm, queries, sizes, batches = {}, {}, {}, {}
    used_ids = []
    try:
        organization, actor = open_gym(slug)
        ids, clients_with_history = pick_assessments(actor, args.warmup + args.n + args.batch)
        warm_ids, batch_ids = ids[: args.warmup + args.n], ids[args.warmup + args.n :]
        used_ids = ids
        _common.log(
            f"gym {slug}; trainer {actor.user.email}: {clients_with_history} clients with 2+ assessments; "
            f"{len(warm_ids)} assessments warm, {len(batch_ids)} in the batch"
        )
        _common.log(f"  deleted {delete_reports(used_ids)} stored reports of these assessments first")

        _common.log("1. one report, warm")
        for language in LANGUAGES:
            timings, pdf_sizes = measure_warm(actor, warm_ids, language, args.n, args.warmup)
            warm[language] = {part: figures_of(values) for part, values in timings.items()}
            sizes[language] = pdf_sizes
            queries[language] = count_queries(actor, warm_ids[-1], language)
            full = warm[language]["full"]
            _common.log(f"  {language}: full p50 {full['p50_ms']} ms, p95 {full['p95_ms']} ms; {queries[language]}")

        _common.log(f"2. a batch of {len(batch_ids)} reports with one worker (fresh process per language)")
        for language in batch_languages:
            before = set(stored_reports(batch_ids))
            batch = run_batch(slug, language, batch_ids)
            connection.set_tenant(organization)
            file_sizes = new_stored_sizes(batch_ids, before)
            assert len(file_sizes) == len(batch_ids), f"{len(file_sizes)} reports stored by the batch"
            batch["stored_files"] = len(file_sizes)
            batch["stored_mb"] = round(sum(file_sizes) / 2**20, 2)
            batch["stored_mean_kb"] = round(sum(file_sizes) / len(file_sizes) / 1024, 1)
            batch["stored_max_kb"] = round(max(file_sizes) / 1024, 1)
            batches[language] = batch
            _common.log(
                f"  {language}: {batch['seconds']} s, {batch['reports_per_second']} reports/s, "
                f"peak RSS {batch['peak_rss_mb']} MB; stored {batch['stored_mb']} MB"
            )
        machine = _common.machine()
    finally:
        if used_ids:
            connection.set_tenant(organization)
            _common.log(f"  deleted the {delete_reports(used_ids)} reports the bench stored")
            if seeded is not None:
                remove_empty_media_dirs()
        connection.set_schema_to_public()
        if seeded is not None:
            _common.log("cleaning up the seeded gym")
            _common.log(f"  {_common.cleanup([slug])}")

    def size_kb(values):
        return {
            "mean_kb": round(sum(values) / len(values) / 1024, 1),
            "min_kb": round(min(values) / 1024, 1),
            "max_kb": round(max(values) / 1024, 1),
        }

    pdf_sizes = {language: size_kb(values) for language, values in sizes.items()}
    print(
        f"reports: gym {slug}, {args.n} reports per language after {args.warmup} warm-up, each of another "
        f"assessment, DEBUG={settings.DEBUG}, {machine['cpus']} CPUs, load average at start {load_at_start[0]}"
    )
    print(f"{'lang':<6}{'part':<30}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'queries':>9}")
    for language, parts in warm.items():
        counts = queries[language]
        per_part = {"read": counts["read"], "template": "", "pdf": counts["render"], "full": "", "cached": ""}
        per_part["full"] = counts["read"] + counts["render"]
        per_part["cached"] = counts["read"] + counts["report_pdf_hit"]
        for part in PARTS:
            figures = parts[part]
            print(
                f"{language:<6}{PART_LABELS[part]:<30}{figures['p50_ms']:>8.1f}{figures['p95_ms']:>8.1f}"
                f"{figures['max_ms']:>8.1f}{per_part.get(part, ''):>9}"
            )
    for language, figures in pdf_sizes.items():
        print(f"{language} PDF: {figures['mean_kb']} KB mean ({figures['min_kb']}-{figures['max_kb']} KB)")
    if batches:
        print(
            f"{'batch':<6}{'reports':>8}{'seconds':>9}{'per s':>7}{'p50 ms':>8}{'1st ms':>8}"
            f"{'peak RSS MB':>12}{'RSS before':>11}{'stored MB':>10}{'KB each':>8}"
        )
        for language, batch in batches.items():
            print(
                f"{language:<6}{batch['reports']:>8}{batch['seconds']:>9.1f}{batch['reports_per_second']:>7.2f}"
                f"{batch['p50_ms']:>8.1f}{batch['first_report_ms']:>8.1f}{batch['peak_rss_mb']:>12.1f}"
                f"{batch['rss_before_mb']:>11.1f}{batch['stored_mb']:>10.2f}{batch['stored_mean_kb']:>8.1f}"
            )
    misses = [language for language, parts in warm.items() if parts["full"]["p50_ms"] >= TARGET_P50_MS]
    print(
        f"target p50 (read + template + pdf) < {TARGET_P50_MS} ms: "
        + ("met" if not misses else "missed by " + ", ".join(misses))
    )
    _common.emit(
        {
            "bench": "reports",
            "slug": slug,
            "n": args.n,
            "warmup": args.warmup,
            "warm": warm,
            "queries": queries,
            "pdf_sizes": pdf_sizes,
            "batch": batches,
            "target_p50_ms": TARGET_P50_MS,
            "worst_p50_ms": max(parts["full"]["p50_ms"] for parts in warm.values()),
            "meets_target": not misses,
            "seed_seconds": seeded["seconds"] if seeded else None,
            "load_average_at_start": load_at_start,
            **machine,
        }
    )


if __name__ == "__main__":
    main()
