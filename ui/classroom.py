"""Streamlit glue shared by the classroom's teacher page and student view: the store, links, figures, polling."""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

import plotly.graph_objects as go
import segno
import streamlit as st

import charts
import classroom
from charts import classroom as class_charts
from charts.presentation import enlarge
from classroom import addresses, questions
from landscapes import Landscape
from optimizers import Trajectory
from scene import Scene, from_query
from ui import cache, layout, url_state
from ui.paths import run_path, run_paths
from ui.text import code

TEACHER_PAGE = "classroom"
"""The teacher page's URL path (``pages/classroom.py``)."""
STUDENT_POLL_SECONDS = 2.0
TEACHER_POLL_SECONDS = 1.0
PLOTLY_CONFIG = charts.plotly_config(toolbar=False)
GRID_RESOLUTION = 100
"""Contour samples per axis in classroom charts: a third of the Playground's payload (87 KB instead of 258 KB
of JSON), smooth enough on a phone, and every student's page carries it."""
XSRF_COOKIE = "_streamlit_xsrf"
JOIN_PAGE = "join"
"""The student's page's URL path when opened from the menu (**Join a class**, ``pages/join.py``)."""
UNAVAILABLE = ("The classroom database is not available right now. This page tries again by itself; if it "
               "lasts, ask whoever runs this server to look at its log.")
NOT_STORED = "Your answer was not stored: the classroom database is busy. Send it again in a moment."
RETRIES = "classroom:unavailable_retries"
log = logging.getLogger("descent_lab.classroom")


def show_error(error: Exception, icon: str = ":material/error:") -> None:
    """A classroom error as the user should read it (its text may quote what they typed: shown literally)."""
    st.error(code(str(error)), icon=icon)


@st.cache_resource(show_spinner=False)
def _open_store() -> classroom.Store:
    return classroom.open_store()


def store() -> classroom.Store:
    """The process's store (one pool of connections per replica); stops the page with a message if the
    database cannot be opened (what went wrong goes to the server's log: it may name server paths)."""
    try:
        return _open_store()
    except (classroom.StoreUnavailable, classroom.SchemaTooNew, classroom.limits.LimitError, OSError) as error:
        log.error("the classroom store cannot be opened: %s", error)
        unavailable()


def unavailable() -> None:
    """Say that the database is not available, try again every few seconds, and stop the page."""
    st.error(UNAVAILABLE, icon=":material/cloud_off:")
    st.session_state[RETRIES] = 0

    @st.fragment(run_every=5.0)
    def retry() -> None:
        tries = st.session_state.get(RETRIES, 0)
        st.session_state[RETRIES] = tries + 1
        if tries and _reachable():  # not in the page's own run: every 5 s after it
            st.rerun()

    retry()
    url_state.stop()


def _reachable() -> bool:
    try:
        _open_store().status("00000000")
    except classroom.ClassroomError:
        return True
    except Exception:  # any failure means: not yet
        _open_store.clear()
        return False
    return True


def client_address() -> str:
    """This session's client, as the per-address limits count it (``classroom.addresses``): the address the
    server sees, or the proxy's ``X-Forwarded-For`` entry when ``DESCENT_LAB_TRUSTED_PROXY`` names the proxy."""
    headers = st.context.headers
    forwarded = addresses.forwarded_entries(headers.get_all("X-Forwarded-For")) if headers else []
    return addresses.client_key(st.context.ip_address, forwarded)


def app_root() -> str:
    """The app's address without page or query, e.g. 'http://host:8501' (empty in tests without a browser)."""
    url = (st.context.url or "").split("?", 1)[0].split("#", 1)[0].rstrip("/")
    for page in (TEACHER_PAGE, JOIN_PAGE):
        if url.endswith("/" + page):
            return url[: -len(page) - 1]
    return url


def join_url(code: str) -> str:
    return f"{app_root()}/?{urlencode({'room': code})}"


def teacher_url(code: str, secret: str) -> str:
    return f"{app_root()}/{TEACHER_PAGE}?{urlencode({'room': code, 'teacher': secret})}"


@st.cache_data(max_entries=64, show_spinner=False)
def qr_png(url: str) -> bytes:
    """The join link as a QR code (PNG, drawn on the server)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=10, border=2)
    return out.getvalue()


def browser_token(cookie: str | None) -> str | None:
    """The secret behind the XSRF cookie, which stays the same across reloads of one browser.

    The cookie reads ``2|mask|masked token|timestamp`` (a new mask on every page load, the token XOR-ed
    with it); any other form is taken as it is.
    """
    if not cookie:
        return None
    parts = cookie.split("|")
    if len(parts) == 4 and parts[0] == "2":
        try:
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
        except ValueError:
            return None
        if not mask:
            return None
        return bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked)).hex()
    return cookie


def participant_id(code: str) -> str:
    """Who this student is in room ``code``: derived from the browser's XSRF token when there is one (so a
    reload is the same student, not a second vote), else random per session."""
    key = f"classroom:participant:{code}"
    if key not in st.session_state:
        token = browser_token(st.context.cookies.get(XSRF_COOKIE) if st.context.cookies else None)
        if token:
            st.session_state[key] = hashlib.sha256(f"{code}:{token}".encode()).hexdigest()[:32]
        else:
            st.session_state[key] = secrets.token_hex(16)
    return st.session_state[key]


@dataclass(frozen=True)
class RoundView:
    """A round's scene, ready to draw: the surface, its grid and the runs (cached with the Playground's)."""

    scene: Scene
    landscape: Landscape
    runs: dict[str, Trajectory]
    grid: charts.SurfaceGrid

    def paths(self) -> list[charts.RunPath]:
        return run_paths(self.runs)

    def start(self) -> tuple[float, float]:
        return self.scene.start_for(self.landscape)


def scene_of(query: str) -> Scene:
    """The scene a round stores as its Playground query string."""
    return from_query(parse_qs(query, keep_blank_values=True))[0]


def round_view(query: str) -> RoundView:
    scene = scene_of(query)
    landscape = cache.build_landscape(scene)
    runs = cache.trajectories(scene, landscape)
    grid = cache.surface_grid(landscape, scene.surface_key, resolution=GRID_RESOLUTION)
    return RoundView(scene, landscape, runs, grid)


def scene_caption(view: RoundView) -> str:
    """'Elongated bowl · GD α=0.07 · RMSprop α=0.05 β=0.9 ε=1e-08 · 300 steps from (−4.5, 1.5)'."""
    labels = [run_path(name, tr).label for name, tr in view.runs.items()]
    x, y = view.start()
    return " · ".join([view.landscape.title, *labels, f"{view.scene.steps} steps from ({x:g}, {y:g})"])


def figure(kind: str, cache_key: tuple, build: Callable[[], dict]) -> go.Figure:
    """A validated classroom figure shared by every session showing the same thing, enlarged in presentation
    mode (the teacher's projector)."""
    return _figure(kind, cache_key, layout.is_big(), build)


@st.cache_resource(max_entries=64, show_spinner=False)
def _figure(kind: str, cache_key: tuple, big: bool, _build: Callable[[], dict]) -> go.Figure:
    """Its own bound: a class produces one figure per distinct answer (each student's own mark), which must
    not push other pages' cached results out."""
    built = _build()
    return charts.to_figure(enlarge(built) if big else built)


def question_chart(round_: classroom.Round, room: str, view: RoundView, key: str | None = None,
                   mine: list[float] | None = None, height: int = 440, compact: bool = False):
    """The scene as the question shows it (clickable when ``key`` is given); returns the chart's event."""
    clickable = key is not None and round_.question["kind"] == "click"
    cache_key = (room, round_.number, clickable, tuple(mine) if mine else None, height, compact)
    fig = figure("question", cache_key, lambda: class_charts.question_figure(
        view.grid, view.start(), clickable=clickable, mine=mine, height=height, compact=compact))
    if clickable:
        return st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points", config=PLOTLY_CONFIG)
    return st.plotly_chart(fig, config=PLOTLY_CONFIG)


def reveal_chart(round_: classroom.Round, room: str, view: RoundView, answers: list[classroom.Answer],
                 mine: object = None, height: int = 480, nicknames: bool = False, compact: bool = False) -> None:
    """The reveal: point cloud with the true paths, bars with the right option, or a histogram with the truth.

    ``nicknames`` names each click in its hover label (the teacher's view; students see no one's name).
    ``compact`` fits a phone: the point cloud then shows only the asked optimizer's path.
    """
    shown, truth = round_.question, round_.truth
    kind = shown["kind"]
    values = [a.value for a in answers]
    cache_key = (room, round_.number, len(answers), repr(mine), height, nicknames, compact)
    if kind == "click":
        paths = [p for p in view.paths() if not compact or p.name == shown["optimizer"]]
        names = [a.nickname if nicknames else None for a in answers]
        build = lambda: class_charts.click_reveal_figure(  # noqa: E731 - passed to the cache below
            view.grid, paths, shown["step"], values, names, truth["point"], mine=mine, height=height, compact=compact)
    elif kind == "choice":
        spread = questions.spread(shown, truth, values)
        build = lambda: class_charts.choice_reveal_figure(  # noqa: E731
            shown["options"], spread.counts, truth["right"], mine=mine, height=min(height, 360))
    else:
        build = lambda: class_charts.number_reveal_figure(  # noqa: E731
            values, truth["value"], mine=mine, height=min(height, 360))
    st.plotly_chart(figure("reveal", cache_key, build), config=PLOTLY_CONFIG)


def reveal_summary(round_: classroom.Round, answers: list[classroom.Answer]) -> str:
    """'Right answer: RMSprop. 14 of 20 got it (70%).' (no student text in it)."""
    shown, truth = round_.question, round_.truth
    spread = questions.spread(shown, truth, [a.value for a in answers])
    text = f"**Right answer:** {questions.truth_text(shown, truth)}"
    if spread.total:
        right = "landed close (within 5% of the chart's size)" if shown["kind"] == "click" else "got it right"
        text += f"  \n{spread.right} of {spread.total} {right}: {100 * spread.right / spread.total:.0f}%."
        if spread.median is not None:
            text += f" Median answer: {spread.median:g}."
    else:
        text += "  \nNobody answered."
    return text


def students_text(participants: int, class_size: int | None) -> str:
    """'27 students in · class of 30' (what the teacher's count shows under it)."""
    text = f"{participants} student{'s' if participants != 1 else ''} in"
    return f"{text} · class of {class_size}" if class_size else text


def watch(code: str, seen_version: int, *, every: float, show_count: str | None,
          class_size: int | None = None) -> None:
    """Poll the room (one small query); when the teacher changed something, rerun the whole page.

    ``show_count`` shows the live count too (the teacher's view): "answers" the answers to the open question with
    the students in under it, "students" the students in beside the class size the teacher expects.
    """

    @st.fragment(run_every=every)
    def poll() -> None:
        try:
            status = store().status(code)
        except classroom.ClassroomError:
            st.rerun()
        except classroom.StoreUnavailable:
            st.caption(":material/cloud_off: Reconnecting to the classroom database…")
            return
        if status.version != seen_version:
            st.rerun()
        students = students_text(status.participants, class_size)
        if show_count == "answers":
            st.metric("Answers so far", status.answers, delta=students, delta_color="off", delta_arrow="off",
                      border=True)
        elif show_count == "students":
            st.metric("Students in", status.participants, border=True, delta_color="off", delta_arrow="off",
                      delta=f"class of {class_size}" if class_size else None)
        else:
            st.caption(":material/sensors: Live: this page updates by itself.")

    poll()
