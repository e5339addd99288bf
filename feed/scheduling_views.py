"""Pages of scheduled posts: the author's list, editing one and cancelling it before it is published."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.views import action_run, form_errors_add
from feed import scheduling
from feed.forms import ScheduledPostForm
from profiles.selectors import viewer_profile


@require_GET
def scheduled_list(request):
    posts = scheduling.scheduled_posts_of(author=viewer_profile(request))
    return render(request, "feed/scheduled.html", {"scheduled_posts": posts, "time_zone": settings.TIME_ZONE})


@require_http_methods(["GET", "POST"])
def scheduled_edit(request, scheduled_id: int):
    viewer = viewer_profile(request)
    scheduled = scheduling.scheduled_post_of(author=viewer, scheduled_id=scheduled_id)
    if scheduled is None:
        raise Http404("No such scheduled post.")
    initial = {"body": scheduled.body, "publish_at": timezone.localtime(scheduled.publish_at)}
    form = ScheduledPostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            scheduled = scheduling.scheduled_post_update(
                scheduled_id=scheduled.pk,
                editor=viewer,
                body=form.cleaned_data["body"],
                publish_at=form.cleaned_data["publish_at"],
            )
        except ValidationError as exc:
            form_errors_add(form, exc, field="body")
        else:
            messages.success(request, scheduling.scheduled_message(scheduled))
            return redirect("feed:scheduled")
    context = {"scheduled": scheduled, "form": form, "time_zone": settings.TIME_ZONE}
    return render(request, "feed/scheduled_edit.html", context, status=400 if form.errors else 200)


@require_POST
def scheduled_cancel(request, scheduled_id: int):
    action_run(
        request,
        lambda: scheduling.scheduled_post_cancel(scheduled_id=scheduled_id, actor=viewer_profile(request)),
        success="Cancelled: it will not be published.",
    )
    return redirect("feed:scheduled")
