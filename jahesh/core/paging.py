from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset: Any, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a page number out of range or not a number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for links to other pages of the same list."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def page_links(page: Page) -> list[Any]:
    """The page numbers to link (the first, the last, two each side of this one, … between):
    a list of 4,000 pages must not render 4,000 links."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
