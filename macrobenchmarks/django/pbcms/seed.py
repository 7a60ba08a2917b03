"""Seeds the site with a fixed page tree, users, categories and articles. Text comes from a fixed LCG, not
`random`, so every interpreter serves byte-identical pages."""
import datetime

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction

from .models import Article, Category, Page, Snippet

WORDS = (
    "release foundation community interpreter compiler runtime garbage collection memory latency throughput "
    "benchmark server library module package extension startup import cache specialization trace inline "
    "profile warmup request response template database query migration session security download "
    "documentation tutorial conference sprint mentor grant sponsor governance roadmap feature deprecation"
).split()

TREE = [
    ("Interpreters", [("CPython", [("Version 3.8", []), ("Version 3.11", []), ("Build options", [])]),
                      ("PyPy", [("JIT internals", []), ("Compatibility", [])]),
                      ("Pyston", [("Roadmap", []), ("Embedding", [])])]),
    ("Benchmarks", [("Macrobenchmarks", [("Flask blog", []), ("Django CMS", []), ("Pylint", [])]),
                    ("Microbenchmarks", []), ("Methodology", [("Statistics", []), ("Warmup", [])])]),
    ("Downloads", [("Source releases", []), ("Binary packages", []), ("Nightly builds", [])]),
    ("Community", [("Events", [("Sprints", []), ("Conferences", [])]), ("Mailing lists", []), ("Code of conduct", [])]),
    ("About", [("Team", []), ("Sponsors", []), ("Contact", [])]),
]
CATEGORIES = ["Releases", "Performance", "Community", "Security", "Research", "Tooling"]
START = datetime.datetime(2021, 3, 1, 8, 0, tzinfo=datetime.timezone.utc)


class Lcg:
    def __init__(self, seed):
        self.state = seed

    def next(self, n):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (self.state >> 33) % n

    def words(self, count):
        return " ".join(WORDS[self.next(len(WORDS))] for _ in range(count))

    def sentence(self):
        text = self.words(5 + self.next(12))
        return text[0].upper() + text[1:] + "."

    def paragraphs(self, count):
        return "\n\n".join(" ".join(self.sentence() for _ in range(3 + self.next(4))) for _ in range(count))


def slugify(title):
    return "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")


def add_pages(rng, children, parent, prefix):
    for position, (title, grandchildren) in enumerate(children):
        slug = slugify(title)
        page = Page.objects.create(title=title, slug=slug, parent=parent, path=prefix + slug + "/",
                                   position=position, lead=rng.sentence(), body=rng.paragraphs(3 + rng.next(4)),
                                   updated=START + datetime.timedelta(days=rng.next(600)))
        add_pages(rng, grandchildren, page, page.path)


@transaction.atomic
def seed_site(editor_session_key, article_count=180):
    rng = Lcg(1989)
    home = Page.objects.create(title="Home", slug="home", path="", in_menu=False, lead=rng.sentence(),
                               body=rng.paragraphs(2), updated=START)
    add_pages(rng, TREE, home, "")
    # A hidden page: reachable by its path, absent from menus.
    Page.objects.create(title="Press kit", slug="press-kit", parent=home, path="press-kit/", in_menu=False,
                        lead=rng.sentence(), body=rng.paragraphs(2), updated=START)
    users = [User.objects.create_user(name, name + "@example.org", "cms-password", first_name=name.title())
             for name in ("editor", "ada", "guido", "armin", "kevin")]
    categories = [Category.objects.create(name=n, slug=slugify(n)) for n in CATEGORIES]
    for i in range(1, article_count + 1):
        title = rng.words(4 + rng.next(5)).capitalize()
        Article.objects.create(title=title, slug="%s-%d" % (slugify(title)[:60], i),
                               category=categories[rng.next(len(categories))], author=users[rng.next(len(users))],
                               published=START + datetime.timedelta(hours=29 * i), featured=rng.next(7) == 0,
                               lead=rng.sentence() + " " + rng.sentence(), body=rng.paragraphs(4 + rng.next(5)))
    Snippet.objects.create(key="footer-address", html="Interpreter Foundation &middot; 1 Bytecode Lane")
    Snippet.objects.create(key="footer-legal", html="Content licensed CC BY-SA; code under the MIT licence.")
    sign_in(users[0], editor_session_key)


def sign_in(user, session_key):
    """A stored session for `user` under a fixed key, so the load client can send it as a cookie."""
    data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash()}
    Session.objects.create(session_key=session_key, session_data=SessionStore().encode(data),
                           expire_date=datetime.datetime(2099, 1, 1, tzinfo=datetime.timezone.utc))
