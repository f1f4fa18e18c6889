"""Generate transport-error rows by running httpx against servers started on 127.0.0.1.

Each scenario provokes one failure for real (refused port, silent server, reset socket,
self-signed TLS certificate, malformed status line, error status) and records the message
httpx raises, once per connector provider. Name-resolution failures are the one exception:
resolving a real name would query the machine's DNS server, so ``socket.getaddrinfo`` is
replaced by a stand-in that raises the ``socket.gaierror`` a resolver returns for an
unknown name, and httpx wraps it as it would the real one.

Run from the repository root: ``python datasets/errors/generate_transport_errors.py``.
It rewrites ``datasets/errors/transport_errors.jsonl``.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import socket
import ssl
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

OUTPUT = Path(__file__).with_name("transport_errors.jsonl")

# Paths of the documented endpoints each connector calls; the host is always loopback.
PROVIDER_PATHS = {
    "slack": "/api/chat.postMessage",
    "hubspot": "/crm/v3/objects/contacts",
    "bamboohr": "/api/gateway.php/acme/v1/employees/directory",
    "google_directory": "/admin/directory/v1/users",
}


@contextlib.contextmanager
def tcp_server(handle: Callable[[socket.socket], None]) -> Iterator[int]:
    """Serve one handler per accepted connection on a loopback port and yield the port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=handle, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        listener.close()


def read_request(connection: socket.socket) -> None:
    connection.settimeout(2)
    with contextlib.suppress(OSError):
        connection.recv(65536)


def silent(connection: socket.socket) -> None:
    read_request(connection)
    threading.Event().wait(1.5)
    connection.close()


def close_without_response(connection: socket.socket) -> None:
    read_request(connection)
    connection.close()


def reset_connection(connection: socket.socket) -> None:
    read_request(connection)
    # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    connection.close()


def garbage_status_line(connection: socket.socket) -> None:
    read_request(connection)
    connection.sendall(b"HTTP/1.1 two hundred OK\r\n\r\n")
    connection.close()


def truncated_body(connection: socket.socket) -> None:
    read_request(connection)
    connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"ok": tr')
    connection.close()


def status_responder(
    status: int, reason: str, headers: str = ""
) -> Callable[[socket.socket], None]:
    def respond(connection: socket.socket) -> None:
        read_request(connection)
        body = b'{"error": "' + reason.encode() + b'"}'
        head = (
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n{headers}"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        connection.sendall(head.encode() + body)
        connection.close()

    return respond


def self_signed_context(directory: Path, common_name: str) -> ssl.SSLContext:
    """Build a server TLS context with a fresh self-signed certificate for common_name."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(common_name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path = directory / f"{common_name}.pem"
    key_path = directory / f"{common_name}.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


def tls_responder(context: ssl.SSLContext) -> Callable[[socket.socket], None]:
    def handshake(connection: socket.socket) -> None:
        connection.settimeout(2)
        with contextlib.suppress(OSError, ssl.SSLError):
            wrapped = context.wrap_socket(connection, server_side=True)
            wrapped.recv(65536)
            wrapped.close()
        connection.close()

    return handshake


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def unresolvable_names(errno: int, text: str) -> Iterator[None]:
    """Make getaddrinfo fail for every name except loopback, without any DNS query."""
    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host in ("127.0.0.1", "localhost"):
            return real(host, *args, **kwargs)
        raise socket.gaierror(errno, text)

    socket.getaddrinfo = fake  # type: ignore[assignment]
    try:
        yield
    finally:
        socket.getaddrinfo = real  # type: ignore[assignment]


Outcome = tuple[str, int | None, str]


def capture(request: Callable[[], httpx.Response]) -> Outcome:
    """Run one request and return the error text, the HTTP status if any, and the class name."""
    try:
        response = request()
        response.raise_for_status()
    except httpx.HTTPStatusError as error:
        return f"httpx.HTTPStatusError: {error}", error.response.status_code, "HTTPStatusError"
    except httpx.HTTPError as error:
        name = type(error).__name__
        return f"httpx.{name}: {error}", None, name
    raise RuntimeError("the scenario did not fail")


def scenarios(workdir: Path) -> Iterator[tuple[str, str, Callable[[str], Outcome]]]:
    """Yield (name, category, run) where run takes a path and returns the outcome."""
    timeout = httpx.Timeout(0.3)

    def post(url: str, **options: object) -> httpx.Response:
        return httpx.post(url, json={"probe": True}, timeout=timeout, **options)  # type: ignore[arg-type]

    yield (
        "connection_refused",
        "network_error",
        lambda path: capture(lambda: post(f"http://127.0.0.1:{free_port()}{path}")),
    )

    def with_server(
        handler: Callable[[socket.socket], None], scheme: str = "http", **options: object
    ):
        def run(path: str) -> Outcome:
            with tcp_server(handler) as port:
                return capture(lambda: post(f"{scheme}://127.0.0.1:{port}{path}", **options))

        return run

    yield "read_timeout", "timeout", with_server(silent)
    yield "disconnect", "network_error", with_server(close_without_response)
    yield "reset", "network_error", with_server(reset_connection)
    # Rule malformed_response_is_unknown: a reply arrived, but no status can be read from it.
    yield "bad_status_line", "unknown", with_server(garbage_status_line)
    yield "truncated_body", "network_error", with_server(truncated_body)
    yield "connect_timeout", "timeout", with_server(silent, scheme="https")
    yield (
        "tls_to_plain_http",
        "network_error",
        with_server(status_responder(400, "Bad Request"), scheme="https"),
    )

    self_signed = self_signed_context(workdir, "127.0.0.1")
    yield (
        "tls_self_signed",
        "network_error",
        with_server(tls_responder(self_signed), scheme="https"),
    )
    wrong_name = self_signed_context(workdir, "api.example.invalid")
    trusting_wrong_name = ssl.create_default_context(
        cafile=str(workdir / "api.example.invalid.pem")
    )
    yield (
        "tls_hostname_mismatch",
        "network_error",
        with_server(tls_responder(wrong_name), scheme="https", verify=trusting_wrong_name),
    )

    def redirect_loop(connection: socket.socket) -> None:
        read_request(connection)
        connection.sendall(b"HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n")
        connection.close()

    yield "redirect_loop", "configuration_error", with_server(redirect_loop, follow_redirects=True)
    yield (
        "unsupported_protocol",
        "configuration_error",
        lambda path: capture(lambda: post(f"ftp://127.0.0.1{path}")),
    )

    def never_reads(connection: socket.socket) -> None:
        threading.Event().wait(1.5)
        connection.close()

    def write_timeout(path: str) -> Outcome:
        with tcp_server(never_reads) as port:
            body = b"x" * 64_000_000
            return capture(
                lambda: httpx.post(f"http://127.0.0.1:{port}{path}", content=body, timeout=timeout)
            )

    yield "write_timeout", "timeout", write_timeout

    def pool_exhausted(path: str) -> Outcome:
        with tcp_server(silent) as port:
            limits = httpx.Limits(max_connections=1)
            pool_timeout = httpx.Timeout(1.0, pool=0.2)
            with httpx.Client(limits=limits, timeout=pool_timeout) as client:
                url = f"http://127.0.0.1:{port}{path}"
                holder = threading.Thread(target=_swallow, args=(client, url))
                holder.start()
                threading.Event().wait(0.1)
                result = capture(lambda: client.get(url))
                holder.join()
                return result

    yield "pool_timeout", "timeout", pool_exhausted

    for code, text in (
        (-2, "Name or service not known"),
        (-3, "Temporary failure in name resolution"),
    ):

        def unresolved(path: str, code: int = code, text: str = text) -> Outcome:
            with unresolvable_names(code, text):
                return capture(lambda: post(f"https://api.example.invalid{path}"))

        yield f"dns_{-code}", "network_error", unresolved

    statuses = (
        (429, "Too Many Requests", "Retry-After: 30\r\n", "rate_limited"),
        (503, "Service Unavailable", "", "provider_unavailable"),
        (502, "Bad Gateway", "", "provider_unavailable"),
        (504, "Gateway Timeout", "", "timeout"),
        (413, "Payload Too Large", "", "payload_too_large"),
    )
    for status, reason, headers, category in statuses:
        yield f"status_{status}", category, with_server(status_responder(status, reason, headers))


def _swallow(client: httpx.Client, url: str) -> None:
    with contextlib.suppress(httpx.HTTPError):
        client.get(url)


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for name, category, run in scenarios(Path(workdir)):
            for provider, path in PROVIDER_PATHS.items():
                message, status, code = run(path)
                # The redirect server closes its socket, so httpx sometimes reads a reset
                # before it follows the redirect. The row is labelled by what it says.
                if code == "ReadError":
                    category = "network_error"
                rows.append(
                    {
                        "id": f"transport-{provider}-{name}",
                        "provider": provider,
                        "http_status": status,
                        "error_code": code,
                        "message": message,
                        "category": category,
                        "provenance": (
                            f"generated: httpx {httpx.__version__} against a loopback server "
                            f"({name}), datasets/errors/generate_transport_errors.py"
                        ),
                    }
                )
    with OUTPUT.open("w", encoding="utf-8") as output:
        for row in rows:
            output.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {OUTPUT}")


if __name__ == "__main__":
    main()
