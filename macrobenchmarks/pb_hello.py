"""The fastest a Python WSGI server here can answer: one static page, no framework. pyston-bench-loadtest serves
it with pb_server.py to compare the native load client's capacity with the fastest Python server's rate."""

BODY = b"<!DOCTYPE html><html><body><h1>Hello from pyston-bench</h1></body></html>\n"


def setup(data_dir):
    pass


def create_app(data_dir):
    headers = [("Content-Type", "text/html"), ("Content-Length", str(len(BODY)))]

    def app(environ, start_response):
        start_response("200 OK", headers)
        return [BODY]

    return app
