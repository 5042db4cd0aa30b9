"""Serving: this machine only, Streamlit's forgery protections on, no file path from a visitor.

The settings live in .streamlit/config.toml, which `make run` and `streamlit run app.py` both
read; the live checks run against a server started from it.
"""

import ast
import base64
import os
import re
import socket
import tomllib
import urllib.error
import urllib.request

import pytest

from tests.browser.server import serve
from tests.browser.session import AppSession
from tests.conftest import ROOT

CONFIG = ROOT / ".streamlit" / "config.toml"
APP_FILES = [
    ROOT / "app.py",
    *sorted((ROOT / "lib").glob("*.py")),
    *sorted((ROOT / "pages").glob("*.py")),
]


def config() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def options(table: dict, prefix: str = "") -> dict:
    """The file's settings as Streamlit names them: {"server.address": "127.0.0.1", ...}."""
    flat = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat |= options(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("server.address", "127.0.0.1"),
        ("server.headless", True),
        ("server.enableXsrfProtection", True),
        ("server.enableCORS", True),
        ("server.enableStaticServing", False),
        ("server.enableAgentApi", False),
        ("client.showErrorDetails", "type"),
        ("client.showErrorLinks", False),
        ("client.toolbarMode", "viewer"),
        ("browser.gatherUsageStats", False),
    ],
)
def test_config_setting(option, value):
    assert options(config())[option] == value


def test_websockets_only_from_local_host_names():
    assert set(options(config())["server.allowedHosts"]) == {"localhost", "127.0.0.1", "::1"}


def test_every_setting_is_one_this_streamlit_knows():
    from streamlit import config as streamlit_config

    known = streamlit_config.get_config_options()
    assert [name for name in options(config()) if name not in known] == []


def test_make_run_binds_to_loopback():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^run:.*\n\t(.*)$", makefile, re.M).group(1)
    assert "streamlit run app.py --server.address 127.0.0.1" in recipe


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on port, from the kernel's own table."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table, encoding="ascii") as rows:
            for row in list(rows)[1:]:
                local, state = row.split()[1], row.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:
                    found.add(address)
    return found


@pytest.mark.slow
def test_the_config_alone_binds_the_server_to_loopback(built_db, tmp_path):
    if options(config()).get("server.address") != "127.0.0.1":
        pytest.fail("the config does not pin 127.0.0.1; not starting an unpinned server")
    if not os.path.exists("/proc/net/tcp"):
        pytest.skip("no /proc/net/tcp to read listening sockets from")

    with serve(built_db, tmp_path / "streamlit.log", pin_address=False) as server:
        assert listening_addresses(server.port) == {"0100007F"}  # 127.0.0.1, nothing else


def test_upload_without_the_xsrf_token_is_refused(app_server):
    request = urllib.request.Request(f"{app_server.url}/_stcore/upload_file/any/any", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert refused.value.read() == b"XSRF token missing or invalid"


def handshake(port: int, host: str, origin: str | None) -> str:
    """The status line the server answers a WebSocket upgrade with."""
    lines = [
        "GET /_stcore/stream HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: streamlit",
        *([f"Origin: {origin}"] if origin else []),
    ]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
        return connection.recv(1024).split(b"\r\n")[0].decode("ascii")


@pytest.mark.parametrize(
    ("host", "origin", "status"),
    [
        ("127.0.0.1:{port}", "http://127.0.0.1:{port}", "101 Switching Protocols"),
        ("localhost:{port}", "http://localhost:{port}", "101 Switching Protocols"),
        ("127.0.0.1:{port}", "http://page-of-another-site.invalid", "403 Forbidden"),
        ("rebound.invalid:{port}", "http://rebound.invalid:{port}", "403 Forbidden"),
    ],
)
def test_websocket_only_from_this_origin_and_host(app_server, host, origin, status):
    port = app_server.port
    answer = handshake(port, host.format(port=port), origin.format(port=port))
    assert answer == f"HTTP/1.1 {status}"


def test_a_path_in_the_url_is_ignored(app_server):
    with AppSession(app_server.url) as session:
        run = session.run("", "db=/etc/passwd&source=../../etc/passwd")

    assert run.problems() == []
    # Notices are markdown with the user's text escaped; compare what a reader sees.
    assert [re.sub(r"\\(.)", r"\1", warning) for warning in run.warnings] == [
        "Ignored unknown parameter 'db'.",
        "Ignored unknown parameter 'source'.",
    ]
    assert run.metrics["Initiatives"] == "42"


FILE_CALLS = {
    "open",
    "connect",
    "stat",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "read_csv",
    "read_parquet",
    "read_json",
    "listdir",
    "iterdir",
    "glob",
    "unlink",
    "image",
    "audio",
    "video",
    "file_uploader",
    "html",
    "iframe",
}


def callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return call.func.id if isinstance(call.func, ast.Name) else None


def file_calls(path):
    """(function, callee) for every call in path that can open a file or embed one."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    owner = {}
    for function in ast.walk(tree):  # outer functions first, so inner ones overwrite
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            owner |= {node: function.name for node in ast.walk(function)}
    return [
        (owner.get(node, "<module>"), callee(node))
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and callee(node) in FILE_CALLS
    ]


def test_the_app_opens_only_the_database_the_operator_named():
    """The one file the app opens is the database path from PLAN_EXPLORER_DB (or the default)."""
    opened = {
        (str(path.relative_to(ROOT)), function, call)
        for path in APP_FILES
        for function, call in file_calls(path)
    }
    assert opened == {
        ("lib/db.py", "current_stamp", "stat"),
        ("lib/db.py", "_open", "connect"),
    }
    source = (ROOT / "lib" / "db.py").read_text(encoding="utf-8")
    assert re.findall(r"database_path\((.*?)\)", source) == [""]


def test_the_url_is_read_in_one_place():
    readers = [
        str(path.relative_to(ROOT)) for path in APP_FILES if "query_params" in path.read_text()
    ]
    assert readers == ["lib/filter_panel.py"]
