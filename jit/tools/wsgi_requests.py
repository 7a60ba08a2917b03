# Serves a web workload's pages in-process, through its WSGI app (no server, no sockets), so that a tool
# like valgrind sees only the interpreter's work per request. Used by web-instructions.sh.
# usage: INTERPRETER wsgi_requests.py APP_DIR WARMUP REQUESTS
#   APP_DIR: a macrobenchmarks/ web workload (manifest.json with "file", "session" and "pages").
import io
import importlib.util
import json
import os
import sys
import tempfile


def load(app_dir):
    manifest = json.load(open(os.path.join(app_dir, "manifest.json")))["benchmarks"][0]
    sys.path.insert(0, app_dir)
    spec = importlib.util.spec_from_file_location("pb_app", os.path.join(app_dir, manifest["file"]))
    module = importlib.util.module_from_spec(spec)
    sys.modules["pb_app"] = module
    spec.loader.exec_module(module)
    data_dir = tempfile.mkdtemp(prefix="pb-wsgi-")
    module.setup(data_dir)
    return manifest, module.create_app(data_dir)


class Client:
    def __init__(self, app):
        self.app = app
        self.cookies = {}

    def request(self, page):
        path, _, query = page["path"].partition("?")
        body = page.get("form", "").encode()
        environ = {
            "REQUEST_METHOD": page.get("method", "GET"), "PATH_INFO": path, "QUERY_STRING": query,
            "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
            "wsgi.multiprocess": False, "wsgi.run_once": False,
        }
        for name, value in page.get("headers", {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        if self.cookies and "HTTP_COOKIE" not in environ:
            environ["HTTP_COOKIE"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        status = []

        def start_response(line, headers, exc_info=None):
            status.append(line)
            for name, value in headers:
                if name.lower() == "set-cookie":
                    key, _, val = value.split(";")[0].partition("=")
                    self.cookies[key] = val

        content = b"".join(self.app(environ, start_response))
        if not status[0].startswith(str(page["status"])) or page.get("marker", "").encode() not in content:
            raise SystemExit("%s: unexpected response %r" % (page["path"], status[0]))


def main():
    if len(sys.argv) != 4:
        raise SystemExit("usage: wsgi_requests.py APP_DIR WARMUP REQUESTS")
    manifest, app = load(sys.argv[1])
    warmup, requests = int(sys.argv[2]), int(sys.argv[3])
    client = Client(app)
    for step in manifest.get("session", []):
        client.request(step)
    pages = manifest["pages"]
    for i in range(warmup + requests):
        client.request(pages[i % len(pages)])


main()
