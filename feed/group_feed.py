"""The group page's feed (compose box, posts, pages), which feed contributes to communities' group page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from common.views import bad_cursor_400, form_errors_add
from communities.models import Community, Membership
from communities.page_parts import GroupPagePart
from feed.forms import PostForm
from feed.holds import posted_message
from feed.scheduling import scheduled_message, scheduled_post_create
from feed.selectors import community_feed_page
from feed.services import post_create
from moderation.ratelimit import limit_hit, rate_limited_response
from profiles.models import Profile


@bad_cursor_400
def group_feed(
    request: HttpRequest,
    *,
    community: Community,
    membership: Membership | None,
    viewer: Profile,
    readable: bool,
) -> GroupPagePart | HttpResponse:
    form = PostForm(request.POST or None)
    if request.method == "POST":
        if membership is None:
            raise PermissionDenied(f"Join {community.name} to post in it.")
        if wait := limit_hit(user=request.user, action="posts"):
            return rate_limited_response(request, action="posts", retry_after=wait)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["publish_at"]:
                    scheduled = scheduled_post_create(
                        author=viewer, body=data["body"], publish_at=data["publish_at"], community=community
                    )
                else:
                    post = post_create(author=viewer, body=data["body"], community=community)
            except ValidationError as exc:
                form_errors_add(form, exc, field="body")
            else:
                if data["publish_at"]:
                    messages.success(request, scheduled_message(scheduled))
                else:
                    posted_message(request, post, success="Posted.")
                return redirect(community)
    status = 400 if form.errors else 200
    if not readable:
        return GroupPagePart(html=SafeString(""), status=status)
    page = community_feed_page(
        viewer=viewer, community=community, cursor=request.GET.get("cursor"), memo=True
    )
    html = render_to_string(
        "feed/_group_feed.html",
        {"community": community, "membership": membership, "form": form, "page": page},
        request=request,
    )
    return GroupPagePart(html=html, status=status)
