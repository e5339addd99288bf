from django.shortcuts import render
from django.views.decorators.http import require_GET

from profiles.selectors import viewer_profile
from search import selectors
from search.forms import ExpertForm, SearchForm


@require_GET
def results(request):
    form = SearchForm(request.GET)
    context = {"form": form, "query": ""}
    status = 200
    if not form.is_valid():
        status = 400
    elif query := form.cleaned_data["q"]:
        context.update(
            query=query, results=selectors.site_search(query=query, viewer=viewer_profile(request))
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
