# ruff: noqa: E501  (page text reads best as whole lines of Markdown, as people write it)
"""The demo company's wiki: policies and IT how-tos in the company space, and two groups' pages.

Each page is a list of versions (who wrote it: "comms" = Casey, the Communications manager; "it" =
Taylor, the IT administrator; "admin"/"member" = the group's; and how many days ago), written
through the wiki's services so every version, diff and "last edited by" is real.
"""

# (title, parent title or None, [(writer, days ago, summary, body), ...])
WikiPagePlan = tuple[str, str | None, list[tuple[str, int, str, str]]]

_EXPENSES_V1 = """Claim what you spend on company business within **60 days**, in the expenses tool, with a photo of each receipt.

## What you can claim
- Travel booked under the [[Travel policy]]
- Meals while travelling: up to €40 a day
- Client meals, with the names of who attended
- Home office equipment up to €300 a year (ask your manager first)

## What you can't claim
- Fines, personal entertainment, upgrades you chose for comfort
"""

_EXPENSES_V2 = _EXPENSES_V1.replace("within **60 days**", "within **30 days**").replace(
    "- Client meals, with the names of who attended\n",
    "- Client meals, with the names of who attended\n- Mileage at €0.30 per km when you drive your own car\n",
)

_EXPENSES_V3 = (
    _EXPENSES_V2.replace("up to €40 a day", "up to €45 a day (€60 in London, New York and Zurich)")
    + """
## Receipts
Under €25 and lost the receipt? Write what it was for; Finance accepts two of these a month.
Corporate card holders follow the same rules: see [[Corporate cards]].

| Amount | Who approves |
| --- | --- |
| up to €500 | your manager |
| €500 to €5,000 | your head of department |
| over €5,000 | Finance, before you spend it |
"""
)

_TRAVEL_V1 = """Book trips through the travel portal, at least **14 days** ahead when you can.

- Trains for trips under 4 hours; economy flights otherwise
- Hotels up to €160 a night (€220 in London and New York)
- Tell your manager before you book anything over €1,000

Expenses on the road follow the [[Expenses policy]].
"""

_TRAVEL_V2 = _TRAVEL_V1.replace(
    "- Trains for trips under 4 hours; economy flights otherwise",
    "- Trains for trips under 5 hours; economy flights otherwise\n- Lisbon ↔ Porto and Berlin ↔ Hamburg: always the train",
)

_CARDS = """Managers and people who travel monthly can ask Finance for a corporate card.

1. Ask your manager to approve in the expenses tool
2. Finance orders the card (about a week)
3. Every purchase needs a receipt in the tool within 30 days, as in the [[Expenses policy]]
"""

_ABROAD_V1 = """You may work from another country for up to **20 working days** a year.

Tell People & Culture two weeks ahead: some countries need a permit even for short stays.
"""

_ABROAD_V2 = (
    _ABROAD_V1
    + """
Not possible from: countries under sanctions, or anywhere without a reliable connection for the [[Set up the VPN]] how-to.
"""
)

_VPN_V1 = """1. Install the VPN client from the Self Service app (Mac) or Software Center (Windows)
2. Sign in with your work email
3. Approve the push on your phone
"""

_VPN_V2 = """1. Install the VPN client from the Self Service app (Mac) or Software Center (Windows)
2. Sign in with your work email; the server is `vpn.example.com`
3. Approve the push on your phone (see [[Reset your password and MFA]] if it never comes)

**Slow connection?** Switch the client to the nearest gateway: Lisbon, Berlin or Toronto.
"""

_MFA = """Forgot your password? Go to the sign-in page and choose *Forgot password*; the reset link lasts 30 minutes.

New phone? Before you wipe the old one, open the authenticator app and move your accounts. Lost it? Call the IT desk on extension 4357 (HELP) with your employee number.
"""

_LAPTOP_V1 = """New laptops every 4 years, or sooner if yours is broken.

Ask in the IT portal under *Hardware request*. Engineering gets a 32 GB machine.
"""

_LAPTOP_V2 = (
    _LAPTOP_V1.replace(
        "Engineering gets a 32 GB machine.", "Engineering and Data get a 32 GB machine; everyone else 16 GB."
    )
    + """
Back up to your work cloud drive before the swap: the old laptop is wiped the day you hand it in.
"""
)

COMPANY: list[WikiPagePlan] = [
    (
        "Policies",
        None,
        [
            (
                "comms",
                40,
                "",
                "The company's policies, kept current by Internal Communications.\n\nAsk in the Communications group if something is unclear.",
            )
        ],
    ),
    (
        "Expenses policy",
        "Policies",
        [
            ("comms", 38, "First version", _EXPENSES_V1),
            ("comms", 21, "Claims within 30 days; mileage rate", _EXPENSES_V2),
            ("comms", 4, "Meal allowance by city, receipts, approvals", _EXPENSES_V3),
        ],
    ),
    (
        "Travel policy",
        "Policies",
        [
            ("comms", 38, "", _TRAVEL_V1),
            ("comms", 9, "Trains up to 5 hours", _TRAVEL_V2),
        ],
    ),
    ("Corporate cards", "Policies", [("comms", 20, "", _CARDS)]),
    (
        "Working from abroad",
        "Policies",
        [
            ("comms", 30, "", _ABROAD_V1),
            ("comms", 12, "Where it's not possible", _ABROAD_V2),
        ],
    ),
    (
        "IT how-tos",
        None,
        [
            (
                "it",
                35,
                "",
                "Step-by-step help from the IT team. Can't find it here? Ask in the IT desk channel.",
            )
        ],
    ),
    (
        "Set up the VPN",
        "IT how-tos",
        [
            ("it", 34, "", _VPN_V1),
            ("it", 6, "Server address, gateways", _VPN_V2),
        ],
    ),
    ("Reset your password and MFA", "IT how-tos", [("it", 33, "", _MFA)]),
    (
        "Request a new laptop",
        "IT how-tos",
        [
            ("it", 29, "", _LAPTOP_V1),
            ("it", 2, "Memory by department; back up first", _LAPTOP_V2),
        ],
    ),
]

# Group name -> pages (a public guild's handbook; the private forum's pages stay with its members).
GROUPS: dict[str, list[WikiPagePlan]] = {
    "Data guild": [
        (
            "Data guild handbook",
            None,
            [
                (
                    "admin",
                    25,
                    "",
                    "How the guild works: a monthly show-and-tell, and these pages.\n\n- [[SQL style guide]]\n- [[Dashboard checklist]]",
                ),
            ],
        ),
        (
            "SQL style guide",
            "Data guild handbook",
            [
                (
                    "member",
                    24,
                    "",
                    "- Lower-case keywords\n- One column per line\n- CTEs over nested subqueries",
                ),
                (
                    "admin",
                    8,
                    "Naming",
                    "- Lower-case keywords\n- One column per line\n- CTEs over nested subqueries\n- Tables are plural nouns; dates end in `_on`, times in `_at`",
                ),
            ],
        ),
        (
            "Dashboard checklist",
            "Data guild handbook",
            [
                (
                    "member",
                    15,
                    "",
                    "Before you share a dashboard:\n\n1. Say where the data comes from\n2. Say how fresh it is\n3. Ask one person outside the team to read it",
                ),
            ],
        ),
    ],
    "Leadership forum": [
        (
            "Hiring plan 2027",
            None,
            [
                (
                    "admin",
                    14,
                    "",
                    "Draft, not for sharing yet: 18 roles next year, half of them in Engineering; Toronto office to 40 people.",
                ),
                (
                    "member",
                    3,
                    "Toronto numbers",
                    "Draft, not for sharing yet: 18 roles next year, half of them in Engineering; Toronto office to 45 people.",
                ),
            ],
        ),
    ],
}
