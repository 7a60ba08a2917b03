# regex: a realistic mix of regular-expression work on generated text: parsing web-server log lines,
# extracting e-mail addresses and URLs from prose, tokenising source code with a named-group scanner,
# substitution with a callback, and splitting. The text is generated with known contents, so every count
# is checked against the generator's own tally (computed without regular expressions).
import re

DEFAULT_SIZE = 5000  # log lines (and proportionally many prose and code lines)

LOG_LINE = re.compile(r'^(\S+) \S+ (\S+) \[([^\]]+)\] "(GET|POST|PUT|DELETE) (\S+) HTTP/1\.[01]" (\d{3}) (\d+|-)$')
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
URL = re.compile(r"https?://[^\s/$.?#][^\s]*[^\s.,;)]")
TOKEN = re.compile(r"""
    (?P<number>\d+(?:\.\d+)?)
  | (?P<name>[A-Za-z_]\w*)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<op>==|!=|<=|>=|[-+*/=<>(){}\[\],:;])
  | (?P<space>\s+)
""", re.VERBOSE)
DATE = re.compile(r"(\d{2})/(\w{3})/(\d{4})")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

METHODS = ("GET", "POST", "PUT", "DELETE")
STATUSES = ("200", "200", "200", "304", "404", "500")
NAMES = ("anna", "bo", "chen", "dmitri", "eve", "fatima")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Lcg(object):
    def __init__(self, seed):
        self.state = seed

    def below(self, n):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.state >> 33) % n


def setup(lines):
    rng = Lcg(99)
    logs, tally = [], {"status404": 0, "bytes": 0, "emails": 0, "urls": 0, "numbers": 0, "strings": 0,
                       "sentences": 0}
    for i in range(lines):
        status = STATUSES[rng.below(len(STATUSES))]
        size = "-" if status == "304" else str(rng.below(50000))
        tally["status404"] += status == "404"
        tally["bytes"] += 0 if size == "-" else int(size)
        logs.append('10.0.%d.%d - %s [%02d/%s/2023:10:%02d:%02d +0000] "%s /api/v1/items/%d?page=%d HTTP/1.1" %s %s'
                    % (rng.below(256), rng.below(256), NAMES[rng.below(len(NAMES))], 1 + rng.below(28),
                       MONTHS[rng.below(12)], rng.below(60), rng.below(60), METHODS[rng.below(4)], i,
                       rng.below(9), status, size))
    prose = []
    for i in range(lines // 3):
        name = NAMES[rng.below(len(NAMES))]
        parts = ["Hello %s, see the report." % name.title()]
        if rng.below(2):
            parts.append("Mail %s.%d@example.com or %s+bench@mail.example.org today!" % (name, i, name))
            tally["emails"] += 2
        if rng.below(3):
            parts.append("Docs at https://docs.example.org/%s/page%d.html, thanks." % (name, i))
            tally["urls"] += 1
        tally["sentences"] += len(parts)
        prose.append(" ".join(parts))
    code = []
    for i in range(lines // 3):
        code.append('total_%d = price * %d.5 + tax(items[%d], "rate \\"%d\\"") - 7' % (i, i, i % 10, i))
        tally["numbers"] += 3
        tally["strings"] += 1
    return "\n".join(logs), "\n".join(prose), "\n".join(code), tally


def month_number(match):
    return "%s-%02d-%s" % (match.group(3), MONTHS.index(match.group(2)) + 1, match.group(1))


def run(state):
    logs, prose, code, _ = state
    status404 = 0
    total_bytes = 0
    for line in logs.split("\n"):
        m = LOG_LINE.match(line)
        if m is None:
            raise ValueError("unparsed log line %r" % line)
        if m.group(6) == "404":
            status404 += 1
        if m.group(7) != "-":
            total_bytes += int(m.group(7))
    iso_dates = DATE.sub(month_number, logs)
    emails = EMAIL.findall(prose)
    urls = URL.findall(prose)
    sentences = sum(len(SENTENCE_END.split(p)) for p in prose.split("\n"))
    kinds = {}
    for m in TOKEN.finditer(code):
        kinds[m.lastgroup] = kinds.get(m.lastgroup, 0) + 1
    return status404, total_bytes, len(emails), len(urls), sentences, kinds, iso_dates.count("-01-")


def check(result, state):
    logs, _, _, tally = state
    status404, total_bytes, emails, urls, sentences, kinds, january = result
    got = {"status404": status404, "bytes": total_bytes, "emails": emails, "urls": urls,
           "numbers": kinds.get("number", 0), "strings": kinds.get("string", 0), "sentences": sentences}
    if got != tally:
        raise AssertionError("regex counts %r, expected %r" % (got, tally))
    if january != logs.count("/Jan/"):
        raise AssertionError("%d January dates rewritten, expected %d" % (january, logs.count("/Jan/")))
