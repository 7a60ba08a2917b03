"""docutils 0.19 turning reStructuredText into HTML, as Sphinx and every docs site do: a release-notes style
document with nested sections, bullet and enumerated lists, field lists, grid and simple tables, literal blocks,
admonitions, footnotes, citations, hyperlink targets and substitutions. `size` chapters per document; each
iteration parses and writes the whole document. Checked by counting the HTML elements each chapter must yield
and by requiring that docutils reported no problems."""
import io

from docutils.core import publish_parts

DEFAULT_SIZE = 12  # chapters per document

CHAPTER = """
Chapter {n}: the {topic} subsystem
=====================================================

.. _chapter-{n}:

The {topic} subsystem [#f{n}]_ changed in release {n}.{m}. See `the tracker`_ and [CIT{n}]_ for background,
and |project| for the whole story. *Emphasis*, **strong** and ``literal`` text all appear here.

:Author: Maintainer {n}
:Version: {n}.{m}.0
:Status: stable

Highlights
----------

- Faster {topic} lookups: up to {n}0% fewer cache misses.
- New options:

  1. ``--{topic}-limit`` caps the {topic} table.
  2. ``--{topic}-trace`` logs every {topic} event.

- Deprecated: the old ``{topic}_compat`` module.

.. note:: Upgrading from {old} needs no configuration change.

.. warning:: The ``{topic}_compat`` shim goes away in release {nn}.0.

Compatibility matrix
--------------------

+------------+-----------+-----------+
| Platform   | {old:<9} | {new:<9} |
+============+===========+===========+
| Linux      | yes       | yes       |
+------------+-----------+-----------+
| macOS      | yes       | partial   |
+------------+-----------+-----------+

==============  ==========  ==========
Benchmark       Before      After
==============  ==========  ==========
{bench_a:<14}  {n:>3}.50 ms   {n:>3}.10 ms
{bench_b:<14}  {n:>3}.90 ms   {n:>3}.40 ms
==============  ==========  ==========

Example
-------

A minimal configuration::

    [{topic}]
    limit = {n}00
    trace = false

.. code:: python

   def configure_{topic}(limit={n}00):
       return {{"limit": limit, "trace": False}}

.. [#f{n}] The {topic} subsystem was introduced in release 1.{n}.
.. [CIT{n}] Team {n}, *On {topic}s*, Proceedings of the Workshop, {n}.
"""

TOPICS = ["cache", "parser", "scheduler", "allocator", "loader", "tracer", "compiler", "profiler", "logger",
          "resolver", "codec", "linker"]
FOOTER = """
.. _the tracker: https://example.org/tracker
.. |project| replace:: **the pyston-bench test project**
"""


def setup(size):
    chapters = []
    for n in range(1, size + 1):
        topic = TOPICS[n % len(TOPICS)]
        chapters.append(CHAPTER.format(n=n, m=n % 7, nn=n + 1, topic=topic, old="%d.%d" % (n, max(0, n % 7 - 1)),
                                       new="%d.%d" % (n, n % 7), bench_a=topic + "-a", bench_b=topic + "-b"))
    return {"source": "=================\nRelease notes\n=================\n" + "".join(chapters) + FOOTER,
            "chapters": size}


def run(state):
    warnings = io.StringIO()
    parts = publish_parts(state["source"], writer_name="html",
                          settings_overrides={"warning_stream": warnings, "report_level": 2, "halt_level": 5,
                                              "syntax_highlight": "none", "_disable_config": True})
    return parts["html_body"], warnings.getvalue()


def check(result, state):
    html, warnings = result
    n = state["chapters"]
    if warnings:
        raise AssertionError("docutils reported problems: " + warnings[:500])
    expected = {'<div class="section" id="highlights': n, '<table border="1" class="docutils">': 2 * n,
                '<pre class="literal-block">': n, '<pre class="code python literal-block">': n,
                '<table class="docutils field-list"': n, '<ol class="arabic">': n,
                'class="admonition note"': n, 'class="admonition warning"': n, '<table class="docutils footnote"': n,
                '<table class="docutils citation"': n, 'the pyston-bench test project': n}
    for needle, count in expected.items():
        got = html.count(needle)
        if got != count:
            raise AssertionError("%r occurs %d times, expected %d" % (needle, got, count))
    if html.count("<li>") < 5 * n:
        raise AssertionError("lists were lost")
