import mimetypes
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.live import poll_token
from common.views import action_run, bad_cursor_400, form_errors_add, redirect_next
from feed import already_answered as answered
from feed import holds as feed_holds
from feed import kinds, newcomers, polls, scheduling, selectors, services
from feed import live as feed_live
from feed.forms import CommentForm, PollForm, PostForm
from feed.models import Post
from moderation.ratelimit import rate_limited
from notifications import selectors as notification_selectors
from profiles import roles
from profiles.selectors import profile_by_handle, profile_by_id, viewer_profile


@bad_cursor_400
def _feed(request, *, scope: str):
    """Home (what you follow) and All company share the page: compose box, posts, new-post prompt."""
    viewer = viewer_profile(request)
    can_announce = roles.can_announce(request.user)
    form = PostForm(request.POST or None, request.FILES or None, can_announce=can_announce)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["publish_at"]:
                scheduled = scheduling.scheduled_post_create(
                    author=viewer,
                    body=data["body"],
                    kind=data["kind"],
                    publish_at=data["publish_at"],
                    options=data,  # the announcement's pin and must-read choices
                )
                messages.success(request, scheduling.scheduled_message(scheduled))
                return redirect("feed:scheduled")
            if data["kind"] == Post.Kind.ANNOUNCEMENT:
                post = services.announcement_create(
                    author=viewer,
                    body=data["body"],
                    pinned_days=data["pinned_days"],
                    must_read=data["must_read"],
                    compliance=data["compliance"],
                    remind_after_days=data["remind_after_days"],
                )
            else:
                post = services.post_create(
                    author=viewer, body=data["body"], kind=data["kind"], images=data["images"]
                )
        except ValidationError as exc:
            form_errors_add(form, exc, field="body")
        else:
            feed_holds.posted_message(request, post, success="Posted.")
            return redirect(request.path)
    cursor = request.GET.get("cursor")
    partial = bool(request.headers.get("HX-Request"))  # "Older posts": no pinned announcements
    page = (
        selectors.home_feed_page(viewer=viewer, cursor=cursor, with_pinned=not partial, memo=True)
        if scope == "home"
        else None
    )
    following_nothing = scope == "home" and page is None
    if page is None:
        page = selectors.company_feed_page(viewer=viewer, cursor=cursor, with_pinned=not partial, memo=True)
    if partial:
        return render(request, "feed/_post_page.html", {"page": page})
    _record_announcements_seen(request, viewer, [p.pk for p in page.pinned])
    context = {
        "form": form,
        "page": page,
        "pinned": page.pinned,
        "scope": scope,
        "following_nothing": following_nothing,
        "can_announce": can_announce,
        "newcomer": newcomers.checklist_for(viewer=viewer),  # no query unless the viewer is new
        "banners": kinds.feed_banners(request),
    }
    return render(request, "feed/home.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@rate_limited("posts")
def home(request):
    return _feed(request, scope="home")


@require_http_methods(["GET", "POST"])
@rate_limited("posts")
def all_company(request):
    return _feed(request, scope="all")


@require_GET
def new_posts(request):
    """htmx poll from the feed: a prompt when colleagues posted since the page was loaded."""
    try:
        newest_id = int(request.GET.get("after", ""))
    except ValueError:
        return HttpResponseBadRequest("Missing or bad 'after'.")
    home = request.GET.get("scope") == "home"
    count = selectors.posts_newer_than_count(viewer=viewer_profile(request), post_id=newest_id, home=home)
    return render(
        request,
        "feed/_new_posts.html",
        {"count": count, "newest_id": newest_id, "scope": "home" if home else "all"},
    )


@require_GET
def live(request):
    """One poll per open tab (static/js/live.js): the feed's new-post prompt and the unread badge.

    `after` (the top post's id) and `scope` come from a feed page; elsewhere only the badge is
    asked for. The answer carries an ETag built from cache stamps (common.live) of everything it
    depends on: when the client's If-None-Match still matches, it gets a 304 without a query
    beyond the session's (and, with the tab's poll token, in front of Django: feed.live_gate).
    On any cache trouble the answer is computed from the database.
    """
    after_raw = request.GET.get("after")
    after = None
    if after_raw is not None:
        try:
            after = int(after_raw)
        except ValueError:
            return HttpResponseBadRequest("'after' must be a post id.")
    scope = request.GET.get("scope", "all")
    if scope not in feed_live.SCOPES:
        return HttpResponseBadRequest("'scope' must be home or all.")
    user_id = request.user.pk
    # Stamps are read before the database: a post committed after this read renews a stamp, so the
    # next poll recomputes; one committed before it is in the count below.
    etag = feed_live.poll_etag(
        user_id=user_id, scope=scope, after=after, viewer=lambda: viewer_profile(request)
    )
    if etag is not None and etag in parse_etags(request.headers.get("If-None-Match", "")):
        return _live_token_renewed(feed_live.poll_not_modified(etag), user_id=user_id)
    viewer = viewer_profile(request)
    context = {"unread": notification_selectors.unread_count(recipient=viewer), "scope": scope}
    if after is not None:
        context["count"] = selectors.posts_newer_than_count(
            viewer=viewer, post_id=after, home=scope == "home"
        )
        context["newest_id"] = after
    # Without the request's context processors: the two partials need none, and they cost a query.
    response = HttpResponse(render_to_string("feed/_live.html", context))
    if etag is not None:
        response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return _live_token_renewed(response, user_id=user_id)


def _live_token_renewed(response: HttpResponse, *, user_id: int) -> HttpResponse:
    """A poll that came the long way (through the session) hands the tab a fresh poll token
    (common.live), so its next polls with nothing new are answered before the session again."""
    response[feed_live.TOKEN_HEADER] = poll_token(user_id=user_id)
    return response


@bad_cursor_400
@require_GET
def tag(request, name: str):
    found = selectors.tag_by_name(name=name)
    if found is None:
        raise Http404("Nobody has used that tag yet.")
    viewer = viewer_profile(request)
    page = selectors.tag_feed_page(viewer=viewer, tag=found, cursor=request.GET.get("cursor"), memo=True)
    following = selectors.follows_tag(viewer=viewer, tag=found)
    return render(request, "feed/tag.html", {"tag": found, "page": page, "following": following})


@require_POST
def tag_follow(request, name: str):
    found = selectors.tag_by_name(name=name)
    if found is None:
        raise Http404("Nobody has used that tag yet.")
    now_following = services.follow_tag_toggle(follower=viewer_profile(request), tag=found)
    messages.success(request, f"{'Following' if now_following else 'No longer following'} #{found.name}.")
    return redirect("feed:tag", name=found.name)


@require_GET
def mention(request, handle: str):
    """Where an @mention link leads: the colleague whose work email starts with the handle."""
    person = profile_by_handle(handle=handle)
    if person is None:
        raise Http404("Nobody goes by that name here.")
    return redirect(person)


@require_POST
def person_follow(request, profile_id: int):
    person = profile_by_id(profile_id=profile_id)
    if person is None:
        raise Http404("No such person.")
    action_run(
        request,
        lambda: services.follow_person_toggle(follower=viewer_profile(request), followee=person),
        success=lambda now_following: (
            f"{'You follow' if now_following else 'You no longer follow'} {person.display_name}."
        ),
    )
    return redirect_next(request, fallback=person)  # back to the newcomer checklist, when it came from there


def _post_or_404(request, post_id: int, *, held_too: bool = False):
    post = selectors.post_detail(viewer=viewer_profile(request), post_id=post_id, held_too=held_too)
    if post is None:
        raise Http404("That post doesn't exist or was removed.")
    return post


@bad_cursor_400
@require_http_methods(["GET", "POST"])
@rate_limited("comments")
def post_detail(request, post_id: int):
    # A moderator opens held posts and comments from the review queue; others see only their own.
    moderating = roles.MODERATORS in roles.user_roles(request.user)
    post = _post_or_404(request, post_id, held_too=moderating)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_create(
                post_id=post.pk,
                author=viewer_profile(request),
                body=form.cleaned_data["body"],
                parent_id=form.cleaned_data["parent"],
            )
        except ValidationError as exc:
            form_errors_add(form, exc, field="body")
        else:
            if comment.held_at is not None:
                feed_holds.posted_message(request, comment, success="")
            return redirect(comment)  # the page of a long thread where the new comment is
    cursor = request.GET.get("comments")
    thread = selectors.comment_thread_page(
        post=post,
        cursor=cursor,
        from_comment_id=_int_or_none(request.GET.get("comment")),
        viewer=viewer_profile(request),
        held_too=moderating,
    )
    context = {
        "post": post,
        "thread": thread,
        "can_choose_answer": selectors.answer_choosable_by(post=post, viewer=viewer_profile(request)),
    }
    if request.headers.get("HX-Request") and cursor:
        return render(request, "feed/_comment_page.html", context)  # "More comments"
    context |= {
        "revisions": selectors.post_revisions(post=post) if post.edited_at else [],
        "reach": _reach_for(request, post),
        "form": form,
    }
    return render(request, "feed/post_detail.html", context, status=400 if form.errors else 200)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_GET
def post_image(request, post_id: int, image_id: int):
    """A post's picture, only for people who may read the post (private groups stay private)."""
    post = selectors.post_detail(viewer=viewer_profile(request), post_id=post_id)
    picture = selectors.post_image(post=post, image_id=image_id) if post else None
    if picture is None:
        raise Http404("No such picture.")
    response = FileResponse(
        picture.image.open("rb"), content_type=mimetypes.guess_type(picture.image.name)[0]
    )
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


SEEN_SESSION_KEY = "hive_announcements_seen"


def _record_announcements_seen(request, viewer, post_ids: list[int]) -> None:
    """Write each announcement's view once per session, not on every feed load it stays pinned."""
    seen = request.session.get(SEEN_SESSION_KEY, [])
    new = [pk for pk in post_ids if pk not in seen]
    if new:
        services.announcements_seen(viewer=viewer, post_ids=new)
        request.session[SEEN_SESSION_KEY] = (seen + new)[-50:]


def _reach_for(request, post):
    """An announcement's reach, for its author and the people who announce; it counts this view too."""
    if not post.is_announcement:
        return None
    viewer = viewer_profile(request)
    _record_announcements_seen(request, viewer, [post.pk])
    if post.author_id != viewer.pk and not roles.can_announce(request.user):
        return None
    return selectors.announcement_reach(post=post)


@require_http_methods(["GET", "POST"])
def post_edit(request, post_id: int):
    post = _post_or_404(request, post_id)
    viewer = viewer_profile(request)
    if post.author_id != viewer.pk:
        raise PermissionDenied("You can only edit your own posts.")
    form = PostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(post_id=post.pk, editor=viewer, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form_errors_add(form, exc, field="body")
        else:
            messages.success(request, "Post updated.")
            return redirect(post)
    return render(
        request, "feed/post_edit.html", {"post": post, "form": form}, status=400 if form.errors else 200
    )


@require_POST
def post_delete(request, post_id: int):
    try:
        services.post_delete(post_id=post_id, actor=viewer_profile(request))
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    messages.success(request, "Post deleted.")
    return redirect("feed:home")


@require_http_methods(["GET", "POST"])
@rate_limited("posts")
def poll_new(request):
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["publish_at"]:
                scheduled = scheduling.scheduled_post_create(
                    author=viewer_profile(request),
                    body=data["question"],
                    kind=Post.Kind.POLL,
                    publish_at=data["publish_at"],
                    options={
                        "choices": form.option_lines(),
                        "multiple": data["multiple"],
                        "closes_in_days": data["closes_in_days"],
                    },
                )
                messages.success(request, scheduling.scheduled_message(scheduled))
                return redirect("feed:scheduled")
            post = polls.poll_create(
                author=viewer_profile(request),
                question=data["question"],
                options=form.option_lines(),
                multiple=data["multiple"],
                closes_at=timezone.now() + timedelta(days=data["closes_in_days"]),
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            feed_holds.posted_message(request, post, success="Poll posted.")
            return redirect(post)
    return render(request, "feed/poll_new.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def poll_vote(request, post_id: int):
    option_ids = [int(v) for v in request.POST.getlist("option") if v.isdigit()]
    action_run(
        request,
        lambda: polls.poll_vote(post_id=post_id, voter=viewer_profile(request), option_ids=option_ids),
        success="Thanks for voting.",
    )
    # Back where the vote was cast (an event's live poll), else the poll's own page.
    return redirect_next(request, fallback=reverse("feed:post", args=[post_id]))


@require_POST
def answer_mark(request, post_id: int):
    raw = request.POST.get("comment", "")
    comment_id = int(raw) if raw.isdigit() else None
    action_run(
        request,
        lambda: services.answer_mark(post_id=post_id, comment_id=comment_id, actor=viewer_profile(request)),
        success="Best answer marked." if comment_id else "Best answer cleared.",
    )
    return redirect("feed:post", post_id=post_id)


@bad_cursor_400
@require_GET
def questions(request):
    viewer = viewer_profile(request)
    page = selectors.open_questions_page(
        viewer=viewer, cursor=request.GET.get("cursor"), with_expertise=True, memo=True
    )
    return render(request, "feed/questions.html", {"page": page, "for_you": page.pinned})


@require_POST
def comment_delete(request, comment_id: int):
    try:
        comment = services.comment_delete(comment_id=comment_id, actor=viewer_profile(request))
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    messages.success(request, "Comment deleted.")
    return redirect(comment.post)


@require_POST
@rate_limited("reactions")
def react(request, post_id: int):
    viewer = viewer_profile(request)
    try:
        services.reaction_toggle(post_id=post_id, profile=viewer, kind=request.POST.get("kind", ""))
    except ValidationError as exc:
        if request.headers.get("HX-Request"):
            return HttpResponseBadRequest(" ".join(exc.messages))
        messages.error(request, " ".join(exc.messages))
        return redirect("feed:home")
    if request.headers.get("HX-Request"):
        post = _post_or_404(request, post_id)
        return render(request, "feed/_reactions.html", {"post": post})
    return redirect_next(request, fallback="feed:home")


@require_GET
def mention_suggest(request):
    """mentions.js: a listbox of up to 8 colleagues for the "@..." being typed (a GET: nothing changes)."""
    candidates = selectors.mention_candidates(query=request.GET.get("q", "")[:100])
    # Without the request: the listbox needs none of the context processors' viewer and roles (two
    # queries), and this answers every pause in typing.
    return HttpResponse(render_to_string("feed/_mention_suggestions.html", {"candidates": candidates}))


@require_GET
def already_answered(request):
    """htmx: while a question is typed (the compose box in question mode, an event's question form),
    what already answers it. Anything but a question gets an empty answer."""
    found = None
    if request.GET.get("kind", "question") == "question":
        found = answered.already_answered(
            viewer=viewer_profile(request), text=request.GET.get("body", "")[:3000]
        )
    return render(request, "feed/_already_answered.html", {"found": found})
