"""`workbook serve`: the web edition, served on this computer only and rebuilt as you write.

It builds the web edition into a folder of its own (never over the files in output/), serves
it on 127.0.0.1, and watches the workbook's sources with watchfiles. When one is saved, only the
web edition is built again, in this process, where everything is already loaded (the PDFs and
the EPUB are not, unless asked for); each open page reloads when its own file or the site's
assets changed. A problem in a source is shown in the page as `file:line: message`, and the
last good site stays up until it is fixed. "Build the PDFs and the EPUB" on the page runs a
whole build in the background, into the same folder, so the downloads page lists the files.
Ctrl-C (or a polite kill) stops the server, any build under way, and removes the folder.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import click
import watchfiles

from workbook.build.plan import make_plan
from workbook.build.request import Request
from workbook.build.runner import run
from workbook.commands.preview_server import LiveState, PreviewServer
from workbook.editions import BUILD_FORMATS, FORMATS
from workbook.errors import usage_problem

SITE_FORMATS = tuple(name for name, record in FORMATS.items() if record.site)
SOURCE_FOLDERS = ("chapters", "templates", "styles")
SOURCE_SUFFIXES = (".toml", ".yaml", ".yml", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
Say = Callable[[str], None]


class SourceFilter(watchfiles.DefaultFilter):
    """What a workbook is made from: chapters, templates, styles, the settings, brand and
    helplines files, and pictures; never output/, hidden files or editors' temporary files."""

    def __init__(self, project_dir: Path) -> None:
        super().__init__()
        self.project_dir = project_dir.resolve()

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        try:
            parts = Path(path).resolve().relative_to(self.project_dir).parts
        except ValueError:
            return False
        if not parts or parts[0] == "output" or any(p.startswith(".") for p in parts):
            return False
        suffix = Path(path).suffix.lower()
        return parts[0] in SOURCE_FOLDERS or suffix in SOURCE_SUFFIXES


class Builder:
    """One build at a time, into the serve folder: the site on every change, and the whole
    workbook when a page asks for it."""

    def __init__(self, project_dir: Path, work: Path, state: LiveState, say: Say) -> None:
        self.project_dir = project_dir
        self.work = work
        self.state = state
        self.say = say
        self.lock = threading.Lock()
        self.site = work / "site"  # until the first build names it after the workbook
        self.hashes: dict[str, str] = {}
        self.whole: subprocess.Popen[bytes] | None = None
        self.stopping = False

    def site_path(self) -> Path:
        return self.site

    def build_site(self) -> bool:
        """The web edition again; the open pages are told what changed, or what is wrong."""
        with self.lock:
            request = Request(self.project_dir, self.work, formats=SITE_FORMATS, use_cache=False)
            try:
                written = run(make_plan(request), _quiet)
            except click.ClickException as error:  # a problem in a source, with file:line
                problems = tuple(_problem_lines(error))
                self.say("\n".join(["Not built:", *problems]))
                self.state.publish(changed=(), problems=problems)
                return False
            self.site = written[0].path
            changed = self._changed()
            self.state.publish(changed=changed, problems=())
            self.say(f"Built the web edition ({len(changed)} files changed).")
            return True

    def build_whole(self) -> None:
        """Every edition, in a separate process in the background (asked for from a page)."""
        if self.state.note.startswith("Building") or self.stopping:
            return
        self.state.publish(note="Building the PDFs and the EPUB…", changed=())
        threading.Thread(target=self._whole, daemon=True).start()

    def _whole(self) -> None:
        names = dict.fromkeys((*BUILD_FORMATS, *SITE_FORMATS))  # every edition, the site too
        command = [sys.executable, "-m", "workbook", "build", "-p", str(self.project_dir)]
        command += ["-o", str(self.work), "--no-cache", "--quiet"]
        command += [word for name in names for word in ("--edition", name)]
        with self.lock:
            if self.stopping:
                return
            self.whole = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            output, _ = self.whole.communicate()
            code, self.whole = self.whole.returncode, None
            if code == 0:
                note = "The PDFs and the EPUB are ready on the Downloads page."
                self.state.publish(note=note, changed=self._changed())
            else:
                text = output.decode("utf-8", "replace").strip()
                self.state.publish(note=f"The PDFs and the EPUB could not be built: {text}")
            self.say(self.state.note)

    def stop(self) -> None:
        self.stopping = True
        whole = self.whole
        if whole is not None and whole.poll() is None:
            whole.terminate()
            whole.wait()

    def _changed(self) -> tuple[str, ...]:
        """The site's files that are new or different since the last build."""
        hashes = {
            path.relative_to(self.site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(self.site.rglob("*"))
            if path.is_file()
        }
        changed = tuple(name for name, digest in hashes.items() if self.hashes.get(name) != digest)
        self.hashes = hashes
        return changed


def serve_project(project_dir: Path, port: int, open_browser: bool, say: Say) -> None:
    """Serve until Ctrl-C; every problem in a source is shown, and the server keeps running."""
    work = Path(tempfile.mkdtemp(prefix="workbook-serve-"))
    state = LiveState()
    builder = Builder(project_dir, work, state, say)
    try:
        server = _server(port, builder, state)  # a port in use is said before anything else
        builder.build_site()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"{server.origin}/"
        say(f"Serving the web edition at {url} (this computer only). Ctrl-C stops.")
        if open_browser:
            webbrowser.open(url)
        try:
            with _terminate_as_interrupt():
                _watch(project_dir, builder)
        finally:
            state.stop()
            server.shutdown()
            server.server_close()
    except KeyboardInterrupt:
        pass
    finally:
        builder.stop()
        shutil.rmtree(work, ignore_errors=True)
    say("Stopped.")


def _server(port: int, builder: Builder, state: LiveState) -> PreviewServer:
    try:
        return PreviewServer(port, builder.site_path, state, builder.build_whole)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise usage_problem(f"port {port} is in use; choose another", "--port") from None
        raise usage_problem(f"cannot serve on port {port} ({error.strerror})", "--port") from None


def _watch(project_dir: Path, builder: Builder) -> None:
    # Changes are gathered for at most 50 ms after the last one: a save shows within a second.
    changes = watchfiles.watch(
        project_dir, watch_filter=SourceFilter(project_dir), debounce=300, step=50
    )
    for _ in changes:
        builder.build_site()


def _problem_lines(error: click.ClickException) -> list[str]:
    problems = getattr(error, "problems", None)
    if problems:
        return [str(problem) for problem in problems]
    return [error.format_message()]


def _quiet(what: str, doing: str) -> None:
    pass


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """A polite kill (SIGTERM) stops `serve` like Ctrl-C."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
