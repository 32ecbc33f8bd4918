"""Elasticsearch nodes a test starts itself, with engine/start.sh, on ports of its own and
with data directories of their own (node-<port>/ where engine/paths.sh puts them), and kills
itself: only the process in the pid file that start.sh wrote for that port."""

import json
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from functools import cache
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"


@cache
def engine_base():
    """Where start.sh keeps each node's state: engine/target/, or a folder under /var/tmp
    when the engine runs as nobody (as root) and the clone lies in a folder closed to others.
    Asked of engine/paths.sh itself, so that the pid file read here is the one start.sh wrote."""
    found = subprocess.run(
        ["bash", "-c", 'here="$1"; source "$1/paths.sh"; printf %s "$engine_base"', "-", ENGINE],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return Path(found.stdout)


def distribution_present():
    return any((ENGINE / "target").glob("elasticsearch-*/bin/elasticsearch"))


class EngineNode:
    def __init__(self, port, **cluster):
        """`cluster`: ENGINE_* variables of engine/start.sh for a node of a cluster (e.g.
        ENGINE_CLUSTER, ENGINE_SEED_HOSTS)."""
        self.port = port
        self.state = engine_base() / f"node-{port}"
        self.env = {**os.environ, "ENGINE_PORT": str(port), "ENGINE_HEAP": "512m", **cluster}
        self._process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def name(self):
        return f"node-{self.port}"

    def wipe(self):
        """A fresh data directory (before the first start only: never under a live node)."""
        assert not self.alive(), f"a node is running on {self.port}"
        shutil.rmtree(self.state, ignore_errors=True)

    def start(self):
        """Start in the background; `wait` returns once the node is healthy."""
        self._process = subprocess.Popen(
            ["bash", str(ENGINE / "start.sh")],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        return self

    def wait(self):
        output, _ = self._process.communicate(timeout=300)
        assert self._process.returncode == 0, output
        return self

    def pid(self):
        return int((self.state / "elasticsearch.pid").read_text().strip())

    def alive(self):
        pidfile = self.state / "elasticsearch.pid"
        if not pidfile.exists():
            return False
        try:
            os.kill(self.pid(), 0)
        except (ProcessLookupError, ValueError):
            return False
        return True

    def kill(self):
        """SIGKILL, as the kernel's OOM killer or a pulled plug would stop it."""
        pid = self.pid()
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            # A killed child of ours is reaped by its parent (the daemonised launcher's init).
            time.sleep(0.05)
        assert not Path(f"/proc/{pid}").exists(), f"pid {pid} survived SIGKILL"

    def stop(self):
        subprocess.run(["bash", str(ENGINE / "stop.sh")], env=self.env, check=True, timeout=120)

    def get(self, path, timeout=5):
        with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
            return json.loads(response.read())


def indexing_total(node, pattern):
    """Documents indexed into indices matching `pattern` since the node started."""
    stats = node.get(f"/{pattern}/_stats/indexing?allow_no_indices=true")
    return stats["_all"]["primaries"].get("indexing", {}).get("index_total", 0)


class KillWhenIndexing:
    """A thread that SIGKILLs `node` as soon as it has indexed a document into `pattern`
    beyond what it had when the thread started: in the middle of the bulk requests that
    follow."""

    def __init__(self, node, pattern):
        self.node = node
        self.pattern = pattern
        self.baseline = indexing_total(node, pattern)
        self.killed_at = None
        self.error = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        if self.error:
            raise self.error

    def _watch(self):
        try:
            while not self._done.is_set():
                if indexing_total(self.node, self.pattern) > self.baseline:
                    self.node.kill()
                    self.killed_at = time.monotonic()
                    return
                time.sleep(0.02)
        except Exception as error:  # handed to the test by __exit__
            self.error = error
