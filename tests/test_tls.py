"""An https target: a certificate the client does not trust is a clear exit 2; CA_FILE trusts it."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading

import pytest
import uvicorn

from modelarts_vj.server.app import ReferenceService
from modelarts_vj.server.serving import bind
from modelarts_vj.server.store import JobStore

from .test_conformance import conform, statuses


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (its own CA), made with Debian's openssl."""
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to make a test certificate"
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "key.pem"),
                    "-out", str(folder / "cert.pem")], check=True, capture_output=True)
    return folder / "cert.pem", folder / "key.pem"


@contextlib.contextmanager
def https_reference_server(cert, key):
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(ReferenceService(JobStore()).app(), log_level="critical", lifespan="off",
                                           ssl_certfile=str(cert), ssl_keyfile=str(key)))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            thread.join(0.01)
        yield f"https://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def test_an_untrusted_certificate_exits_2_with_a_clear_message(tmp_path, certificate):
    with https_reference_server(*certificate) as url:
        code, output, _ = conform(tmp_path, "--url", url, timeout=60)
    assert code == 2 and url in output and "CERTIFICATE_VERIFY_FAILED" in output, output
    assert "Traceback" not in output


def test_ca_file_trusts_the_certificate(tmp_path, certificate):
    with https_reference_server(*certificate) as url:
        code, output, results = conform(tmp_path, "--url", url, "--ca-file", str(certificate[0]), "--", "-m",
                                        "table2 or table3")
    assert code == 0, output
    assert statuses(results)["T3.success.is_success"] == "pass"
