# json_dumps_loads: serialise and parse a realistic API-style document (nested records with unicode text,
# floats, booleans, nulls and lists) with the standard json module, compact and indented. Checked by exact
# round trips and the exact sizes of the produced text.
import json

DEFAULT_SIZE = 1000  # records in the document

WORDS = ("alpha", "beta", "gamma", "delta", "façade", "naïve", "Zürich", "東京", "emoji 🎉", "quote \"x\"",
         "tab\there", "line\nbreak", "back\\slash")
# (compact length, indented length) for sizes the manifest and tests use.
EXPECTED_LENGTHS = {10: (2451, 4027), 300: (72846, 121464), 1000: (244554, 407848)}


def make_document(records):
    seed = 12345
    items = []
    for i in range(records):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        word = WORDS[seed % len(WORDS)]
        items.append({
            "id": i,
            "name": "%s-%d" % (word, i),
            "active": seed % 3 == 0,
            "score": (seed % 100000) / 1000.0,
            "ratio": seed / 2147483647.0,
            "tags": [WORDS[(seed >> k) % len(WORDS)] for k in range(seed % 5)],
            "owner": None if i % 7 == 0 else {"id": seed % 1000, "email": "user%d@example.org" % (seed % 1000)},
            "history": [{"t": 1600000000 + i * 60 + k, "v": k * 0.25 - 1} for k in range(i % 4)],
        })
    return {"version": 3, "generated": "2024-01-01T00:00:00Z", "items": items, "count": records}


def setup(records):
    return make_document(records)


def run(document):
    compact = json.dumps(document)
    indented = json.dumps(document, indent=2, sort_keys=True)
    ascii_off = json.dumps(document, ensure_ascii=False)
    return compact, indented, json.loads(compact), json.loads(indented), json.loads(ascii_off)


def check(result, document):
    compact, indented, parsed, parsed_indented, parsed_unicode = result
    for copy in (parsed, parsed_indented, parsed_unicode):
        if copy != document:
            raise AssertionError("json round trip changed the document")
    if document["items"] and parsed["items"][-1] is document["items"][-1]:
        raise AssertionError("loads returned the original object")
    expected = EXPECTED_LENGTHS.get(document["count"])
    if expected is not None and (len(compact), len(indented)) != expected:
        raise AssertionError("json lengths %r, expected %r" % ((len(compact), len(indented)), expected))
