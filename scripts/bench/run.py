"""`make bench`: the load test at realistic scale, end to end, and one table of the figures.

On PostgreSQL and Redis, with the production settings (accompagnement.settings.base):
create and migrate the bench database, seed it (`seed_bench --scale S --reset`, peak memory
measured), collect the static files, start an SMTP sink, gunicorn (sync workers) and a
Celery worker, run locust headless (scripts/bench/locustfile.py: coordinators, mentors and
beneficiaries on their key pages and API endpoints), then the booking contention over HTTP,
the memory of every server process, the closing-report PDF (`bench_closing_report`) and the
reminder dispatch (`bench_reminders`). Prints the table and writes it to bench/out/report.md.

Settings (environment; `make bench` passes BENCH_SCALE and BENCH_TIME):
  BENCH_DATABASE_URL  postgres://postgres@127.0.0.1:5432/accompagnement_bench
  BENCH_REDIS_URL     redis://127.0.0.1:6379/15      (the run purges its Celery queue)
  BENCH_SCALE 1 · BENCH_TIME 180s · BENCH_USERS 8 · BENCH_THINK 0.5,1.5 (seconds between pages)
  BENCH_PORT 8765 (gunicorn) · BENCH_SMTP_PORT 8766 · BENCH_GUNICORN_WORKERS 2
  BENCH_RESEED 1 (0: keep the data already seeded) · BENCH_RENDERS 20 · BENCH_REMINDERS 10000
"""

from __future__ import annotations

import datetime
import json
import math
import os
import platform
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
OUT = BASE_DIR / "bench" / "out"
LOGINS_FILE = OUT / "logins.json"
PYTHON = sys.executable

# Targets (issue 10).
P95_MS = 50
MAX_QUERIES = 12
PDF_MEDIAN_MS = 250
REMINDERS_SECONDS = 60
WORKER_MB = 200
PDF_MB = 150
SEED_MB = 1024


@dataclass
class Config:
    database_url: str = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/accompagnement_bench"
    )
    redis_url: str = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    scale: str = os.environ.get("BENCH_SCALE", "1")
    run_time: str = os.environ.get("BENCH_TIME", "180s")
    users: int = int(os.environ.get("BENCH_USERS", "8"))
    think: str = os.environ.get("BENCH_THINK", "0.5,1.5")
    port: int = int(os.environ.get("BENCH_PORT", "8765"))
    smtp_port: int = int(os.environ.get("BENCH_SMTP_PORT", "8766"))
    gunicorn_workers: int = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
    reseed: bool = os.environ.get("BENCH_RESEED", "1") != "0"
    renders: int = int(os.environ.get("BENCH_RENDERS", "20"))
    reminders: int = int(os.environ.get("BENCH_REMINDERS", "10000"))

    @property
    def base_url(self) -> str:
        """What the clients ask for: https, forwarded over HTTP by proxy.TlsProxyAdapter."""
        return f"https://127.0.0.1:{self.port}"

    @property
    def gunicorn_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self, **extra: str) -> dict[str, str]:
        """The production settings, configured for this machine (plain HTTP behind a proxy
        that the load generator plays: SECURE_SSL_REDIRECT stays on)."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "accompagnement.settings.base",
            "DEBUG": "false",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.base_url,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "STATIC_ROOT": str(OUT / "staticfiles"),
            "MEDIA_ROOT": str(OUT / "media"),
            "SMS_FILE_PATH": str(OUT / "sms.jsonl"),
            "LOG_LEVEL": "WARNING",
            **extra,
        }


SECRET_KEY = "bench-" + secrets.token_urlsafe(40)


@dataclass
class Results:
    config: Config
    started: datetime.datetime = field(default_factory=datetime.datetime.now)
    seed: dict = field(default_factory=dict)
    endpoints: dict = field(default_factory=dict)
    warmup_requests: int = 0
    contention: dict = field(default_factory=dict)
    memory: list = field(default_factory=list)
    pdf: dict = field(default_factory=dict)
    reminders: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    load_average: tuple = ()


# --- Processes ------------------------------------------------------------------------------


class Processes:
    """Every process the run starts, each in its own session so that it is stopped with
    its children (gunicorn's and Celery's workers), whatever ends the run."""

    def __init__(self) -> None:
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str], env: dict, log: Path) -> subprocess.Popen:
        with log.open("w") as output:
            process = subprocess.Popen(  # noqa: S603 (our own argv)
                argv,
                env=env,
                cwd=BASE_DIR,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.running[name] = process
        return process

    def stop(self, name: str, timeout: float = 30) -> None:
        process = self.running.pop(name, None)
        if process is None or process.poll() is not None:
            return
        # SIGTERM to the main process only: gunicorn and Celery then stop their workers
        # gracefully (a task being run is finished); the whole group is killed on a timeout.
        try:
            process.terminate()
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass

    def stop_all(self) -> None:
        for name in list(self.running)[::-1]:
            self.stop(name)


PROCESSES = Processes()


def measured(argv: list[str], env: dict, label: str) -> tuple[int, str, float]:
    """Run a command to its end, echoing its output; (exit code, output, peak RSS in MB of
    the process, from wait4's rusage, so no /usr/bin/time is needed)."""
    process = subprocess.Popen(  # noqa: S603 (our own argv)
        argv,
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    PROCESSES.running[label] = process
    lines = []
    for line in process.stdout:
        lines.append(line)
        print(f"    {line}", end="", flush=True)
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    PROCESSES.running.pop(label, None)
    return process.returncode, "".join(lines), usage.ru_maxrss / 1024


def manage(config: Config, *args: str) -> None:
    done = subprocess.run(  # noqa: S603 (our own argv)
        [PYTHON, "manage.py", *args], env=config.env(), cwd=BASE_DIR, capture_output=True, text=True
    )
    if done.returncode:
        print(done.stdout + done.stderr, file=sys.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed (exit {done.returncode}).")


def step(title: str) -> float:
    print(f"\n== {title}", flush=True)
    return time.monotonic()


# --- Steps ----------------------------------------------------------------------------------


def prepare_database(config: Config) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(config.database_url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"  created database {name}")
    manage(config, "migrate", "--noinput", "-v0")
    print(f"  {name} migrated")


def seed(config: Config, results: Results) -> None:
    env = config.env()
    if (BASE_DIR / "core" / "management" / "commands" / "seed_bench.py").exists():
        argv = [PYTHON, "manage.py", "seed_bench", "--scale", config.scale, "--reset"]
        results.seed["command"] = f"seed_bench --scale {config.scale} --reset"
    else:
        argv = [PYTHON, "manage.py", "seed_demo"]
        results.seed["command"] = "seed_demo"
        results.notes.append("seed_bench is missing: the run used the demo data (seed_demo).")
    if results.seed["command"] == "seed_demo":
        config.scale = "demo"
    started = time.monotonic()
    code, output, rss = measured(argv, env, "seed")
    if code:
        raise SystemExit(f"{results.seed['command']} failed (exit {code}).")
    results.seed.update(seconds=time.monotonic() - started, rss_mb=rss)
    # seed_bench prints the logins to use ("  coordinator: …@bench.example.org"): the
    # targets script reads them from this file.
    logins = dict(re.findall(r"^\s+(coordinator|mentor|beneficiary):\s+(\S+@\S+)$", output, re.M))
    password = re.search(r"^Logins \(password (\S+)\)", output, re.M)
    if password:
        logins["password"] = password.group(1)
    LOGINS_FILE.unlink(missing_ok=True)
    if logins:
        LOGINS_FILE.write_text(json.dumps(logins, indent=1))


def start_servers(config: Config) -> None:
    OUT.joinpath("logs").mkdir(parents=True, exist_ok=True)
    logs = OUT / "logs"
    smtp_address = f"127.0.0.1:{config.smtp_port}"
    PROCESSES.start(
        "smtp",
        [PYTHON, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", smtp_address],
        os.environ.copy(),
        logs / "smtp.log",
    )
    # Sync workers, as production runs them (docker-compose.yml): one request per process,
    # no thread shares the GIL with a page being rendered; 2 workers for 2 cores.
    PROCESSES.start(
        "gunicorn",
        [
            *(PYTHON, "-m", "gunicorn", "accompagnement.wsgi:application"),
            *("--bind", f"127.0.0.1:{config.port}", "--workers", str(config.gunicorn_workers)),
            *("--worker-class", "sync", "--timeout", "120", "--log-level", "warning"),
        ],
        config.env(BENCH_QUERY_HEADER="1"),
        logs / "gunicorn.log",
    )
    # As docker-compose.yml's worker: prefork, one process per core.
    PROCESSES.start(
        "celery",
        [
            *(PYTHON, "-m", "celery", "-A", "accompagnement", "worker", "-l", "WARNING"),
            *("-n", "loadtest@%h", "--without-gossip", "--without-mingle"),
        ],
        config.env(),
        logs / "celery.log",
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        for name, process in PROCESSES.running.items():
            if process.poll() is not None:
                raise SystemExit(f"{name} stopped at start-up: see {logs / (name + '.log')}")
        try:
            with urllib.request.urlopen(config.gunicorn_url + "/healthz", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    else:
        raise SystemExit("gunicorn did not answer /healthz within 90 s.")
    ping = [PYTHON, "-m", "celery", "-A", "accompagnement", "inspect", "ping", "-t", "2"]
    for _ in range(20):
        answer = subprocess.run(  # noqa: S603 (our own argv)
            ping, env=config.env(), cwd=BASE_DIR, capture_output=True, text=True
        )
        if "loadtest@" in answer.stdout:
            break
    else:
        raise SystemExit("The Celery worker did not answer a ping.")
    # Warm the workers' imports and templates once, as a deployed site would be.
    login_page = urllib.request.Request(  # noqa: S310 (our own URL)
        config.gunicorn_url + "/compte/connexion/", headers={"X-Forwarded-Proto": "https"}
    )
    for _ in range(config.gunicorn_workers * 2):
        urllib.request.urlopen(login_page, timeout=30).read()  # noqa: S310
    print(
        f"  gunicorn ({config.gunicorn_workers} sync workers) on {config.gunicorn_url}, "
        f"Celery worker on {config.redis_url}, SMTP sink on 127.0.0.1:{config.smtp_port}"
    )


def load_test(config: Config, results: Results, targets_file: Path) -> None:
    samples_file = OUT / "samples.json"
    samples_file.unlink(missing_ok=True)
    argv = [PYTHON, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless"]
    argv += ["-u", str(config.users), "-r", str(config.users), "--run-time", config.run_time]
    argv += ["--host", config.base_url, "--stop-timeout", "10", "--only-summary"]
    argv += ["--csv", str(OUT / "locust"), "--loglevel", "WARNING"]
    env = {
        **os.environ,
        "BENCH_TARGETS": str(targets_file),
        "BENCH_SAMPLES": str(samples_file),
        "BENCH_USERS": str(config.users),
        "BENCH_THINK": config.think,
    }
    with (OUT / "logs" / "locust.log").open("w") as log:
        process = subprocess.Popen(  # noqa: S603 (our own argv)
            argv, env=env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT
        )
        PROCESSES.running["locust"] = process
        process.wait()
        PROCESSES.running.pop("locust", None)
    if not samples_file.exists():
        raise SystemExit(f"locust wrote no samples: see {OUT / 'logs' / 'locust.log'}")
    samples = json.loads(samples_file.read_text())["samples"]
    for name, rows in sorted(samples.items()):
        is_login = name.startswith("login")
        kept = [r for r in rows if is_login or not r[5]]
        results.warmup_requests += len(rows) - len(kept)
        if kept:
            results.endpoints[name] = summarise(kept, is_login=is_login)


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summarise(rows: list, *, is_login: bool = False) -> dict:
    times = [r[0] for r in rows]
    queries = [r[1] for r in rows if r[1] is not None]
    return {
        "requests": len(rows),
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "max": max(times),
        "errors": sum(1 for r in rows if r[3]),
        "refused": sum(1 for r in rows if r[4]),
        "statuses": sorted({r[2] for r in rows}),
        "sql_median": statistics.median(queries) if queries else None,
        "sql_max": max(queries) if queries else None,
        "key": not is_login,
    }


def process_memory(name: str) -> list[tuple[str, float]]:
    """VmHWM (peak resident set) of a running server's processes, main one first."""
    import psutil

    process = PROCESSES.running.get(name)
    if process is None or process.poll() is not None:
        return []
    main = psutil.Process(process.pid)
    found = [("main", main.pid)] + [
        (f"{n + 1}", child.pid) for n, child in enumerate(main.children(recursive=False))
    ]
    peaks = []
    for label, pid in found:
        status = Path(f"/proc/{pid}/status").read_text()
        kilobytes = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
        peaks.append((label, kilobytes / 1024))
    return peaks


def memory(results: Results) -> None:
    """Gunicorn's workers and every process of the Celery worker (its main process and its
    pool) are held to the target; gunicorn's master serves no request."""
    for label, megabytes in process_memory("gunicorn"):
        name = "gunicorn master" if label == "main" else f"gunicorn worker {label}"
        results.memory.append({"name": name, "mb": megabytes, "target": label != "main"})
    for label, megabytes in process_memory("celery"):
        name = "Celery worker, main process" if label == "main" else f"Celery pool process {label}"
        results.memory.append({"name": name, "mb": megabytes, "target": True})


def pdf(config: Config, results: Results) -> None:
    # What a Django process weighs before rendering anything, to read the PDF's figure.
    _code, _output, baseline = measured([PYTHON, "manage.py", "check"], config.env(), "check")
    code, output, rss_all = measured(
        [PYTHON, "manage.py", "bench_closing_report", "--renders", str(config.renders)],
        config.env(),
        "pdf",
    )
    # The target is for one render: a process that renders one report (after the
    # command's untimed first render), apart from the timed series above.
    _code, _output, rss = measured(
        [PYTHON, "manage.py", "bench_closing_report", "--renders", "1"], config.env(), "pdf-one"
    )
    figures = re.search(r"median (\d+) ms · p95 (\d+) ms · max (\d+) ms", output)
    if code or figures is None:
        results.notes.append("bench_closing_report failed: see its output above.")
        return
    first = re.search(r"first render (\d+) ms", output)
    results.pdf = {
        "renders": config.renders,
        "median": int(figures.group(1)),
        "p95": int(figures.group(2)),
        "max": int(figures.group(3)),
        "first": int(first.group(1)) if first else None,
        "rss_mb": rss,
        "rss_series_mb": rss_all,
        "baseline_mb": baseline,
    }


def reminders(config: Config, results: Results) -> None:
    code, output, _rss = measured(
        [
            PYTHON,
            "manage.py",
            "bench_reminders",
            "--count",
            str(config.reminders),
            "--workers",
            "2",
        ],
        config.env(),
        "reminders",
    )
    seconds = re.search(r"first enqueue to last sent: ([\d.]+) s", output)
    sink = re.search(r"sink received: (\d+), distinct: (\d+), duplicates: (\d+)", output)
    sent = re.search(r"sent: (\d+), failed: (\d+), still pending: (\d+)", output)
    if code or not (seconds and sink and sent):
        results.notes.append("bench_reminders failed or sent nothing: see its output above.")
        return
    results.reminders = {
        "count": config.reminders,
        "seconds": float(seconds.group(1)),
        "received": int(sink.group(1)),
        "duplicates": int(sink.group(3)),
        "sent": int(sent.group(1)),
        "failed": int(sent.group(2)),
        "pending": int(sent.group(3)),
    }


# --- The table ------------------------------------------------------------------------------


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def sql(row: dict) -> str:
    if row.get("sql_max") is None:
        return "–"
    median, top = row["sql_median"], row["sql_max"]
    return f"{median:g}" if median == top else f"{median:g} (max {top})"


def mark(ok: bool | None) -> str:
    return "" if ok is None else ("✓" if ok else "✗")


def other_scale_sql(config: Config) -> tuple[str | None, dict]:
    """SQL per endpoint (median and highest) measured at another scale (the latest other
    results file)."""
    files = sorted(
        (p for p in OUT.glob("results-scale-*.json") if p.stem != f"results-scale-{config.scale}"),
        key=lambda p: p.stat().st_mtime,
    )
    if not files:
        return None, {}
    data = json.loads(files[-1].read_text())
    return data["scale"], dict(data["endpoints"])


ROLE_ORDER = ("coordinator:", "mentor:", "beneficiary:", "API:")


def by_role(item: tuple[str, dict]) -> tuple[int, str]:
    name = item[0]
    return next((n for n, p in enumerate(ROLE_ORDER) if name.startswith(p)), 9), name


EMPTY = ("",) * 6  # the request columns of a row that is not a request
NUMERIC = {"Requests", "p50 ms", "p95 ms", "Max ms", "Errors"}


def table(results: Results) -> tuple[str, bool]:
    config = results.config
    other_scale, other_sql = other_scale_sql(config)
    header = ["Measure", "Requests", "p50 ms", "p95 ms", "Max ms", "Errors", "SQL/request"]
    if other_scale:
        header.append(f"SQL at scale {other_scale}")
    header += ["Result", "Target", "OK"]
    rows: list[list[str]] = []
    all_ok = True

    def add(cells: list[str], extra_sql: str | None = None) -> None:
        if other_scale:
            cells.insert(7, extra_sql if extra_sql is not None else "")
        rows.append(cells)

    for name, row in sorted(results.endpoints.items(), key=by_role):
        if not row["key"]:
            continue
        same = other_sql.get(name)
        ok = (
            row["p95"] <= P95_MS
            and row["errors"] == 0
            and row["sql_max"] is not None
            and row["sql_max"] <= MAX_QUERIES
            # The page's own queries: the median. The highest can be one more where a request
            # wrote the session's activity stamp (once a minute per session), at any scale.
            and (same is None or same.get("sql_median") == row["sql_median"])
        )
        all_ok &= ok
        result = f"{row['refused']} refused (slot taken)" if row["refused"] else ""
        target = f"p95 ≤ {P95_MS} ms, SQL ≤ {MAX_QUERIES}"
        add(
            [
                name,
                str(row["requests"]),
                ms(row["p50"]),
                ms(row["p95"]),
                ms(row["max"]),
                str(row["errors"]),
                sql(row),
                result,
                target,
                mark(ok),
            ],
            "–" if same is None else sql(same),
        )
    key = [r for r in results.endpoints.values() if r["key"]]
    if key:
        total = sum(r["requests"] for r in key)
        seconds = _seconds(config.run_time)
        add(
            [
                "all key pages and endpoints",
                str(total),
                "",
                "",
                ms(max(r["max"] for r in key)),
                str(sum(r["errors"] for r in key)),
                "",
                f"{total / seconds:.1f} requests/s",
                "",
                "",
            ]
        )
    for name, row in results.endpoints.items():
        if row["key"]:
            continue
        add(
            [
                name,
                str(row["requests"]),
                ms(row["p50"]),
                ms(row["p95"]),
                ms(row["max"]),
                str(row["errors"]),
                sql(row),
                "password hashing, by design" if "POST" in name else "",
                "none (not a key page)",
                "",
            ]
        )
    if results.pdf:
        p = results.pdf
        ok = p["median"] <= PDF_MEDIAN_MS
        all_ok &= ok
        add(
            [
                f"closing-report PDF ({p['renders']} renders)",
                str(p["renders"]),
                str(p["median"]),
                str(p["p95"]),
                str(p["max"]),
                "0",
                "–",
                f"median {p['median']} ms (first {ms(p['first'])} ms)",
                f"median ≤ {PDF_MEDIAN_MS} ms",
                mark(ok),
            ]
        )
    if results.contention:
        c = results.contention
        ok = c["successes"] == 1 and c["server_errors"] == 0 and c["failed"] == 0
        all_ok &= ok
        timings = c["timings"]
        queries = c["queries"]
        add(
            [
                f"booking contention: {c['attempts']} POSTs on one slot, "
                f"{c['distinct_accounts']} people",
                str(c["attempts"]),
                ms(statistics.median(timings)) if timings else "–",
                ms(percentile(timings, 0.95)) if timings else "–",
                ms(max(timings)) if timings else "–",
                str(c["server_errors"] + c["failed"]),
                f"{statistics.median(queries):g} (max {max(queries)})" if queries else "–",
                f"{c['successes']} booked, {c['refused']} refused, {c['server_errors']} 5xx",
                "exactly 1 booked, 0 5xx",
                mark(ok),
            ]
        )
    if results.reminders:
        r = results.reminders
        ok = r["seconds"] <= REMINDERS_SECONDS and r["duplicates"] == 0 and r["sent"] == r["count"]
        all_ok &= ok
        add(
            [
                f"reminder dispatch ({r['count']:,} reminders, 2 workers)",
                str(r["count"]),
                "",
                "",
                "",
                str(r["failed"] + r["pending"]),
                "–",
                f"{r['seconds']:.1f} s, {r['duplicates']} duplicates",
                f"≤ {REMINDERS_SECONDS} s, 0 duplicates",
                mark(ok),
            ]
        )
    for row in results.memory:
        ok = row["mb"] <= WORKER_MB if row["target"] else None
        if ok is not None:
            all_ok &= ok
        add(
            [
                f"peak RSS: {row['name']}",
                "",
                "",
                "",
                "",
                "",
                "",
                f"{row['mb']:.0f} MB",
                f"≤ {WORKER_MB} MB" if row["target"] else "",
                mark(ok),
            ]
        )
    if results.pdf:
        ok = results.pdf["rss_mb"] <= PDF_MB
        all_ok &= ok
        add(
            [
                "peak RSS: PDF render process",
                *EMPTY,
                f"{results.pdf['rss_mb']:.0f} MB ({results.pdf['baseline_mb']:.0f} MB before; "
                f"{results.pdf['rss_series_mb']:.0f} MB after {results.pdf['renders'] + 1})",
                f"≤ {PDF_MB} MB",
                mark(ok),
            ]
        )
    if results.seed.get("rss_mb"):
        ok = results.seed["rss_mb"] <= SEED_MB
        all_ok &= ok
        add(
            [
                f"peak RSS: {results.seed['command']}",
                *EMPTY,
                f"{results.seed['rss_mb']:.0f} MB in {results.seed['seconds']:.0f} s",
                f"≤ {SEED_MB} MB",
                mark(ok),
            ]
        )
    return _markdown(header, rows), all_ok


def _seconds(run_time: str) -> float:
    units = {"h": 3600, "m": 60, "s": 1}
    total = sum(float(n) * units[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)([hms])", run_time))
    return total or float(run_time)


def _markdown(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    numeric = {
        i for i, h in enumerate(header) if h in {"Requests", "p50 ms", "p95 ms", "Max ms", "Errors"}
    }

    def line(cells: list[str]) -> str:
        return (
            "| "
            + " | ".join(
                c.rjust(widths[i]) if i in numeric else c.ljust(widths[i])
                for i, c in enumerate(cells)
            )
            + " |"
        )

    rule = (
        "|"
        + "|".join(
            "-" * (w + 1) + ":" if i in numeric else "-" * (w + 2) for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def machine(config: Config) -> str:
    postgres = "PostgreSQL ?"
    try:
        import psycopg

        with psycopg.connect(config.database_url) as connection:
            postgres = "PostgreSQL " + connection.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: S110 (only the report's description is at stake)
        pass
    return (
        f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"{postgres.split(' (')[0]}"
    )


def report(results: Results) -> tuple[str, bool]:
    config = results.config
    body, all_ok = table(results)
    notes = [
        f"`make bench` at scale {config.scale}, {results.started:%Y-%m-%d %H:%M}: "
        f"{config.users} users (coordinators, mentors, beneficiaries weighted 2:3:3), "
        f"{config.run_time}, {config.think.replace(',', ' to ')} s between pages; gunicorn "
        f"{config.gunicorn_workers} sync workers, Celery prefork worker, production settings.",
        f"Machine: {machine(config)}; load generator, servers, PostgreSQL and Redis on the "
        "same host. Load average (1 min) before and after the load test: "
        + " / ".join(f"{x:.1f}" for x in results.load_average)
        + (
            " (above the core count: other work shared the CPUs)."
            if max(results.load_average, default=0) > (os.cpu_count() or 1)
            else "."
        ),
        f"Seed: `{results.seed.get('command', 'none (BENCH_RESEED=0)')}`. Warm-up requests "
        f"left out of the table (before every user had logged in): {results.warmup_requests}.",
        "An endpoint's OK also needs 0 errors (any answer but the expected 200, 201 or "
        "refusal) and, when a run at another scale is on file (bench/out/results-scale-*.json), "
        "the same median SQL count there (a request that writes the session's activity "
        "stamp, once a minute per session, runs one query more: the highest count).",
        *results.notes,
    ]
    text = "\n".join(f"- {note}" for note in notes) + "\n\n" + body + "\n"
    text += "\nAll targets met.\n" if all_ok else "\nSome targets are missed (✗).\n"
    return text, all_ok


def save(results: Results) -> None:
    data = {
        "scale": results.config.scale,
        "endpoints": results.endpoints,
        "contention": results.contention,
        "memory": results.memory,
        "pdf": results.pdf,
        "reminders": results.reminders,
        "seed": results.seed,
    }
    path = OUT / f"results-scale-{results.config.scale}.json"
    path.write_text(json.dumps(data, indent=1, default=str))


# --- Main -----------------------------------------------------------------------------------


def interrupted(signum, frame):
    """SIGTERM as Ctrl-C: the `finally` below stops every server."""
    raise KeyboardInterrupt


def main() -> int:
    config = Config()
    results = Results(config)
    OUT.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        started = step(f"Database {urlsplit(config.database_url).path.lstrip('/')}")
        prepare_database(config)
        if config.reseed:
            step("Seed")
            seed(config, results)
        step("Static files")
        manage(config, "collectstatic", "--noinput", "-v0")
        targets_file = OUT / "targets.json"
        subprocess.run(  # noqa: S603 (our own argv)
            [PYTHON, str(HERE / "targets.py"), str(targets_file)],
            env=config.env(),
            cwd=BASE_DIR,
            check=True,
        )
        step("Servers")
        start_servers(config)
        step(f"Load test: {config.users} users for {config.run_time}")
        before = os.getloadavg()[0]
        load_test(config, results, targets_file)
        results.load_average = (before, os.getloadavg()[0])
        step("Booking contention")
        import contention

        results.contention = contention.run(config.base_url, json.loads(targets_file.read_text()))
        print(
            f"  {results.contention['successes']} booked, {results.contention['refused']} "
            f"refused, {results.contention['server_errors']} server errors"
        )
        memory(results)
        PROCESSES.stop("celery")  # bench_reminders starts its own workers on the same queue
        PROCESSES.stop("gunicorn")
        step(f"Closing-report PDF ({config.renders} renders)")
        pdf(config, results)
        step(f"Reminder dispatch ({config.reminders} reminders)")
        reminders(config, results)
        print(f"\n(whole run: {time.monotonic() - started:.0f} s)")
    except KeyboardInterrupt:
        print("\nInterrupted: stopping the servers.", file=sys.stderr)
        return 130
    finally:
        PROCESSES.stop_all()
    save(results)
    text, all_ok = report(results)
    (OUT / "report.md").write_text(text)
    print("\n" + text)
    print(f"(written to {(OUT / 'report.md').relative_to(BASE_DIR)})")
    # A missed target is a finding, not a failed run; BENCH_STRICT=1 makes it fail (CI).
    return 1 if os.environ.get("BENCH_STRICT") == "1" and not all_ok else 0


if __name__ == "__main__":
    sys.exit(main())
