"""A user's session without a browser: the WebSocket messages Streamlit's frontend exchanges.

Twenty of these cost what one Chromium tab does, so a load test can hold many sessions on two
cores and still measure the server: each interaction is one rerun of a page with a query
string, timed from the request until the server says the script finished.
"""

from __future__ import annotations

import base64
import json
import time
from contextlib import ExitStack
from dataclasses import dataclass, field

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

FINISHED = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR,
}


@dataclass
class Run:
    """What one script run sent to the session."""

    seconds: float = 0.0
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    markdown: list[str] = field(default_factory=list)
    metrics: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)
    charts: list[dict] = field(default_factory=list)
    compile_error: bool = False

    def problems(self) -> list[str]:
        """Everything a user would read as something gone wrong."""
        return (
            [f"exception: {text}" for text in self.exceptions]
            + [f"error: {text}" for text in self.errors]
            + (["the script did not compile"] if self.compile_error else [])
        )


class AppSession:
    """One session on a running server, driven like a browser tab without drawing anything."""

    def __init__(self, origin: str, timeout: float = 60):
        self.timeout = timeout
        stream = origin.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.resources = ExitStack()
        self.connection = self.resources.enter_context(
            connect(stream, subprotocols=["streamlit"], open_timeout=timeout)
        )

    def run(self, page: str = "", query: str = "") -> Run:
        """Rerun page (its URL path, "" for Overview) as if the address bar held ?query."""
        request = BackMsg()
        request.rerun_script.page_name = page
        request.rerun_script.query_string = query
        run = Run()
        started = time.perf_counter()
        self.connection.send(request.SerializeToString())
        deadline = started + self.timeout
        while True:
            message = ForwardMsg.FromString(
                self.connection.recv(timeout=max(0.01, deadline - time.perf_counter()))
            )
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                read_element(message.delta.new_element, run)
            elif kind == "script_finished" and message.script_finished in FINISHED:
                run.compile_error = (
                    message.script_finished
                    == ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR
                )
                run.seconds = time.perf_counter() - started
                return run

    def close(self) -> None:
        self.resources.close()

    def __enter__(self) -> AppSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_element(element, run: Run) -> None:
    kind = element.WhichOneof("type")
    if kind == "exception":
        run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
    elif kind == "alert" and element.alert.format == Alert.ERROR:
        run.errors.append(element.alert.body)
    elif kind == "alert" and element.alert.format == Alert.WARNING:
        run.warnings.append(element.alert.body)
    elif kind == "heading":
        run.headings.append(element.heading.body)
    elif kind == "markdown":
        run.markdown.append(element.markdown.body)
    elif kind == "metric":
        run.metrics[element.metric.label] = element.metric.body
    elif kind == "multiselect":
        run.options[element.multiselect.label] = list(element.multiselect.options)
    elif kind == "plotly_chart":
        run.charts.append(json.loads(element.plotly_chart.spec))


def bar_count(figure: dict) -> int:
    """Bars over all bar traces; plotly ships numeric arrays base64-encoded ("bdata")."""
    count = 0
    for trace in figure["data"]:
        if trace.get("type") != "bar":
            continue
        values = trace.get("y", [])
        if isinstance(values, dict) and "bdata" in values:
            width = {"i1": 1, "u1": 1, "i2": 2, "u2": 2, "i4": 4, "u4": 4, "f4": 4, "f8": 8}
            count += len(base64.b64decode(values["bdata"])) // width[values["dtype"]]
        else:
            count += len(values)
    return count


def chart_count(origin: str, page: str = "", query: str = "") -> int:
    """How many charts the server sends for a page: what a browser test waits to see drawn."""
    with AppSession(origin) as session:
        return len(session.run(page, query).charts)
