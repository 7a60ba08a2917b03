"""Builds the navigation tree from the page table in one query, marking the branch the visitor is on."""
from .models import Page


class MenuNode:
    __slots__ = ("title", "url", "children", "active", "current", "depth")

    def __init__(self, page, depth):
        self.title = page.title
        self.url = page.get_absolute_url()
        self.children = []
        self.active = False
        self.current = False
        self.depth = depth


def menu_tree(current_path, max_depth=3):
    pages = list(Page.objects.filter(in_menu=True, published=True).exclude(path="")
                 .only("id", "title", "path", "parent_id", "position"))
    by_parent = {}
    for page in pages:
        by_parent.setdefault(page.parent_id, []).append(page)
    home = Page.objects.only("id").get(path="")

    def build(parent_id, depth):
        nodes = []
        for page in by_parent.get(parent_id, []):
            node = MenuNode(page, depth)
            if depth < max_depth:
                node.children = build(page.id, depth + 1)
            node.current = node.url == current_path
            node.active = node.current or current_path.startswith(node.url) or any(c.active for c in node.children)
            nodes.append(node)
        return nodes

    return build(home.id, 1)
