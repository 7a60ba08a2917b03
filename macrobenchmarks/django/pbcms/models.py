"""The CMS's content: a tree of pages, news articles in categories, and reusable snippets."""
from django.conf import settings
from django.db import models


class Page(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    parent = models.ForeignKey("self", null=True, blank=True, related_name="children", on_delete=models.CASCADE)
    path = models.CharField(max_length=400, unique=True)  # "interpreters/cpython/" ("" for the home page)
    position = models.PositiveIntegerField(default=0)
    in_menu = models.BooleanField(default=True)
    published = models.BooleanField(default=True)
    lead = models.TextField(blank=True)
    body = models.TextField(blank=True)
    updated = models.DateTimeField()

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return "/" + self.path

    def ancestors(self):
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Category(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    category = models.ForeignKey(Category, related_name="articles", on_delete=models.PROTECT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="articles", on_delete=models.PROTECT)
    published = models.DateTimeField(db_index=True)
    featured = models.BooleanField(default=False)
    lead = models.TextField()
    body = models.TextField()

    class Meta:
        ordering = ["-published"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return "/news/%s/" % self.slug


class Snippet(models.Model):
    key = models.SlugField(unique=True)
    html = models.TextField()

    def __str__(self):
        return self.key
