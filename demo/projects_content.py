"""Demo projects: believable work across departments, including two that are the same work in other
words (so the duplicate-project suggestions have something to find) and one idea nobody joined yet."""

# name, department, status, tags, summary, updates
PROJECTS = [
    (
        "Kubernetes platform migration",
        "Engineering",
        "active",
        ["Kubernetes", "Terraform", "AWS"],
        "Moving our remaining VM-hosted services onto the shared **Kubernetes** platform, with Terraform "
        "modules every team can reuse. Goal: no hand-built servers by the end of Q2.",
        [
            "Payments and search are migrated. Next up: the reporting jobs.",
            "Terraform module v2 is out: one file per service instead of four.",
        ],
    ),
    (
        "Customer health score",
        "Customer Success",
        "active",
        ["Customer success", "SQL", "Data analysis"],
        "One score per account from product usage, support tickets and NPS, refreshed nightly, so CSMs "
        "see who needs a call before renewal season.",
        ["First version live for the enterprise segment. Feedback welcome in the CS channel."],
    ),
    (
        "Account churn early warning",
        "Sales",
        "idea",
        ["Salesforce", "Data analysis"],
        "A model that flags customer accounts likely to churn, using how much they use the product, "
        "their support tickets and survey scores, so account managers can act before the renewal.",
        [],
    ),
    (
        "New hire onboarding revamp",
        "People & Culture",
        "active",
        ["Onboarding", "Employee experience"],
        "Rebuilding the first 90 days: a buddy for every newcomer, a checklist their manager can see, and "
        "one welcome page instead of twelve documents.",
        ["Buddy programme pilot starts Monday in Lisbon and Toronto."],
    ),
    (
        "Quarter-end close automation",
        "Finance",
        "active",
        ["Excel", "SQL", "Forecasting"],
        "Automating the reconciliations that take the finance team three days every quarter end.",
        ["Bank reconciliations now run overnight; accruals are next."],
    ),
    (
        "Brand refresh 2027",
        "Marketing",
        "active",
        ["Brand", "Design", "Copywriting"],
        "New visual identity, tone of voice guide and templates, rolled out to the website, decks and "
        "product by spring.",
        ["Three logo directions are pinned in the Marketing space. Vote by Friday!"],
    ),
    (
        "Office energy savings",
        "Operations",
        "done",
        ["Facilities", "Sustainability"],
        "Smart thermostats and LED lighting in all four offices; target a 20% cut in energy use.",
        ["Done: Berlin and Lisbon are down 23% year on year."],
    ),
    (
        "Self-serve analytics for sales",
        "Engineering",
        "paused",
        ["SQL", "Data analysis", "Python"],
        "Dashboards sales managers can slice themselves, instead of asking the data team for every "
        "pipeline question.",
        ["Paused until the warehouse migration lands."],
    ),
    # The look-alike box's two tiers: "Chatbot on the website, answers customers' simple questions at
    # night" finds the chatbot as possibly the same work and the ticket triage as related; "One login
    # for every company tool" finds the sign-on project by meaning, sharing almost no word.
    (
        "Customer support chatbot",
        "Customer Success",
        "active",
        ["Customer success", "Python"],
        "Answer the simplest support questions on the website at any hour, handing the rest to an agent "
        "with the conversation so far.",
        ["First version answers billing and password questions; 31% of chats closed without an agent."],
    ),
    (
        "Support ticket triage",
        "Customer Success",
        "active",
        ["Customer success", "Data analysis"],
        "Send each incoming support ticket to the right team by product and language, so customers wait "
        "less.",
        ["Language detection is live; routing by product starts next sprint."],
    ),
    (
        "Single sign-on for every SaaS tool",
        "Operations",
        "active",
        ["SSO setup"],
        "One Okta login for Slack, Jira, Workday and the rest of our cloud tools, so nobody keeps a "
        "password per app and leavers lose every access at once.",
        ["Slack and Jira are behind Okta. Workday next."],
    ),
]
PRONOUNS = ["she/her", "he/him", "they/them", "she/they", "he/they"]
LANGUAGES = {"Lisbon": "Portuguese", "Berlin": "German", "Toronto": "French", "Singapore": "Mandarin"}

# name, category, visibility, who joins ("all", a department name, or "heads"), description, posts
GROUPS = [
    (
        "Running club",
        "social",
        "public",
        "all",
        "Lunchtime runs from every office, and a shared leaderboard nobody takes seriously.",
        [
            "Thursday 12:30 from the Lisbon lobby: 5 km along the river, all paces welcome.",
            "Berlin crew did the Tempelhof loop in the rain. Respect.",
        ],
    ),
    (
        "Data guild",
        "work",
        "public",
        "Engineering",
        "SQL tips, dashboards and the occasional rant about spreadsheets. Everyone who works with data.",
        [
            "Window functions cheat sheet pinned in the wiki. Ask here if anything is unclear.",
            "Who owns the revenue dashboard now? Two teams are building the same one.",
        ],
    ),
    (
        "Parents at work",
        "social",
        "public",
        "all",
        "School runs, sick days and swapping tips with other working parents.",
        ["Any tips for the first week of daycare? Asking for a very tired friend (me)."],
    ),
    (
        "Leadership forum",
        "work",
        "private",
        "heads",
        "Department heads: planning, hiring and the things that are not ready to share yet.",
        [
            "Draft headcount plan for next year is in the shared folder. Comments by Friday please.",
            "Reorg of the support tiers: not for wider sharing until the all-hands.",
        ],
    ),
]

ANNOUNCEMENT = (
    "**Open enrolment for next year's benefits starts Monday.** Everything you need is on the People "
    "portal: compare the health plans, update your dependants and pick your pension contribution by the "
    "end of the month. Questions? Ask them here as a comment and the People team will answer in this thread."
)
