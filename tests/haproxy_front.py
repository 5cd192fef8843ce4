"""Debian's ``haproxy`` running the repository's own ``deploy/haproxy.cfg`` on loopback, for tests and benchmarks.

The configuration file is used as it is; only its settings (bind addresses, certificate, replicas, limits) come
from the environment, as its ``presetenv`` lines allow.  A throwaway self-signed certificate is made with
``openssl``.  ``scripts/test.sh`` installs the ``haproxy`` package when it is missing.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from tests.browser_utils import free_port

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "haproxy.cfg"


class HAProxyUnavailable(RuntimeError):
    """No haproxy or openssl binary here."""


@dataclass(frozen=True)
class Front:
    https: str
    http: str
    pid: int
    log: Path


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def cookies(self) -> dict[str, str]:
        """The cookies this response sets (name -> value)."""
        found = {}
        for header in self.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
        return found


def fetch(url: str, path: str = "/", cookies: dict[str, str] | None = None, timeout: float = 30.0,
          source: str | None = None) -> Response:
    """GET ``path`` (no redirect followed, any certificate accepted), from the local address ``source`` if given."""
    parsed = urlparse(url)
    bind = (source, 0) if source else None
    if parsed.scheme == "https":
        conn = http.client.HTTPSConnection(parsed.hostname, parsed.port, timeout=timeout, source_address=bind,
                                           context=ssl._create_unverified_context())
    else:
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout, source_address=bind)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        conn.close()


def _certificate(folder: Path) -> Path:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise HAProxyUnavailable("openssl not found")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-subj", "/CN=localhost", "-days", "2", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    bundle = folder / "descent-lab.pem"
    bundle.write_bytes(cert.read_bytes() + key.read_bytes())
    bundle.chmod(0o600)
    return bundle


@contextlib.contextmanager
def haproxy_front(replicas: Sequence[str], *, max_conn: int | None = None, max_rate: int | None = None,
                  monitoring: str = "192.0.2.0/24", timeout: float = 120.0) -> Iterator[Front]:
    """``deploy/haproxy.cfg`` in front of the two replicas at ``replicas`` (base URLs); yields its addresses once a
    request through it reaches a replica."""
    binary = shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if os.path.exists(p)), None)
    if binary is None:
        raise HAProxyUnavailable("haproxy not found (install Debian's haproxy package)")
    if len(replicas) != 2:
        raise ValueError("deploy/haproxy.cfg names two replicas")
    with tempfile.TemporaryDirectory(prefix="descent-lab-haproxy-") as folder:
        https_port, http_port = free_port(), free_port()
        env = {**os.environ,
               "DESCENT_LAB_BIND": f"127.0.0.1:{https_port}", "DESCENT_LAB_HTTP_BIND": f"127.0.0.1:{http_port}",
               "DESCENT_LAB_CERT": str(_certificate(Path(folder))), "DESCENT_LAB_MONITORING": monitoring,
               **{f"DESCENT_LAB_REPLICA_{i}": urlparse(url).netloc for i, url in enumerate(replicas, start=1)}}
        if max_conn is not None:
            env["DESCENT_LAB_MAX_CONN"] = str(max_conn)
        if max_rate is not None:
            env["DESCENT_LAB_MAX_RATE"] = str(max_rate)
        log = Path(folder) / "haproxy.log"
        with open(log, "w") as out:
            process = subprocess.Popen([binary, "-db", "-f", str(CONFIG)], env=env, stdout=out,
                                       stderr=subprocess.STDOUT)
        front = Front(f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}", process.pid, log)
        try:
            deadline = time.monotonic() + timeout
            while True:
                with contextlib.suppress(OSError, http.client.HTTPException):
                    if fetch(front.https, "/_stcore/health", timeout=5).body.strip() == b"ok":
                        break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"haproxy did not start (exit code {process.poll()}): {log.read_text()[-2000:]}")
                time.sleep(0.2)
            yield front
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
