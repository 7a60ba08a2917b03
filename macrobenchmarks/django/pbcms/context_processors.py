"""What every page shows: the site's name, the menu tree and the footer snippets."""
from .menu import menu_tree
from .models import Snippet


def site(request):
    return {
        "site_name": "Interpreter Foundation",
        "menu": menu_tree(request.path),
        "footer": {s.key: s.html for s in Snippet.objects.filter(key__startswith="footer-")},
    }
