"""`followup app`: the workbook's notebooks as pages in the browser, served by Voilà.

The pages are the same notebooks JupyterLab opens, shown without their code. The server is
private by default: it listens on 127.0.0.1 only, every request needs the random token in the
address it prints, and the workbook folder is the only folder of the person's it reads or writes
(its own runtime files live in a private temporary folder removed when it stops). Each page has
a kernel started ahead of time, so it opens without waiting for Python to start; page kernels are
forked from one process that has imported the pages' code (`followup/app/kernels.py`), so they
share that memory, and the kernel of a page closed is stopped within a minute.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import nbformat

from followup.app.address import NOW_VARIABLE, OPPORTUNITY
from followup.core.errors import FollowupError, UsageError
from followup.shipped import DASHBOARD, TEMPLATES, notebooks_folder
from followup.storage.workbook import ENV_VAR

#: Cells with this tag speak to JupyterLab users only; the app leaves them out.
LAB_ONLY = "lab-only"
#: Kernels kept warm for each page, so opening it does not wait for Python to start.
POOL_SIZE = 1
#: Seconds before a page's used kernel is replaced by a new warm one.
REFILL_DELAY = 3.0
#: A page's kernel left idle with no page connected this long is stopped…
CULL_SECONDS = 30
#: …checked this often, so a closed page's kernel is gone within CULL_SECONDS + CULL_INTERVAL.
CULL_INTERVAL = 15
#: Seconds to wait for the server to listen (a bound, not an expectation).
START_LIMIT = 60.0
#: Seconds to wait for the server to shut its kernels down before they are ended firmly.
STOP_LIMIT = 15.0
#: The Voilà template the app's pages use (written into the runtime folder at start).
TEMPLATE = "followup"
#: What the loading line says while each page opens.
OPENING = {
    "00_dashboard.ipynb": "Opening your follow-ups…",
    "01_interview.ipynb": "Opening the interview…",
    "02_debrief.ipynb": "Opening the debrief…",
    "03_reflect.ipynb": "Opening your reflection…",
    "04_follow_up.ipynb": "Opening the follow-up…",
    "05_compare.ipynb": "Opening the comparison…",
    "09_offer.ipynb": "Opening the offer…",
}
#: Voilà's lab page, changed in two ways: the head keeps no line that loads from another host
#: (Voilà's template asks a CDN for Font Awesome, which its own bundle already serves), and the
#: loading line says what is opening instead of "Running <title>...".
PAGE_TEMPLATE = """\
{%- extends 'lab/index.html.j2' -%}
{% from 'voila_setup.macro.html.j2' import voila_setup_helper_functions with context %}

{%- block notebook_css -%}
{%- for line in super().split('\\n') if not (line.lstrip().startswith('<link') and '://' in line) %}
{{ line }}
{%- endfor %}
<style>
  #loading h2 { font-weight: normal; }
  /* A link inside a sentence is underlined, not told apart by its colour alone. */
  #rendered_cells .jp-RenderedHTMLCommon a { text-decoration: underline; }
</style>
{%- endblock notebook_css -%}

{%- block body_header -%}
<link rel="icon" href="data:;base64,=">
<body class="jp-Notebook theme-light" data-base-url="{{ resources.base_url }}voila/"
  data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light" data-voila="voila">
<div id="loading" style="display: flex;" role="status">
  <h2 id="loading_text">{{ (nb.metadata.get('followup') or {}).get('opening') or 'Opening…' }}</h2>
</div>
{{ voila_setup_helper_functions() }}
<script>window.voila_process = function () {};</script>
<div id="rendered_cells" style="display: none">
  <div>
{%- endblock body_header -%}
"""


def free_port() -> int:
    """A TCP port nobody listens on now, on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_pages() -> list[Path]:
    """The notebooks the app serves: every workbook notebook except the report templates."""
    return [p for p in sorted(notebooks_folder().glob("*.ipynb")) if p.name not in TEMPLATES]


def write_app_page(source: Path, target: Path) -> None:
    """Copy a notebook for the app without its cells tagged `lab-only` ("Run all cells…"),
    titled by its first heading."""
    book = nbformat.read(source, as_version=4)
    book.cells = [c for c in book.cells if LAB_ONLY not in c.metadata.get("tags", [])]
    headings = [
        line[2:].strip()
        for cell in book.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("# ")
    ]
    if headings:  # the browser tab reads the page's heading, not a file
        book.metadata["title"] = headings[0]
    opening = OPENING.get(source.name) or (f"Opening {headings[0]}…" if headings else "Opening…")
    book.metadata["followup"] = {"opening": opening}
    nbformat.write(book, target)


def write_template(share: Path) -> None:
    """Write the app's Voilà template under `share` (a folder on JUPYTER_PATH)."""
    folder = share / "voila" / "templates" / TEMPLATE
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.json").write_text(json.dumps({"base_template": "lab"}), encoding="utf-8")
    (folder / "index.html.j2").write_text(PAGE_TEMPLATE, encoding="utf-8")


def voila_config(
    token: str,
    port: int,
    runtime: Path,
    *,
    warm: bool = True,
    lean: bool = True,
) -> dict:
    """Voilà's settings: loopback only, this token, warm kernels forked from the page zygote, no
    tracebacks on the page, a closed page's kernel stopped.

    `lean=False` is the app as it was (the benchmark's baseline): each kernel a new Python, and
    a closed page's kernel kept until it has been idle ten minutes.
    """
    configuration: dict = {
        "preheat_kernel": warm,
        "default_pool_size": POOL_SIZE,
        "show_tracebacks": False,
        "theme": "light",
        "template": TEMPLATE,
    }
    cull_seconds = CULL_SECONDS if lean else 600
    voila: dict = {}
    if lean:
        configuration["multi_kernel_manager_class"] = "followup.app.kernels.PageKernels"
        # The closing page's beacon needs the XSRF cookie, which this sets on each page.
        voila["identity_provider_class"] = "followup.app.identity.PageIdentity"
    return {
        "Voila": {
            "ip": "127.0.0.1",
            "port": port,
            "port_retries": 0,
            "open_browser": False,
            "token": token,
            "connection_dir_root": str(runtime),
            # The XSRF check stays on: another site open in the same browser must not be able to
            # send requests here with the login cookie.
            # Voilà turns Jupyter's Host check off; back on, a page on another site whose name
            # was pointed at 127.0.0.1 (DNS rebinding) gets 403 instead of the workbook.
            "tornado_settings": {
                "headers": {"Referrer-Policy": "no-referrer"},
                "allow_remote_access": False,
            },
            **voila,
        },
        # A used kernel is replaced a moment later, so starting it does not slow the page opening.
        "VoilaKernelManager": {"fill_delay": REFILL_DELAY},
        # A closing page's beacon stops its kernel at once; a kernel whose page went without a
        # word (a crash, a lost beacon) stops once it has been idle with no page connected, so
        # within a minute. Warm kernels are never culled.
        "MappingKernelManager": {
            "cull_idle_timeout": cull_seconds,
            "cull_interval": min(CULL_INTERVAL, cull_seconds),
            "cull_connected": False,
        },
        "VoilaConfiguration": configuration,
    }


def _descendants(pid: int) -> list[int]:
    """Every process started by `pid`, however deep, read from /proc (empty elsewhere)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = entry.read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        children.setdefault(int(fields[1]), []).append(int(entry.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie has ended; only its parent has not collected it yet
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False


@dataclass
class App:
    """A running app: its address (with the token), the workbook it serves, its server process."""

    port: int
    token: str
    data: Path
    process: subprocess.Popen
    runtime: Path
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def page_url(self, name: str = DASHBOARD, opportunity: str = "", *, token: bool = True) -> str:
        """The address of one page, e.g. page_url('02_debrief.ipynb', 'acme-data-analyst')."""
        query = {OPPORTUNITY: opportunity} if opportunity else {}
        if token:
            query["token"] = self.token
        suffix = f"?{urlencode(query)}" if query else ""
        return f"{self.base}/voila/render/{name}{suffix}"

    @property
    def url(self) -> str:
        """The address to open: the dashboard, with the token."""
        return self.page_url()

    def running(self) -> bool:
        return self.process.poll() is None

    def processes(self) -> list[int]:
        """The server's pid and those of every process under it (the zygote, the kernels)."""
        return [self.process.pid, *_descendants(self.process.pid)]

    def log_tail(self, size: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server and every kernel it started; remove its runtime folder."""
        started = _descendants(self.process.pid)
        if self.running():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_LIMIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_LIMIT)
        # Kernels run in sessions of their own; end any the server did not stop in time.
        for pid in started:
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.runtime, ignore_errors=True)


def start(
    data: Path,
    port: int | None = None,
    *,
    now: str = "",
    warm: bool = True,
    lean: bool = True,
) -> App:
    """Start the app on `data` (created if missing) and return once it answers.

    `warm=False` starts each page's kernel only when the page is asked for; `lean=False` is the
    app as it was before its kernels were forked and closed pages' kernels stopped (both are
    the benchmark's baselines).

    Raises UsageError when the folder cannot be used or the port is taken, FollowupError when
    the server does not start (with the end of its log).
    """
    data = Path(data).expanduser().resolve()
    if data.exists() and not data.is_dir():
        raise UsageError(f"--data {data}: is a file (expected a workbook folder)")
    try:
        data.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise UsageError(f"--data {data}: cannot create the folder ({exc.strerror})") from None
    if port is None:
        port = free_port()
    else:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                raise UsageError(
                    f"--port {port}: already in use (expected a free port, or leave it out)"
                ) from None
    runtime = Path(tempfile.mkdtemp(prefix="followup-app-"))
    pages = runtime / "pages"
    pages.mkdir()
    for page in app_pages():
        write_app_page(page, pages / page.name)
    write_template(runtime / "share")
    token = secrets.token_urlsafe(24)
    config = runtime / "voila.json"
    config.write_text(
        json.dumps(voila_config(token, port, runtime, warm=warm, lean=lean)),
        encoding="utf-8",
    )
    config.chmod(0o600)
    # A page learns its own address from Voilà; nothing inherited may stand in for it.
    env = {k: v for k, v in os.environ.items() if k not in ("QUERY_STRING", "VOILA_PREHEAT")}
    env.update(
        {
            ENV_VAR: str(data),
            "JUPYTER_RUNTIME_DIR": str(runtime / "run"),
            # Where Voilà finds the app's page template (ahead of its own).
            "JUPYTER_PATH": os.pathsep.join(
                p for p in (str(runtime / "share"), os.environ.get("JUPYTER_PATH", "")) if p
            ),
            "IPYTHONDIR": str(runtime / "ipython"),
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
    )
    if now:
        env[NOW_VARIABLE] = now
    log = runtime / "app.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "voila", str(pages), "--no-browser"],
            cwd=runtime,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    app = App(port, token, data, process, runtime, log)
    deadline = time.monotonic() + START_LIMIT
    while not _listening(port):
        if not app.running() or time.monotonic() > deadline:
            tail = app.log_tail()
            app.stop()
            raise FollowupError(f"the app did not start; the end of its log:\n{tail}")
        time.sleep(0.1)
    return app


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0
