"""A workshop on a real JupyterHub, measured: N learners log in at once and work the core path.

    python benchmarks/workshop_load.py [--learners N] [--notebooks 00,01,...] [--changes K]
                                       [--open-kernels K] [--keep-dir]

Starts JupyterHub (``jupyterhub`` from PyPI, ``requirements-dev.txt``) on 127.0.0.1 behind
configurable-http-proxy (npm; installed into ``.cache/chp`` on first use), with a shared-password
authenticator and the local process spawner (``benchmarks/workshop_hub_config.py``). Then N
simulated learners, one thread each, at once:

1. log in through the hub's login form (``POST /hub/login``), as a browser does;
2. start their server (``POST /hub/api/users/NAME/server``, the benchmark's admin token) and
   wait until the hub reports it ready: that is the *server start* time;
3. open JupyterLab (``GET /user/NAME/lab``, through the hub's OAuth, so every later request
   carries the learner's own cookie through the proxy to their own server);
4. for each notebook of the core path (00 to 08 by default), as JupyterLab does: create a
   session (``POST /user/NAME/api/sessions``, which starts a kernel), open the kernel's
   websocket (``/user/NAME/api/kernels/ID/channels``) and execute the notebook's code cells in
   order with the Jupyter messaging protocol (``execute_request``); ``%matplotlib widget``
   builds the ipympl canvases as in a browser session;
5. then a scripted sequence of control changes on that notebook's live figures, sent as the
   browser sends them: a ``comm_msg`` that updates the slider's (or toggle's) model, then,
   when ipympl asks for a frame instead of sending it at once, the frontend's ``draw``
   request; the *change latency* is from sending the update to receiving the redrawn image
   (or to the kernel going idle when no frame was due, e.g. an impossible setting that only
   changes the message).
   Every learner finishes a notebook before anyone starts the next (the room moves together),
   so the changes of one notebook happen while every other learner moves sliders too.

A learner keeps at most two notebooks' kernels running (``--open-kernels 2``): opening a
notebook shuts the oldest one down, as "Shut Down Kernel" does, or as the idle-kernel culling
of ``deploy/`` does (20 minutes, one workshop slot). ``--open-kernels 0`` keeps every kernel
open (nobody shuts anything down and nothing culls: the upper bound).

Memory: every 0.5 s the resident set size (RSS, psutil) of the hub's process tree:
per learner = their single-user server plus its kernels; whole hub = every process (hub,
proxy, servers, kernels). Summed RSS counts shared library pages once per process, so both
numbers err on the large side (safe for sizing). CPU: the kernel's own CPU time per control
change (``time.process_time()`` in the kernel before and after a notebook's changes) and each
learner's CPU seconds (server plus kernels, from the same samples).

Failures (must be 0): a learner who cannot log in, whose server does not start, a cell that
raises, a websocket or REST error, a change without a reply within the timeout, or a live
figure that shows "Something went wrong". Everything is shut down at the end (the hub stops
the servers and the proxy; any process of the tree still alive is then killed).

Ends with the line
``workshop_load: learners=N failures=F start_p95_s=S change_p95_ms=C peak_mb_per_learner=P``
and exits 1 when F > 0. Timings depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHP_VERSION = "5.3.0"  # configurable-http-proxy on npm
CHP_PREFIX = ROOT / ".cache" / "chp"
# The core path (README: "The core path is 00 to 08"): every notebooks/NN-*.ipynb, no deep dives.
WORKSHOP_PATH = tuple(sorted(p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")))
HUB_CONFIG = Path(__file__).with_name("workshop_hub_config.py")

# Run in the learner's kernel after a notebook: the live figures a learner can see (values in
# the namespace or in Out), each with its canvas model and its controls' models and ranges.
LIVE_FIGURES_PROBE = r"""
def __workshop_probe():
    import gc, json
    from ipywidgets import widgets as _w
    from marginlib.widgets._base import LiveFigure
    ip = get_ipython()
    seen = {}
    visible = [v for k, v in ip.user_ns.items() if not k.startswith("_")]
    visible += list(ip.user_ns.get("Out", {}).values())
    for obj in visible:
        if isinstance(obj, LiveFigure) and id(obj) not in seen:
            seen[id(obj)] = obj
    out = []
    for fig in seen.values():
        controls = {}
        for name, c in fig.controls.items():
            info = {"model_id": c.model_id, "value": c.value}
            if isinstance(c, _w.widget_selection._Selection):
                info.update(kind="index", index=c.index, n=len(c.options))
            elif hasattr(c, "min") and hasattr(c, "max") and hasattr(c, "step"):
                info.update(kind="range", min=c.min, max=c.max, step=c.step)
            elif isinstance(c.value, bool):
                info.update(kind="bool")
            else:
                continue
            controls[name] = info
        out.append({"canvas": fig.fig.canvas.model_id, "message": fig.message.model_id,
                    "controls": controls})
    return json.dumps(out, default=str)
print(__workshop_probe())
del __workshop_probe
"""
CPU_PROBE = "import time as __t; print(__t.process_time()); del __t"
CHECK_MESSAGES = r"""
def __workshop_messages():
    from marginlib.widgets._base import LiveFigure
    ip = get_ipython()
    objs = [v for k, v in ip.user_ns.items() if not k.startswith("_")]
    objs += list(ip.user_ns.get("Out", {}).values())
    bad = [o.message.value for o in objs if isinstance(o, LiveFigure)
           and "Something went wrong" in o.message.value]
    print(len(bad), *bad[:3], sep="\n")
__workshop_messages()
del __workshop_messages
"""


class Failure(Exception):
    """A learner-visible failure (counted)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, q):
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[k]


def ensure_chp() -> str:
    """configurable-http-proxy from npm, pinned, in .cache/chp (installed when missing)."""
    exe = CHP_PREFIX / "node_modules" / ".bin" / "configurable-http-proxy"
    if not exe.exists():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("workshop_load: npm is needed to install configurable-http-proxy "
                     "(install Node.js 20 or newer)")
        print(f"installing configurable-http-proxy@{CHP_VERSION} into {CHP_PREFIX}", flush=True)
        subprocess.run([npm, "install", "--prefix", str(CHP_PREFIX), "--no-audit", "--no-fund",
                        "--loglevel=error", f"configurable-http-proxy@{CHP_VERSION}"], check=True)
    return str(exe)


def notebook_cells(code):
    """Code cells (source text) of notebooks/CODE-*.ipynb, in order."""
    matches = sorted((ROOT / "notebooks").glob(f"{code}-*.ipynb"))
    if len(matches) != 1:
        sys.exit(f"workshop_load: no single notebook notebooks/{code}-*.ipynb")
    nb = json.loads(matches[0].read_text())
    cells = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
             for c in nb["cells"] if c["cell_type"] == "code"]
    return matches[0].relative_to(ROOT).as_posix(), [c for c in cells if c.strip()]


# --------------------------------------------------------------------------- kernel websocket
class KernelChannel:
    """The kernel's websocket through the proxy (JSON text frames; binary frames have buffers)."""

    def __init__(self, url, cookies, timeout):
        import websocket

        self.timeout = timeout
        self.session = uuid.uuid4().hex
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.ws = websocket.create_connection(f"{url}?session_id={self.session}",
                                              cookie=cookie, timeout=timeout)

    def close(self):
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001 - closing a socket that may be gone
            pass

    def send(self, channel, msg_type, content):
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": "learner",
                       "session": self.session, "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content,
            "channel": channel, "buffers": []}))
        return msg_id

    def recv(self, deadline):
        import websocket

        self.ws.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            frame = self.ws.recv()
        except websocket.WebSocketTimeoutException:
            raise Failure("no reply from the kernel within the timeout") from None
        if isinstance(frame, bytes):  # jupyter_server's binary framing: count, offsets, parts
            (n,) = struct.unpack("!I", frame[:4])
            offsets = struct.unpack("!" + "I" * n, frame[4:4 + 4 * n])
            msg = json.loads(frame[offsets[0]:offsets[1] if n > 1 else None])
            msg["buffers"] = [frame[a:b] for a, b in zip(offsets[1:], list(offsets[2:]) + [None])]
            return msg
        return json.loads(frame)

    def roundtrip(self, channel, msg_type, content, *, want_reply):
        """Send; collect iopub messages for it until it is idle (and its shell reply, if any)."""
        msg_id = self.send(channel, msg_type, content)
        deadline = time.monotonic() + self.timeout
        reply, idle, iopub = None, False, []
        while not (idle and (reply is not None or not want_reply)):
            msg = self.recv(deadline)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["channel"] == "shell":
                reply = msg
            elif msg["channel"] == "iopub":
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
                else:
                    iopub.append(msg)
        return reply, iopub

    def execute(self, code):
        reply, iopub = self.roundtrip("shell", "execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True}, want_reply=True)
        if reply["content"]["status"] != "ok":
            c = reply["content"]
            raise Failure(f"cell raised {c.get('ename')}: {c.get('evalue')}")
        return iopub

    def comm(self, comm_id, data):
        _, iopub = self.roundtrip("shell", "comm_msg", {"comm_id": comm_id, "data": data},
                                  want_reply=False)
        return iopub


def stdout_of(iopub):
    return "".join(m["content"]["text"] for m in iopub
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


# --------------------------------------------------------------------------- one learner
class Learner:
    def __init__(self, index, hub, args, barrier):
        self.name = f"learner{index:03d}"
        self.hub, self.args, self.barrier = hub, args, barrier
        self.start_s = None
        self.changes_ms = []
        self.frames = 0
        self.change_cpu_s = 0.0
        self.timed_changes = 0
        self.failures = []
        self.sessions = []  # open notebooks' sessions, oldest first

    def fail(self, where, exc):
        self.failures.append(f"{self.name} {where}: {type(exc).__name__}: {exc}")

    def run(self, notebooks):
        import requests

        s = requests.Session()
        base = self.hub.url
        ok = False
        try:
            page = s.get(f"{base}/hub/login", timeout=self.args.timeout)
            page.raise_for_status()
            xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', page.text)
            r = s.post(f"{base}/hub/login", data={
                "username": self.name, "password": self.hub.password,
                "_xsrf": xsrf.group(1) if xsrf else ""}, allow_redirects=False,
                timeout=self.args.timeout)
            if r.status_code != 302:
                raise Failure(f"login answered {r.status_code}")
            t0 = time.monotonic()
            r = self.hub.api("POST", f"/users/{self.name}/server")
            if r.status_code not in (201, 202):
                raise Failure(f"server start answered {r.status_code}: {r.text[:200]}")
            while True:
                server = self.hub.api("GET", f"/users/{self.name}").json()["servers"].get("", {})
                if server.get("ready"):
                    break
                if not server.get("pending"):
                    raise Failure(f"server stopped while starting (hub log: {self.hub.dir})")
                if time.monotonic() - t0 > self.args.start_timeout:
                    raise Failure("server not ready within the start timeout")
                time.sleep(0.25)
            self.start_s = time.monotonic() - t0
            r = s.get(f"{base}/user/{self.name}/lab", timeout=self.args.timeout)
            if r.status_code != 200 or f"/user/{self.name}/lab" not in r.url:
                raise Failure(f"JupyterLab answered {r.status_code} at {r.url}")
            ok = True
        except Exception as exc:  # noqa: BLE001 - counted, reported
            self.fail("log in / start", exc)
        for code, (path, cells) in notebooks:
            if ok:
                try:
                    self.work(s, path, cells)
                except Exception as exc:  # noqa: BLE001 - counted, reported
                    self.fail(code, exc)
            try:
                self.barrier.wait(timeout=self.args.timeout * 4)
            except threading.BrokenBarrierError:
                pass
        self.session = s

    def server_api(self, s, method, path, **kw):
        xsrf = s.cookies.get("_xsrf", path=f"/user/{self.name}/") or s.cookies.get("_xsrf")
        headers = {"X-XSRFToken": xsrf} if xsrf else {}
        return s.request(method, f"{self.hub.url}/user/{self.name}/api{path}", headers=headers,
                         timeout=self.args.timeout, **kw)

    def work(self, s, path, cells):
        while self.args.open_kernels and len(self.sessions) >= self.args.open_kernels:
            old = self.sessions.pop(0)  # as JupyterLab's "Shut Down Kernel", or idle culling
            r = self.server_api(s, "DELETE", f"/sessions/{old}")
            if r.status_code not in (204, 404):  # 404: its kernel already died (counted then)
                raise Failure(f"closing a session answered {r.status_code}")
        r = self.server_api(s, "POST", "/sessions", json={
            "path": path, "name": Path(path).name, "type": "notebook",
            "kernel": {"name": "python3"}})
        if r.status_code != 201:
            raise Failure(f"session answered {r.status_code}: {r.text[:200]}")
        session_id, kernel_id = r.json()["id"], r.json()["kernel"]["id"]
        self.sessions.append(session_id)
        ws_url = self.hub.url.replace("http://", "ws://")
        cookies = {c.name: c.value for c in s.cookies}
        ch = KernelChannel(f"{ws_url}/user/{self.name}/api/kernels/{kernel_id}/channels",
                           cookies, self.args.timeout)
        try:
            for i, cell in enumerate(cells):
                try:
                    ch.execute(cell)
                except Exception as exc:  # noqa: BLE001 - say which cell, keep the error
                    what = str(exc) if isinstance(exc, Failure) else f"{type(exc).__name__}: {exc}"
                    raise Failure(f"{path} code cell {i + 1}: {what}") from None
            figures = json.loads(stdout_of(ch.execute(LIVE_FIGURES_PROBE)).strip() or "[]")
            if not figures:
                return
            self.initialise(ch, figures)
            cpu0 = float(stdout_of(ch.execute(CPU_PROBE)))
            before = len(self.changes_ms)
            for step in range(self.args.changes):
                for fig in figures:
                    for name, control in fig["controls"].items():
                        self.change(ch, fig, name, control, step)
            # the kernel's own CPU time for these changes (process_time counts all its threads)
            self.change_cpu_s += float(stdout_of(ch.execute(CPU_PROBE))) - cpu0
            self.timed_changes += len(self.changes_ms) - before
            lines = stdout_of(ch.execute(CHECK_MESSAGES)).splitlines()
            if lines and lines[0] != "0":
                raise Failure(f"{path}: a live figure shows {lines[1:]}")
        finally:
            ch.close()

    @staticmethod
    def initialise(ch, figures):
        """What the browser's ipympl view sends when it appears."""
        for fig in figures:
            for kind in ("initialized", "send_image_mode", "refresh"):
                ch.comm(fig["canvas"], {"method": "custom", "content": {"type": kind}})

    def change(self, ch, fig, name, control, step):
        """Move one control as a browser does; time until the redrawn frame arrives."""
        if control["kind"] == "range":
            lo, hi, st, v = control["min"], control["max"], control["step"], control["value"]
            target = v + st * (3 + step) if v + st * (3 + step) <= hi else v - st * (3 + step)
            target = min(hi, max(lo, target))
            target = round(target) if isinstance(v, int) else round(target, 10)
            state = {"value": target}
        elif control["kind"] == "index":
            state = {"index": (control["index"] + 1 + step) % control["n"]}
        else:
            state = {"value": not control["value"] if step % 2 == 0 else control["value"]}
        t0 = time.perf_counter()
        iopub = ch.comm(control["model_id"], {"method": "update", "state": state,
                                              "buffer_paths": []})
        if any(m.get("buffers") and m["content"].get("comm_id") == fig["canvas"] for m in iopub):
            self.frames += 1  # the kernel sent the new frame at once
        elif any(m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == fig["canvas"]
                 and '"draw"' in str(m["content"]["data"].get("content", {}).get("data", ""))
                 for m in iopub):  # ipympl asked for a draw: the browser answers it
            frame = ch.comm(fig["canvas"], {"method": "custom", "content": {"type": "draw"}})
            if not any(m.get("buffers") for m in frame):
                raise Failure(f"no frame after moving {name}")
            self.frames += 1
        self.changes_ms.append((time.perf_counter() - t0) * 1000)


# --------------------------------------------------------------------------- the hub
class Hub:
    def __init__(self, args):
        self.args = args
        self.dir = Path(tempfile.mkdtemp(prefix="workshop-hub-"))
        self.password = secrets.token_hex(8)
        self.token = secrets.token_hex(32)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.pids = {}  # pid -> create time, every process of the hub's tree seen

    def start(self):
        import requests

        venv_bin = Path(sys.executable).parent
        env = dict(os.environ,
                   WORKSHOP_HUB_DIR=str(self.dir), WORKSHOP_HUB_PORT=str(self.port),
                   WORKSHOP_HUB_API_PORT=str(free_port()),
                   WORKSHOP_PROXY_API_PORT=str(free_port()), WORKSHOP_CHP=ensure_chp(),
                   WORKSHOP_SINGLEUSER=str(venv_bin / "jupyterhub-singleuser"),
                   WORKSHOP_ROOT=str(ROOT), WORKSHOP_PASSWORD=self.password,
                   WORKSHOP_API_TOKEN=self.token,
                   PATH=f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}")
        self.log = open(self.dir / "hub.log", "w")
        self.proc = subprocess.Popen([str(venv_bin / "jupyterhub"), "-f", str(HUB_CONFIG)],
                                     cwd=self.dir, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.args.timeout * 2
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"workshop_load: the hub exited: see {self.dir / 'hub.log'}:\n"
                         + (self.dir / "hub.log").read_text()[-3000:])
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.25)
        raise SystemExit("workshop_load: the hub did not answer")

    def api(self, method, path, **kw):
        import requests

        return requests.request(method, f"{self.url}/hub/api{path}", timeout=self.args.timeout,
                                headers={"Authorization": f"token {self.token}"}, **kw)

    def stop(self):
        import psutil

        if self.proc is not None and self.proc.poll() is None:
            try:
                for user in self.api("GET", "/users").json():
                    if user.get("servers", {}).get(""):
                        self.api("DELETE", f"/users/{user['name']}/server")
            except Exception:  # noqa: BLE001 - shutting down anyway
                pass
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        tree = []
        for pid, created in self.pids.items():  # anything of the tree the hub did not stop
            try:
                p = psutil.Process(pid)
                if p.create_time() == created:  # the same process, not a reused pid
                    tree.append(p)
            except psutil.Error:
                pass
        # Servers and kernels stop asynchronously after the hub (their shutdown can take a few
        # seconds on a busy machine): give them the time the spawner itself allows, then kill.
        _, left = psutil.wait_procs(tree, timeout=30)
        for p in left:
            try:
                p.kill()
            except psutil.Error:
                pass
        if left:
            names = ", ".join(sorted({_name(p) for p in left}))
            print(f"{len(left)} processes of the hub's tree left running 30 s after it stopped "
                  f"({names}): killed", flush=True)
        self.log.close()
        if not self.args.keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)


def _name(process):
    """A process's name for the report ("?" when it is gone)."""
    try:
        return process.name()
    except Exception:  # noqa: BLE001 - psutil.Error, or gone meanwhile
        return "?"


class MemorySampler(threading.Thread):
    """RSS of the hub's process tree every ``interval`` s: per learner and in total (peaks)."""

    def __init__(self, hub, interval=0.5):
        super().__init__(daemon=True)
        self.hub, self.interval = hub, interval
        self.stop_event = threading.Event()
        self.peak_total = 0
        self.peak_user = {}
        self.peak_kernels = 0
        self.owner = {}
        self.kernel = {}
        self.cpu = {}  # pid -> (learner or None, CPU seconds when last sampled)

    def user_of(self, proc):
        if proc.pid not in self.owner:
            try:
                self.owner[proc.pid] = proc.environ().get("JUPYTERHUB_USER")
            except Exception:  # noqa: BLE001 - gone, or not readable
                self.owner[proc.pid] = None
        return self.owner[proc.pid]

    def is_kernel(self, proc):
        if proc.pid not in self.kernel:
            try:
                self.kernel[proc.pid] = any("ipykernel" in part for part in proc.cmdline())
            except Exception:  # noqa: BLE001 - gone
                self.kernel[proc.pid] = False
        return self.kernel[proc.pid]

    def sample(self):
        import psutil

        try:
            root = psutil.Process(self.hub.proc.pid)
            procs = [root] + root.children(recursive=True)
        except psutil.Error:
            return
        total, per_user, kernels = 0, {}, 0
        for p in procs:
            try:
                rss = p.memory_info().rss
                cpu = p.cpu_times()
            except psutil.Error:
                continue
            if p.pid not in self.hub.pids:
                try:
                    self.hub.pids[p.pid] = p.create_time()
                except psutil.Error:
                    continue
            total += rss
            user = self.user_of(p)
            self.cpu[p.pid] = (user, cpu.user + cpu.system)  # last seen: its CPU time so far
            if user:
                per_user[user] = per_user.get(user, 0) + rss
                if self.is_kernel(p):
                    kernels += 1
        self.peak_total = max(self.peak_total, total)
        self.peak_kernels = max(self.peak_kernels, kernels)
        for user, rss in per_user.items():
            self.peak_user[user] = max(self.peak_user.get(user, 0), rss)

    def run(self):
        while not self.stop_event.is_set():
            self.sample()
            self.stop_event.wait(self.interval)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--notebooks", default=",".join(WORKSHOP_PATH),
                        help="comma-separated notebook numbers (default: the workshop path)")
    parser.add_argument("--changes", type=int, default=2,
                        help="moves of every control of every live figure, per notebook")
    parser.add_argument("--open-kernels", type=int, default=2,
                        help="kernels a learner keeps open at most: opening a notebook shuts "
                             "the oldest down beyond this (0: keep every one open)")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds for one request, cell or change")
    parser.add_argument("--start-timeout", type=float, default=900.0)
    parser.add_argument("--keep-dir", action="store_true", help="keep the hub's folder and log")
    args = parser.parse_args()
    if args.learners < 1 or args.changes < 0 or args.open_kernels < 0:
        parser.error("--learners must be at least 1, --changes and --open-kernels at least 0")
    notebooks = [(code, notebook_cells(code)) for code in args.notebooks.split(",")]

    hub = Hub(args)
    sampler = MemorySampler(hub)
    wall0 = time.monotonic()
    try:
        hub.start()
        sampler.start()
        print(f"hub at {hub.url} (JupyterHub + configurable-http-proxy {CHP_VERSION}); "
              f"{args.learners} learners, notebooks {args.notebooks}, "
              f"kernels open per learner at most: {args.open_kernels or 'all'}",
              flush=True)
        barrier = threading.Barrier(args.learners)
        learners = [Learner(i + 1, hub, args, barrier) for i in range(args.learners)]
        threads = [threading.Thread(target=lr.run, args=(notebooks,), daemon=True)
                   for lr in learners]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        sampler.sample()
    finally:
        sampler.stop_event.set()
        if sampler.is_alive():
            sampler.join(timeout=5)
        hub.stop()
    wall = time.monotonic() - wall0

    failures = [f for lr in learners for f in lr.failures]
    starts = [lr.start_s for lr in learners if lr.start_s is not None]
    changes = [ms for lr in learners for ms in lr.changes_ms]
    mb = 1024 * 1024
    per_learner = [v / mb for v in sampler.peak_user.values()]
    for f in failures[:20]:
        print("FAILED", f)
    print(f"learners: {args.learners}, notebooks per learner: {len(notebooks)}, "
          f"wall time {wall:.0f} s, CPUs {os.cpu_count()}, load average now "
          f"{os.getloadavg()[0]:.1f}")
    if starts:
        print(f"server start: p50 {statistics.median(starts):.1f} s, "
              f"p95 {percentile(starts, 95):.1f} s, max {max(starts):.1f} s")
    if changes:
        frames = sum(lr.frames for lr in learners)
        print(f"control change to redrawn frame: {len(changes)} changes ({frames} redrew a "
              f"frame; any others only changed the message), p50 "
              f"{statistics.median(changes):.0f} ms, p95 {percentile(changes, 95):.0f} ms")
        timed = sum(lr.timed_changes for lr in learners)
        if timed:
            cpu_ms = 1000 * sum(lr.change_cpu_s for lr in learners) / timed
            print(f"kernel CPU per change (update, render, PNG): mean {cpu_ms:.0f} ms")
    if per_learner:
        print(f"peak RSS per learner (server + kernels): median "
              f"{statistics.median(per_learner):.0f} MB, max {max(per_learner):.0f} MB; "
              f"whole hub (hub, proxy, servers, kernels): {sampler.peak_total / mb:.0f} MB; "
              f"most kernels at once: {sampler.peak_kernels}")
    cpu_user = {}
    for user, seconds in sampler.cpu.values():
        if user:
            cpu_user[user] = cpu_user.get(user, 0.0) + seconds
    if cpu_user:
        print(f"CPU time per learner (server + kernels, start to end, {len(notebooks)} "
              f"notebooks and their changes): median {statistics.median(cpu_user.values()):.0f} s; "
              f"whole hub {sum(s for _, s in sampler.cpu.values()):.0f} s")
    start_p95 = percentile(starts, 95) if starts else float("nan")
    change_p95 = percentile(changes, 95) if changes else float("nan")
    peak = max(per_learner) if per_learner else float("nan")
    print(f"workshop_load: learners={args.learners} failures={len(failures)} "
          f"start_p95_s={start_p95:.1f} change_p95_ms={change_p95:.0f} "
          f"peak_mb_per_learner={peak:.0f}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
