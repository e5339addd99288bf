from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from profiles import roles
from profiles.selectors import viewer_profile
from search import selectors, services
from search.forms import ExpertForm, SearchForm

GAP_PERIODS = (7, 30, 90)


@require_GET
def results(request):
    form = SearchForm(request.GET)
    context = {"form": form, "query": ""}
    status = 200
    if not form.is_valid():
        status = 400
    elif query := form.cleaned_data["q"]:
        results = selectors.site_search(
            query=query, viewer=viewer_profile(request), more=form.cleaned_data["more"]
        )
        context.update(query=query, results=results)
        # Counted once per search run, not per keystroke of typing-as-you-go (htmx).
        if results.searched and not request.headers.get("HX-Request"):
            services.search_record(
                searcher=viewer_profile(request), query=results.query, found_nothing=results.is_empty
            )
    else:
        context["popular"] = selectors.popular_skills()
    # htmx (typing in the box) swaps only the results.
    template = "search/_results.html" if request.headers.get("HX-Request") else "search/results.html"
    return render(request, template, context, status=status)


@require_GET
def experts(request):
    form = ExpertForm(request.GET)
    context = {"form": form, "topic": ""}
    status = 200
    if not form.is_valid():
        status = 400
    elif topic := form.cleaned_data["topic"]:
        context.update(
            topic=topic, results=selectors.experts_find(topic=topic, viewer=viewer_profile(request))
        )
    else:
        context["popular"] = selectors.popular_skills()
    return render(request, "search/experts.html", context, status=status)


@require_GET
def gaps(request):
    """Searches that found nothing, most frequent first: what people look for and the network lacks."""
    if roles.COMMUNICATIONS not in roles.user_roles(request.user):
        raise PermissionDenied("Only the Communications team sees the searches that found nothing.")
    raw = request.GET.get("days", "30")
    days = int(raw) if raw.isdigit() and int(raw) in GAP_PERIODS else 30
    return render(
        request,
        "search/gaps.html",
        {
            "report": selectors.zero_result_report(days=days),
            "activity": selectors.search_activity(days=days),
            "periods": GAP_PERIODS,
            "retention_days": settings.HIVE_ZERO_RESULT_DAYS,
        },
    )
