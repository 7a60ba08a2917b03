"""Jinja2 3.1 rendering a shop's category pages: a base layout, a page that extends it, macros imported from
a library template, loops with loop.cycle/loop.index, filters (format, truncate, groupby, sum, urlencode) and
autoescaping of user-written reviews. Templates are compiled once (setup); each iteration renders `size`
pages with different data. Checked by counting rows and by proving that hostile review text was escaped."""
from jinja2 import DictLoader, Environment, select_autoescape

DEFAULT_SIZE = 40  # pages rendered per iteration

TEMPLATES = {
    "layout.html": """<!DOCTYPE html>
<html lang="{{ lang }}"><head><title>{% block title %}{{ shop.name }}{% endblock %}</title></head>
<body>
<nav>{% for item in shop.menu %}<a href="{{ item.url }}"{% if item.url == current %} class="active"{% endif %}>{{ item.label }}</a>{% endfor %}</nav>
<main>{% block content %}{% endblock %}</main>
<footer>{{ shop.name }} &middot; {{ shop.address }} &middot; {{ products|length }} products</footer>
</body></html>""",
    "macros.html": """{% macro price(cents, currency="EUR") -%}
{{ "%.2f"|format(cents / 100) }}&nbsp;{{ currency }}
{%- endmacro %}
{% macro stars(rating) -%}
<span class="stars" title="{{ rating }} of 5">{% for i in range(5) %}{{ "&#9733;"|safe if i < rating else "&#9734;"|safe }}{% endfor %}</span>
{%- endmacro %}
{% macro product_row(p, loop) -%}
<tr class="{{ loop.cycle('odd', 'even') }}" id="p{{ p.id }}">
  <td>{{ loop.index }}</td><td><a href="/product/{{ p.id }}?{{ {'ref': 'list', 'page': p.page}|urlencode }}">{{ p.name|title }}</a></td>
  <td>{{ price(p.cents) }}</td><td>{{ stars(p.rating) }}</td>
  <td>{% for tag in p.tags|sort %}<span class="tag">{{ tag }}</span>{% if not loop.last %}, {% endif %}{% endfor %}</td>
</tr>
{%- endmacro %}""",
    "category.html": """{% extends "layout.html" %}
{% import "macros.html" as m %}
{% block title %}{{ category|title }} &middot; {{ super() }}{% endblock %}
{% block content %}
<h1>{{ category|title }} ({{ products|length }})</h1>
<table class="products">
{% for p in products %}{{ m.product_row(p, loop) }}
{% endfor %}</table>
<p class="total">Catalogue value: {{ m.price(products|sum(attribute='cents')) }}</p>
{% for brand, items in products|groupby('brand') %}
<section class="brand"><h2>{{ brand }}</h2><ul>
{% for p in items %}<li>{{ p.name }}{% if p.reviews %} &mdash; {{ p.reviews|length }} review{{ 's' if p.reviews|length != 1 }}{% endif %}</li>{% endfor %}
</ul></section>
{% endfor %}
<section class="reviews">
{% for p in products if p.reviews %}{% for r in p.reviews %}
<blockquote data-product="{{ p.id }}">{{ r.text|truncate(120) }}<cite>{{ r.author }}</cite></blockquote>
{% endfor %}{% endfor %}
</section>
{% endblock %}""",
}

ADJECTIVES = ["compact", "deluxe", "rugged", "silent", "portable", "classic", "smart", "solar", "modular", "vintage"]
NOUNS = ["kettle", "lamp", "drill", "speaker", "backpack", "tent", "blender", "camera", "keyboard", "bicycle"]
BRANDS = ["Acme", "Globex", "Initech", "Umbrella", "Soylent", "Hooli"]
HOSTILE = '<script>alert("x")</script> & "quotes"'


def make_products(page, count=60):
    products = []
    for i in range(count):
        n = page * count + i
        reviews = [{"author": "user%d" % (n % 17 + k), "text": (HOSTILE if (n + k) % 11 == 0 else
                    "Works as described; %s would buy again. " % ADJECTIVES[(n + k) % 10] * 4)}
                   for k in range(n % 4)]
        products.append({"id": n, "page": page, "name": "%s %s %d" % (ADJECTIVES[n % 10], NOUNS[(n // 10) % 10], n),
                         "brand": BRANDS[n % 6], "cents": 999 + (n * 7919) % 50000, "rating": n % 6,
                         "tags": [ADJECTIVES[(n + j) % 10] for j in range(n % 3 + 1)], "reviews": reviews})
    products.sort(key=lambda p: p["brand"])  # groupby needs the list grouped
    return products


def setup(size):
    env = Environment(loader=DictLoader(TEMPLATES), autoescape=select_autoescape(["html"]), trim_blocks=True)
    shop = {"name": "Gadget & Co", "address": "12 Rue des Tests", "menu": [
        {"url": "/", "label": "Home"}, {"url": "/c/outdoor", "label": "Outdoor"}, {"url": "/c/kitchen", "label": "Kitchen"}]}
    pages = [make_products(page) for page in range(size)]
    return {"template": env.get_template("category.html"), "shop": shop, "pages": pages}


def run(state):
    out = []
    for page, products in enumerate(state["pages"]):
        out.append(state["template"].render(lang="en", shop=state["shop"], current="/c/outdoor",
                                            category="outdoor gear %d" % page, products=products))
    return out


def check(result, state):
    if len(result) != len(state["pages"]):
        raise AssertionError("rendered %d pages, expected %d" % (len(result), len(state["pages"])))
    for html, products in zip(result, state["pages"]):
        if html.count('<tr class="') != len(products):
            raise AssertionError("a page lacks product rows")
        if "<script>" in html:
            raise AssertionError("review text was not escaped")
        hostile = sum(1 for p in products for r in p["reviews"] if r["text"] == HOSTILE)
        if html.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quotes&#34;") != hostile:
            raise AssertionError("escaped hostile reviews: wrong count")
        expected_total = "%.2f" % (sum(p["cents"] for p in products) / 100)
        if "Catalogue value: " + expected_total not in html:
            raise AssertionError("catalogue total missing or wrong")
