"""pb_server.py: runs a web workload under the interpreter being measured (the harness's side is web_executor.cpp).

    pb_server.py --app FILE --data-dir DIR --setup   [--report-fd 3]
    pb_server.py --app FILE --data-dir DIR --serve   [--server gunicorn|wsgiref] [--report-fd 3]

The app file defines `setup(data_dir)` (create and seed the database; not timed) and `create_app(data_dir)`
(returns the WSGI application). --serve listens on 127.0.0.1 on a port the kernel picks and, once the worker
can answer, writes one JSON line on the report fd: {"pb": 1, "event": "ready", "port": N, "pid": worker pid}.
Failures are reported as {"pb": 1, "event": "error", "message", "traceback"}; --setup ends with "done".
Pure Python 3.6+ and PyPy; uses only the standard library and (for --server gunicorn) gunicorn.
"""
import argparse
import importlib.util
import json
import os
import platform
import socket
import sys
import traceback


class Reporter:
    def __init__(self, fd):
        self.stream = os.fdopen(fd, "w", buffering=1) if fd is not None else None

    def send(self, event, **fields):
        if self.stream is None:
            return
        fields.update(pb=1, event=event)
        self.stream.write(json.dumps(fields) + "\n")
        self.stream.flush()


def load_app_module(path):
    # The workload folder goes on sys.path so an app can be a package (Django needs importable apps). Our own
    # folder (macrobenchmarks/) must not: its "flask"/"django" workload folders would shadow the libraries.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    folder = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location("pb_app", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["pb_app"] = module
    spec.loader.exec_module(module)
    return module


def listening_socket():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def serve_gunicorn(module, data_dir, sock, reporter):
    from gunicorn.app.base import BaseApplication

    port = sock.getsockname()[1]

    def post_worker_init(worker):
        reporter.send("ready", port=port, pid=os.getpid(), server="gunicorn")

    class WorkloadApplication(BaseApplication):
        def load_config(self):
            settings = {
                "bind": "fd://%d" % sock.fileno(),
                "workers": 1,
                "worker_class": "sync",
                "timeout": 3600,  # a slow interpreter's first requests must not be mistaken for a hang
                "graceful_timeout": 2,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "post_worker_init": post_worker_init,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            return module.create_app(data_dir)

    WorkloadApplication().run()


def serve_wsgiref(module, data_dir, sock, reporter):
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    sock.close()  # wsgiref binds its own socket
    server = WSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(module.create_app(data_dir))
    reporter.send("ready", port=server.server_port, pid=os.getpid(), server="wsgiref")
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", required=True)
    parser.add_argument("--data-dir", required=True)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--setup", action="store_true")
    mode.add_argument("--serve", action="store_true")
    parser.add_argument("--server", choices=["gunicorn", "wsgiref"], default="gunicorn")
    parser.add_argument("--report-fd", type=int, default=None)
    args = parser.parse_args()

    reporter = Reporter(args.report_fd)
    reporter.send("start", python=platform.python_version(), implementation=platform.python_implementation())
    try:
        os.makedirs(args.data_dir, exist_ok=True)
        module = load_app_module(args.app)
        if args.setup:
            module.setup(args.data_dir)
            reporter.send("done")
            return 0
        sock = listening_socket()
        if args.server == "gunicorn":
            serve_gunicorn(module, args.data_dir, sock, reporter)
        else:
            serve_wsgiref(module, args.data_dir, sock, reporter)
        return 0
    except SystemExit:
        raise
    except BaseException as error:  # noqa: B902 - the harness must hear about every failure
        reporter.send("error", message="%s: %s" % (type(error).__name__, error), traceback=traceback.format_exc())
        traceback.print_exc()
        return 1


if __name__ == "__main__":
    sys.exit(main())
