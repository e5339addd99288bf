"""SCIM bench: a 100,000-person initial sync, the way Entra ID's provisioning service does it.

    nice -n 10 .venv/bin/python bench/scim/run.py                       # 100,000 people, 2,000 timed each end
    nice -n 10 .venv/bin/python bench/scim/run.py --timed 100000        # every person over HTTP (hours)

For each person Entra sends three requests: GET /Users?filter=userName eq "..." (is the person there
already?), POST /Users (department, title, office), then PATCH the manager once both exist. Groups:
POST /Groups, then PATCH "add members" in batches of 50. Every request goes through Django's WSGI
stack (test client: every middleware, the bearer token, the view, JSON in and out) on PostgreSQL.

The first `--timed` people go over HTTP into an empty company, the middle of the company is bulk
loaded (as if the sync had run that far), and the last `--timed` people go over HTTP at full size: the
two ends show whether a request costs more as the company grows. The same for a group's members:
batches added to a small group, then to a group of about 100,000. Then a filtered GET by userName at
full size, with the query plan. Prints requests' p50/p95, queries per request, people per second and
the projected time of the whole sync (from the full-size end).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.people.generate import (  # noqa: E402
    DEFAULT_SERVER,
    _recreate_database,
    configure_django,
    database_url,
)

DEFAULT_DATABASE = "hive_scimbench"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
DEPARTMENTS = [f"Department {i}" for i in range(40)]
OFFICES = [f"Office {i}" for i in range(25)]
MEMBER_BATCH = 50


@dataclass
class Timings:
    name: str
    ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    def line(self) -> str:
        if not self.ms:
            return f"{self.name:<44} (none)"
        ordered = sorted(self.ms)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        q = sorted(self.queries)
        return (
            f"{self.name:<44} n={len(self.ms):>6}  p50 {statistics.median(ordered):6.1f} ms  "
            f"p95 {p95:6.1f} ms  queries {q[0]}-{q[-1]} (median {statistics.median(q):.0f})"
        )


def person(i: int) -> dict:
    email = f"person{i:06d}@example.com"
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "externalId": f"ext-{i:06d}",
        "userName": email,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": email}],
        "name": {"formatted": f"Person {i}", "givenName": "Person", "familyName": str(i)},
        "title": "Engineer",
        "addresses": [{"type": "work", "formatted": OFFICES[i % len(OFFICES)]}],
        ENTERPRISE: {"department": DEPARTMENTS[i % len(DEPARTMENTS)]},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG_SERVER", DEFAULT_SERVER))
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--timed", type=int, default=2_000, help="people sent over HTTP at each end")
    parser.add_argument("--lookups", type=int, default=500, help="filtered GETs at full size")
    args = parser.parse_args(argv)
    if args.database in {"hive", "postgres", "template0", "template1"}:
        parser.error("give the bench its own scratch database")
    timed = min(args.timed, args.people // 2)

    _recreate_database(args.database, args.server, fresh=True)
    configure_django(database_url(args.database, args.server))
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"migrate: {time.perf_counter() - t:.0f} s")

    from provisioning import services

    _, key = services.token_create(name="Bench Entra ID", created_by=None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    count = [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    def call(timings: Timings, method: str, path: str, body: dict | None = None, expect: int = 200):
        data = json.dumps(body) if body is not None else ""
        count[0] = 0
        with connection.execute_wrapper(counting):
            started = time.perf_counter()
            response = client.generic(method, f"/scim/v2/{path}", data, content_type="application/scim+json")
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != expect:
            raise SystemExit(f"{method} {path}: {response.status_code} {response.content[:300]!r}")
        timings.ms.append(elapsed)
        timings.queries.append(count[0])
        return response

    ids: dict[int, str] = {}

    def sync_people(indices: range, label: str) -> tuple[list[Timings], float]:
        find, create, manager = (
            Timings(f"{label}: GET filter userName"),
            Timings(f"{label}: POST /Users"),
            Timings(f"{label}: PATCH manager"),
        )
        started = time.perf_counter()
        for i in indices:
            found = call(find, "GET", f'Users?filter=userName eq "person{i:06d}@example.com"').json()
            assert found["totalResults"] == 0
            ids[i] = call(create, "POST", "Users", person(i), expect=201).json()["id"]
        for i in indices:
            if i // 7 != i:  # seven reports per manager, as in bench/people
                boss = ids[i // 7]
                body = {
                    "schemas": [PATCH_SCHEMA],
                    "Operations": [{"op": "Add", "path": f"{ENTERPRISE}:manager", "value": boss}],
                }
                call(manager, "PATCH", f"Users/{ids[i]}", body)
        return [find, create, manager], time.perf_counter() - started

    print(f"Sync of {args.people:,} people: {timed:,} over HTTP at each end, the middle bulk loaded")
    start_timings, start_seconds = sync_people(range(timed), "empty company")
    t = time.perf_counter()
    bulk_load(range(timed, args.people - timed), ids)
    print(f"bulk load of {args.people - 2 * timed:,} people: {time.perf_counter() - t:.0f} s")
    end_timings, end_seconds = sync_people(
        range(args.people - timed, args.people), f"at {args.people // 1000}k"
    )

    # Groups: a role group and a company-wide group, members added in Entra's batches.
    group_timings = Timings("POST /Groups")
    everyone = call(group_timings, "POST", "Groups", {"displayName": "Everyone", "members": []}, 201).json()[
        "id"
    ]
    call(group_timings, "POST", "Groups", {"displayName": "Moderators", "members": []}, 201)

    def add_members(timings: Timings, indices: list[int]) -> None:
        for at in range(0, len(indices), MEMBER_BATCH):
            batch = [{"value": ids[i]} for i in indices[at : at + MEMBER_BATCH]]
            body = {
                "schemas": [PATCH_SCHEMA],
                "Operations": [{"op": "Add", "path": "members", "value": batch}],
            }
            call(timings, "PATCH", f"Groups/{everyone}", body, expect=204)

    small = Timings(f"PATCH add {MEMBER_BATCH} members, group < {timed:,}")
    add_members(small, list(range(timed)))
    bulk_members(int(everyone), [ids[i] for i in range(timed, args.people - timed)])
    large = Timings(f"PATCH add {MEMBER_BATCH} members, group ~{args.people // 1000}k")
    add_members(large, list(range(args.people - timed, args.people)))

    lookups = Timings(f"GET filter userName at {args.people // 1000}k")
    step = max(1, args.people // args.lookups)
    for i in range(0, args.people, step):
        found = call(lookups, "GET", f'Users?filter=userName eq "Person{i:06d}@Example.com"').json()
        assert found["totalResults"] == 1, found
    plan = query_plan("person050000@example.com")
    lookups_plan = post_lookup_plans("Person050000@Example.com")

    print()
    for timings in [*start_timings, *end_timings, group_timings, small, large, lookups]:
        print(timings.line())
    people_per_s_start = timed / start_seconds
    people_per_s_end = timed / end_seconds
    requests_per_person = 3
    projected = args.people / people_per_s_end
    print()
    print(f"people/s, empty company:  {people_per_s_start:6.1f}  ({requests_per_person} requests each)")
    print(
        f"people/s, at full size:   {people_per_s_end:6.1f}  "
        f"(end / start = {people_per_s_end / people_per_s_start:.2f})"
    )
    members_total = args.people
    member_seconds = members_total / MEMBER_BATCH * statistics.mean(large.ms) / 1000
    print(
        f"projected initial sync of {args.people:,} people at the full-size rate: {projected / 60:.0f} min, "
        f"plus {member_seconds / 60:.0f} min to add them all to one group"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\nplan of the userName filter:\n" + plan)
    print(
        "\nplans of POST /Users' look-ups (userName taken? an account with this address?):\n" + lookups_plan
    )
    return 0


def bulk_load(indices: range, ids: dict[int, str]) -> None:
    """People the sync had already created, written as user_provision writes them."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from profiles.models import Department, Location, Profile, User
    from provisioning.models import ScimIdentity

    departments = {d.name: d.pk for d in Department.objects.all()}
    offices = {o.name: o.pk for o in Location.objects.all()}
    unusable = make_password(None)
    for at in range(indices.start, indices.stop, 5_000):
        chunk = range(at, min(at + 5_000, indices.stop))
        with transaction.atomic():
            users = User.objects.bulk_create(
                [User(email=f"person{i:06d}@example.com", password=unusable) for i in chunk]
            )
            EmailAddress.objects.bulk_create(
                [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
            )
            profiles = Profile.objects.bulk_create(
                [
                    Profile(
                        user=u, display_name=f"Person {i}", job_title="Engineer",
                        department_id=departments[DEPARTMENTS[i % len(DEPARTMENTS)]],
                        location_id=offices[OFFICES[i % len(OFFICES)]],
                    )
                    for i, u in zip(chunk, users, strict=True)
                ]
            )  # fmt: skip
            ScimIdentity.objects.bulk_create(
                [
                    ScimIdentity(
                        profile=p, user_name=f"person{i:06d}@example.com", external_id=f"ext-{i:06d}"
                    )
                    for i, p in zip(chunk, profiles, strict=True)
                ]
            )
        ids.update({i: str(p.pk) for i, p in zip(chunk, profiles, strict=True)})


def bulk_members(group_id: int, profile_ids: list[str]) -> None:
    from provisioning.models import ScimGroupMember

    ScimGroupMember.objects.bulk_create(
        [ScimGroupMember(group_id=group_id, profile_id=int(pid)) for pid in profile_ids], batch_size=10_000
    )


def query_plan(user_name: str) -> str:
    from django.db import connection

    from provisioning import selectors

    found = selectors.users(filter_expression=f'userName eq "{user_name}"')
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql} LIMIT 100", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def post_lookup_plans(user_name: str) -> str:
    from django.db import connection

    from provisioning.models import ScimIdentity
    from provisioning.services import _users_by_address

    lines = []
    for found in (ScimIdentity.objects.filter(user_name__iexact=user_name), _users_by_address(user_name)):
        sql, params = found.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
            lines += [row[0] for row in cursor.fetchall()]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
