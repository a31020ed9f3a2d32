"""Small hostile servers on loopback: silent, slow, HTML, garbage, truncated, huge, redirecting.

Each answers every request the same way, whatever the path or method, so the suite meets the same
hostility in its reachability check and in every probe.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator


def _serve(handle, stop: threading.Event, sock: socket.socket) -> None:
    sock.settimeout(0.2)
    while not stop.is_set():
        try:
            conn, _ = sock.accept()
        except TimeoutError:
            continue
        threading.Thread(target=handle, args=(conn, stop), daemon=True).start()


@contextlib.contextmanager
def raw_server(handle) -> Iterator[str]:
    """Serve `handle(conn, stop)` for each connection on a free loopback port; yields the base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    stop = threading.Event()
    thread = threading.Thread(target=_serve, args=(handle, stop, sock), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        sock.close()


def read_request(conn: socket.socket) -> bool:
    """Read one request (headers and Content-Length body); False when the client went away."""
    data = b""
    conn.settimeout(5)
    try:
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        while len(rest) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            rest += chunk
    except OSError:
        return False
    return True


def answering(status: str, content_type: str, body: bytes, extra_headers: str = "", declared_length: int | None = None,
              delay: float = 0.0):
    """A handler that answers every request with this status line, content type and body."""
    length = len(body) if declared_length is None else declared_length

    def handle(conn: socket.socket, stop: threading.Event) -> None:
        with conn:
            while read_request(conn):
                if delay:
                    stop.wait(delay)
                head = (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n"
                        f"{extra_headers}\r\n").encode()
                try:
                    conn.sendall(head + body)
                except OSError:
                    return
                if declared_length is not None:
                    return  # a truncated body: close before the declared length was sent
    return handle


def silent(conn: socket.socket, stop: threading.Event) -> None:
    """Accept the connection and never answer."""
    with conn:
        while not stop.wait(0.2):
            pass


def huge(conn: socket.socket, stop: threading.Event) -> None:
    """A 200 that declares 200 MiB of JSON and streams it until the client stops reading."""
    with conn:
        if not read_request(conn):
            return
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 209715200\r\n\r\n"
                     b'{"is_success": true, "padding": "')
        chunk = b"x" * 65536
        deadline = time.monotonic() + 30
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                conn.sendall(chunk)
        except OSError:
            return
