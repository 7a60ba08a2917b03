"""The CMS's views: each selects its rows with few queries and renders a template that extends base.html."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from .models import Article, Category, Page


def front(request):
    home = get_object_or_404(Page, path="")
    featured = Article.objects.filter(featured=True).select_related("author", "category")[:4]
    latest = Article.objects.select_related("category").exclude(featured=True)[:8]
    sections = (Page.objects.filter(parent=home, in_menu=True, published=True)
                .prefetch_related("children").order_by("position"))
    categories = Category.objects.annotate(article_count=Count("articles")).order_by("name")
    return render(request, "pbcms/front.html", {"page": home, "featured": featured, "latest": latest,
                                                "sections": sections, "categories": categories})


def page(request, path):
    current = get_object_or_404(Page.objects.select_related("parent"), path=path, published=True)
    children = current.children.filter(published=True)
    siblings = Page.objects.filter(parent_id=current.parent_id, published=True).exclude(pk=current.pk)
    return render(request, "pbcms/page.html", {"page": current, "breadcrumbs": current.ancestors(),
                                               "children": children, "siblings": siblings})


def news(request, slug=None):
    articles = Article.objects.select_related("author", "category")
    category = None
    if slug is not None:
        category = get_object_or_404(Category, slug=slug)
        articles = articles.filter(category=category)
    listing = Paginator(articles, 10).get_page(request.GET.get("page"))
    return render(request, "pbcms/news.html", {"listing": listing, "category": category,
                                               "categories": Category.objects.all()})


def article(request, slug):
    item = get_object_or_404(Article.objects.select_related("author", "category"), slug=slug)
    related = (Article.objects.filter(category=item.category).exclude(pk=item.pk)
               .only("title", "slug", "published")[:5])
    return render(request, "pbcms/article.html", {"article": item, "related": related})


@login_required
def account(request):
    mine = Article.objects.filter(author=request.user).select_related("category")
    per_category = mine.values("category__name").annotate(n=Count("id")).order_by("category__name")
    return render(request, "pbcms/account.html", {"articles": mine[:15], "per_category": per_category,
                                                  "total": mine.count()})
