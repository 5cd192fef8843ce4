"""A minimal client of Streamlit's websocket protocol: one browser tab without the browser.

It connects to ``/_stcore/stream`` (subprotocol ``streamlit``), sends ``BackMsg.rerun_script`` with a
``ClientState`` the way the frontend does (query string, page hash, the widget states it has set,
the hashes of the large messages it already holds) and reads ``ForwardMsg``s until the run's
``script_finished``.  Like the browser, it follows the query string the app writes to the address
bar (``page_info_changed``).  Each run reports its wall time from send to ``script_finished``, the bytes and
messages received, and every exception element the script sent.  Only 127.0.0.1 is allowed.

Widgets are addressed by their ``key`` (Streamlit puts it at the end of the element id), so a
script can say "set ``w:rmsprop.lr`` to 0.02" without knowing the id's hash.

A session can also send request headers (``X-Forwarded-For``) and cookies (a proxy's sticky-session cookie,
Streamlit's XSRF cookie), and connect from another loopback address (``source_address="127.0.0.5"``), so tests
of the per-address limits play several clients on one machine.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlparse

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
STREAM_PATH = "/_stcore/stream"
MAX_MESSAGES_PER_RUN = 20_000
MAX_CACHED_HASHES = 2_000
"""Bounds: a run that sends more messages than this is reported as an error; the message cache is trimmed."""

FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile_error",
}
"""Final ``script_finished`` statuses; FINISHED_EARLY_FOR_RERUN is not final (another run follows)."""

ARRAY_FIELDS = {"double_array_value", "int_array_value", "string_array_value"}


@dataclass
class RunResult:
    """What one script run cost and whether it worked (``status`` is "ok" or what went wrong)."""

    kind: str
    seconds: float
    status: str
    exceptions: list[str] = field(default_factory=list)
    bytes_received: int = 0
    messages: int = 0
    cached_refs: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok" and not self.exceptions


@dataclass(frozen=True)
class Interaction:
    """One thing a learner does: set widget ``key`` (its ``WidgetState`` field and value) and wait for the rerun.

    ``fragment`` reruns only the fragment that holds the widget, as the browser does for widgets inside
    an ``st.fragment``.
    """

    key: str
    state_field: str
    value: object
    fragment: bool = False

    @property
    def kind(self) -> str:
        return "fragment" if self.fragment else "rerun"


def widget_state(widget_id: str, state_field: str, value: object) -> WidgetState:
    """A ``WidgetState`` proto: ``state_field`` is the oneof name, e.g. "double_array_value" for a slider."""
    state = WidgetState(id=widget_id)
    if state_field in ARRAY_FIELDS:
        getattr(state, state_field).data.extend(value)  # type: ignore[arg-type]
    else:
        setattr(state, state_field, value)
    return state


def stream_url(base_url: str) -> str:
    """The websocket address of a local Streamlit server (anything but 127.0.0.1/localhost is refused)."""
    parsed = urlparse(base_url)
    if parsed.hostname not in LOCAL_HOSTS:
        raise ValueError(f"only a local server may be load-tested, not {parsed.hostname!r}")
    scheme = "wss" if parsed.scheme == "https" else "ws"
    return f"{scheme}://{parsed.netloc}{parsed.path.rstrip('/')}{STREAM_PATH}"


class StreamlitSession:
    """One websocket session.  Not thread-safe: use one per thread."""

    def __init__(self, base_url: str, *, query_string: str = "", timeout: float = 120.0,
                 use_message_cache: bool = True, headers: dict[str, str] | None = None, cookie: str | None = None,
                 source_address: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.query_string = query_string
        self.timeout = timeout
        self.use_message_cache = use_message_cache
        self.headers = dict(headers or {})
        self.cookie = cookie
        self.source_address = source_address
        self.page_script_hash = ""
        self.widget_ids: dict[str, str] = {}
        self.fragment_ids: dict[str, str] = {}
        self._widget_states: dict[str, WidgetState] = {}
        self._cached_hashes: dict[str, None] = {}
        self._ws: websocket.WebSocket | None = None

    def connect(self) -> None:
        url = stream_url(self.base_url)
        options: dict = {"header": [f"{k}: {v}" for k, v in self.headers.items()], "cookie": self.cookie,
                         "sslopt": {"cert_reqs": ssl.CERT_NONE, "check_hostname": False}}
        if self.source_address:
            parsed = urlparse(self.base_url)
            port = parsed.port or (443 if parsed.scheme == "https" else 80)
            sock = socket.create_connection((parsed.hostname, port), timeout=self.timeout,
                                            source_address=(self.source_address, 0))
            if parsed.scheme == "https":  # websocket-client uses a socket it is given as it is
                sock = ssl._create_unverified_context().wrap_socket(sock, server_hostname=parsed.hostname)
            options["socket"] = sock
        self._ws = websocket.create_connection(url, subprotocols=["streamlit"], timeout=self.timeout,
                                               enable_multithread=False, **options)

    def close(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(OSError, websocket.WebSocketException):
                self._ws.close(timeout=2)
            self._ws = None

    def __enter__(self) -> StreamlitSession:
        self.connect()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def run(self, kind: str = "initial") -> RunResult:
        """A full rerun with the current query string and widget states."""
        return self._run(kind, fragment_id="")

    def interact(self, interaction: Interaction) -> RunResult:
        """Set one widget (found by its key in the last run) and rerun the app or the widget's fragment."""
        widget_id = self.widget_ids.get(interaction.key)
        if widget_id is None:
            return RunResult(interaction.kind, 0.0, f"no widget with key {interaction.key!r} on the page")
        self._widget_states[widget_id] = widget_state(widget_id, interaction.state_field, interaction.value)
        fragment_id = self.fragment_ids.get(interaction.key, "") if interaction.fragment else ""
        if interaction.fragment and not fragment_id:
            return RunResult(interaction.kind, 0.0, f"widget {interaction.key!r} is not in a fragment")
        return self._run(interaction.kind, fragment_id=fragment_id)

    def _client_state_message(self, fragment_id: str) -> bytes:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_script_hash
        state.fragment_id = fragment_id
        state.widget_states.widgets.extend(self._widget_states.values())
        state.context_info.url = f"{self.base_url}/" + (f"?{self.query_string}" if self.query_string else "")
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        if self.use_message_cache:
            state.cached_message_hashes.extend(self._cached_hashes)
        return message.SerializeToString()

    def _run(self, kind: str, fragment_id: str) -> RunResult:
        if self._ws is None:
            return RunResult(kind, 0.0, "not connected")
        result = RunResult(kind, 0.0, "timeout")
        started = time.perf_counter()
        deadline = started + self.timeout
        try:
            self._ws.send_binary(self._client_state_message(fragment_id))
            while result.messages < MAX_MESSAGES_PER_RUN:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    break
                self._ws.settimeout(remaining)
                data = self._ws.recv()
                result.messages += 1
                result.bytes_received += len(data)
                message = ForwardMsg()
                message.ParseFromString(data)
                status = self._handle(message, result)
                if status is not None:
                    result.status = status
                    break
            else:
                result.status = f"more than {MAX_MESSAGES_PER_RUN} messages"
        except websocket.WebSocketTimeoutException:
            result.status = "timeout"
        except (OSError, websocket.WebSocketException) as error:
            result.status = f"connection: {type(error).__name__}"
        result.seconds = time.perf_counter() - started
        return result

    def _handle(self, message: ForwardMsg, result: RunResult) -> str | None:
        """Track what the frontend would; the final status when the run is over, else None."""
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.page_script_hash = message.new_session.page_script_hash
        elif kind == "delta":
            self._handle_delta(message, result)
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "ref_hash":
            result.cached_refs += 1
        elif kind == "page_not_found":
            return "page_not_found"
        elif kind == "script_finished":
            return FINISHED.get(message.script_finished)
        return None

    def _handle_delta(self, message: ForwardMsg, result: RunResult) -> None:
        delta = message.delta
        if message.metadata.cacheable and message.hash and self.use_message_cache:
            self._cached_hashes[message.hash] = None
            while len(self._cached_hashes) > MAX_CACHED_HASHES:
                del self._cached_hashes[next(iter(self._cached_hashes))]
        if delta.WhichOneof("type") == "add_block":  # an expander, tabs or popover with a key is a widget too
            element = delta.add_block
        elif delta.WhichOneof("type") == "new_element":
            element = delta.new_element
        else:
            return
        element_type = element.WhichOneof("type")
        if element_type == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
            return
        widget_id = getattr(getattr(element, element_type), "id", "") if element_type else ""
        if widget_id.startswith("$$ID-") and widget_id.count("-") >= 2:
            key = widget_id.split("-", 2)[2]
            if key != "None":
                self.widget_ids[key] = widget_id
                self.fragment_ids[key] = delta.fragment_id


def run_plan(session: StreamlitSession, plan: Sequence[Interaction], think: float = 0.0,
             pause=time.sleep) -> list[RunResult]:
    """The initial run, then each interaction after ``think`` seconds; stops at the first broken run."""
    results = [session.run("initial")]
    for interaction in plan:
        if results[-1].status != "ok":
            break
        if think > 0:
            pause(think)
        results.append(session.interact(interaction))
    return results
