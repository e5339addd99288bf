"""Pages of must-read announcements: acknowledging one, and the figures its author and Communications see."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from common.views import action_run, redirect_next
from feed import acknowledgements, selectors
from feed.models import MustRead, Post
from profiles.models import Department
from profiles.selectors import viewer_profile


@require_POST
def acknowledge(request, post_id: int):
    viewer = viewer_profile(request)
    post = selectors.post_detail(viewer=viewer, post_id=post_id)
    if post is None:
        raise Http404("That post doesn't exist or was removed.")
    action_run(
        request,
        lambda: acknowledgements.acknowledgement_create(post_id=post.pk, profile=viewer),
        success="Thank you: your acknowledgement is recorded.",
    )
    return redirect_next(request, fallback=post)


def _must_read_for_figures(request, post_id: int) -> tuple[Post, MustRead]:
    viewer = viewer_profile(request)
    post = selectors.post_detail(viewer=viewer, post_id=post_id)
    must_read = MustRead.objects.filter(post_id=post_id).first() if post is not None else None
    if post is None or must_read is None:
        raise Http404("That announcement doesn't ask to be acknowledged.")
    if not acknowledgements.figures_visible_to(post=post, user=request.user, viewer=viewer):
        raise PermissionDenied("Only the author and the Communications group see these figures.")
    return post, must_read


@require_GET
def acknowledgement_figures(request, post_id: int):
    post, must_read = _must_read_for_figures(request, post_id)
    figures = acknowledgements.acknowledgement_figures(must_read=must_read)
    departments = (
        Department.objects.filter(members__user__is_active=True).distinct().order_by("name")
        if must_read.compliance
        else []
    )
    context = {
        "post": post,
        "figures": figures,
        "min_cell": acknowledgements.MIN_CELL,
        "departments": departments,
    }
    return render(request, "feed/acknowledgements.html", context)


@require_GET
def not_acknowledged_csv(request, post_id: int):
    """Who has not acknowledged a compliance announcement, for everyone or one department."""
    post, must_read = _must_read_for_figures(request, post_id)
    if not must_read.compliance:
        raise PermissionDenied("Only a compliance announcement lists who has not acknowledged it.")
    try:
        department_id = int(request.GET["department"]) if request.GET.get("department") else None
    except ValueError:
        raise Http404("No such department.") from None
    rows = acknowledgements.not_acknowledged_rows(must_read=must_read, department_id=department_id)
    response = StreamingHttpResponse(acknowledgements.csv_lines(rows), content_type="text/csv; charset=utf-8")
    suffix = f"-department-{department_id}" if department_id else ""
    response["Content-Disposition"] = f'attachment; filename="not-acknowledged-{post.pk}{suffix}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
