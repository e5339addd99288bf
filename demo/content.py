"""The words of the demo company: its shape (departments, teams, titles, skills) and what people write.

Hand-written templates read better than generated filler. Placeholders in braces are filled by
demo.services with names and numbers from the company being built, so each post reads as written
by someone who works there.
"""

from typing import TypedDict

from profiles import roles


class TeamSpec(TypedDict):
    name: str
    lead: str  # the lead's title
    home: str  # office
    titles: list[str]  # members' titles, weighted by repetition
    skills: list[str]


class DepartmentSpec(TypedDict):
    name: str
    weight: int  # share of the company
    head_title: str
    offices: dict[str, int]  # office -> weight
    skills: list[str]
    teams: list[TeamSpec]


class DemoAccount(TypedDict):
    email: str
    first: str
    last: str
    department: str
    title: str
    office: str
    years: float  # since they joined
    role: str  # as the console describes them
    group: str | None  # the auth group they are in, if any


# --- Offices ---------------------------------------------------------------------------------
# name -> (IANA time zone, Faker locales weighted for the names of people hired there)
LOCATIONS = {
    "Lisbon": (
        "Europe/Lisbon",
        [("pt_PT", 60), ("pt_BR", 12), ("es_ES", 10), ("en_GB", 8), ("fr_FR", 5), ("it_IT", 5)],
    ),
    "Berlin": (
        "Europe/Berlin",
        [("de_DE", 55), ("pl_PL", 10), ("nl_NL", 10), ("it_IT", 8), ("en_GB", 9), ("fr_FR", 8)],
    ),
    "Toronto": ("America/Toronto", [("en_CA", 65), ("fr_CA", 15), ("en_IN", 12), ("en_GB", 8)]),
    "Singapore": (
        "Asia/Singapore",
        [("zh_CN", 45), ("en_IN", 22), ("id_ID", 10), ("en_GB", 10), ("en_AU", 8), ("en_PH", 5)],
    ),
}
HEADQUARTERS = "Lisbon"
LANGUAGE_SKILLS = {"Lisbon": "Portuguese", "Berlin": "German", "Toronto": "French", "Singapore": "Mandarin"}

# --- Departments -----------------------------------------------------------------------------
# Each team: name, its lead's title, a home office, the titles its members hold (weighted by
# repetition) and the skills its people list. The first team of each department is the one the
# demo accounts join, so it exists even in the smallest company.
DEPARTMENTS: list[DepartmentSpec] = [
    {
        "name": "Engineering",
        "weight": 30,
        "head_title": "Chief Technology Officer",
        "offices": {"Lisbon": 5, "Berlin": 4, "Toronto": 1, "Singapore": 1},
        "skills": ["Git", "Code review", "System design", "Agile"],
        "teams": [
            {
                "name": "Platform",
                "lead": "Engineering Manager, Platform",
                "home": "Berlin",
                "titles": [
                    "Site Reliability Engineer",
                    "Platform Engineer",
                    "Senior Software Engineer",
                    "Software Engineer",
                    "Software Engineer",
                ],
                "skills": [
                    "Kubernetes",
                    "Terraform",
                    "AWS",
                    "Go",
                    "Prometheus",
                    "Linux",
                    "PostgreSQL",
                    "Python",
                ],
            },
            {
                "name": "Payments",
                "lead": "Engineering Manager, Payments",
                "home": "Lisbon",
                "titles": ["Backend Engineer", "Senior Backend Engineer", "Software Engineer", "QA Engineer"],
                "skills": ["Python", "Django", "PostgreSQL", "Kafka", "API design", "PCI DSS", "Celery"],
            },
            {
                "name": "Web",
                "lead": "Engineering Manager, Web",
                "home": "Lisbon",
                "titles": [
                    "Frontend Engineer",
                    "Senior Frontend Engineer",
                    "Product Designer",
                    "Frontend Engineer",
                ],
                "skills": ["TypeScript", "React", "CSS", "Accessibility", "Figma", "Playwright", "htmx"],
            },
            {
                "name": "Mobile",
                "lead": "Engineering Manager, Mobile",
                "home": "Berlin",
                "titles": ["iOS Engineer", "Android Engineer", "Senior Mobile Engineer"],
                "skills": ["Swift", "Kotlin", "iOS", "Android", "React Native", "Firebase"],
            },
            {
                "name": "Data",
                "lead": "Data Engineering Manager",
                "home": "Lisbon",
                "titles": ["Data Engineer", "Analytics Engineer", "Data Scientist"],
                "skills": ["Python", "SQL", "dbt", "Airflow", "Spark", "Statistics", "Looker"],
            },
            {
                "name": "Security",
                "lead": "Security Engineering Lead",
                "home": "Berlin",
                "titles": ["Security Engineer", "Senior Security Engineer"],
                "skills": ["Threat modelling", "Penetration testing", "AWS", "SOC 2", "Incident response"],
            },
        ],
    },
    {
        "name": "Sales",
        "weight": 17,
        "head_title": "VP Sales",
        "offices": {"Toronto": 3, "Berlin": 3, "Lisbon": 2, "Singapore": 2},
        "skills": ["Negotiation", "Salesforce", "Public speaking"],
        "teams": [
            {
                "name": "EMEA Enterprise",
                "lead": "Sales Director, EMEA",
                "home": "Berlin",
                "titles": ["Account Executive", "Senior Account Executive", "Solutions Engineer"],
                "skills": ["Enterprise sales", "MEDDICC", "Contract negotiation", "Pipeline management"],
            },
            {
                "name": "North America",
                "lead": "Sales Director, North America",
                "home": "Toronto",
                "titles": ["Account Executive", "Senior Account Executive", "Solutions Engineer"],
                "skills": ["Enterprise sales", "Discovery calls", "Pipeline management", "Forecasting"],
            },
            {
                "name": "APAC",
                "lead": "Sales Manager, APAC",
                "home": "Singapore",
                "titles": ["Account Executive", "Partner Manager", "Solutions Engineer"],
                "skills": ["Channel partnerships", "Discovery calls", "Pipeline management"],
            },
            {
                "name": "Sales Development",
                "lead": "Sales Development Manager",
                "home": "Lisbon",
                "titles": [
                    "Sales Development Representative",
                    "Sales Development Representative",
                    "Senior Sales Development Representative",
                ],
                "skills": ["Prospecting", "Cold calling", "HubSpot", "LinkedIn Sales Navigator"],
            },
        ],
    },
    {
        "name": "Customer Success",
        "weight": 15,
        "head_title": "VP Customer Success",
        "offices": {"Lisbon": 3, "Toronto": 3, "Singapore": 2, "Berlin": 1},
        "skills": ["Zendesk", "Customer onboarding", "Troubleshooting"],
        "teams": [
            {
                "name": "Support EMEA",
                "lead": "Support Manager, EMEA",
                "home": "Lisbon",
                "titles": [
                    "Customer Support Specialist",
                    "Customer Support Specialist",
                    "Senior Support Engineer",
                ],
                "skills": ["Escalation management", "SQL", "Technical writing"],
            },
            {
                "name": "Customer Success Management",
                "lead": "Head of Customer Success Management",
                "home": "Toronto",
                "titles": [
                    "Customer Success Manager",
                    "Senior Customer Success Manager",
                    "Technical Account Manager",
                ],
                "skills": ["Account management", "Gainsight", "Churn analysis", "Quarterly business reviews"],
            },
            {
                "name": "Support APAC",
                "lead": "Support Manager, APAC",
                "home": "Singapore",
                "titles": ["Customer Support Specialist", "Senior Support Engineer"],
                "skills": ["Escalation management", "SQL", "Product training"],
            },
            {
                "name": "Implementation",
                "lead": "Implementation Lead",
                "home": "Toronto",
                "titles": ["Implementation Consultant", "Senior Implementation Consultant"],
                "skills": ["Project management", "Data migration", "Product training", "SSO setup"],
            },
        ],
    },
    {
        "name": "Marketing",
        "weight": 10,
        "head_title": "VP Marketing",
        "offices": {"Lisbon": 4, "Toronto": 2, "Berlin": 2, "Singapore": 1},
        "skills": ["HubSpot", "Google Analytics", "Storytelling"],
        "teams": [
            {
                "name": "Brand & Content",
                "lead": "Head of Brand & Content",
                "home": "Lisbon",
                "titles": ["Content Marketing Manager", "Copywriter", "Graphic Designer", "Video Producer"],
                "skills": ["Copywriting", "Content strategy", "Brand strategy", "Figma", "SEO"],
            },
            {
                "name": "Growth",
                "lead": "Growth Marketing Lead",
                "home": "Lisbon",
                "titles": ["Growth Marketer", "Marketing Analyst", "Performance Marketing Manager"],
                "skills": ["A/B testing", "Paid social", "SQL", "Marketing automation", "SEO"],
            },
            {
                "name": "Product Marketing",
                "lead": "Product Marketing Lead",
                "home": "Toronto",
                "titles": ["Product Marketing Manager", "Senior Product Marketing Manager"],
                "skills": ["Positioning", "Competitive analysis", "Sales enablement", "Launch planning"],
            },
            {
                "name": "Events",
                "lead": "Events Lead",
                "home": "Berlin",
                "titles": ["Events Manager", "Field Marketing Manager"],
                "skills": ["Event planning", "Vendor management", "Budgeting"],
            },
        ],
    },
    {
        "name": "Operations",
        "weight": 9,
        "head_title": "Chief Operating Officer",
        "offices": {"Lisbon": 4, "Berlin": 2, "Toronto": 2, "Singapore": 1},
        "skills": ["Process improvement", "Project management"],
        "teams": [
            {
                "name": "IT & Workplace",
                "lead": "IT & Workplace Manager",
                "home": "Lisbon",
                "titles": [
                    "IT Support Specialist",
                    "Systems Administrator",
                    "Office Manager",
                    "Workplace Coordinator",
                ],
                "skills": ["Google Workspace", "Okta", "Jamf", "Networking", "Facilities"],
            },
            {
                "name": "Business Operations",
                "lead": "Business Operations Lead",
                "home": "Toronto",
                "titles": ["Business Operations Analyst", "Revenue Operations Analyst"],
                "skills": ["SQL", "Salesforce", "Forecasting", "Excel", "Looker"],
            },
            {
                "name": "Legal & Compliance",
                "lead": "General Counsel",
                "home": "Berlin",
                "titles": ["Legal Counsel", "Compliance Analyst", "Privacy Officer"],
                "skills": ["GDPR", "Contract review", "Risk management", "SOC 2"],
            },
        ],
    },
    {
        "name": "Finance",
        "weight": 8,
        "head_title": "Chief Financial Officer",
        "offices": {"Lisbon": 4, "Toronto": 2, "Berlin": 1, "Singapore": 1},
        "skills": ["Excel", "Budgeting"],
        "teams": [
            {
                "name": "FP&A",
                "lead": "FP&A Manager",
                "home": "Lisbon",
                "titles": ["Financial Analyst", "Senior Financial Analyst"],
                "skills": ["Financial modelling", "Forecasting", "SQL", "Looker"],
            },
            {
                "name": "Accounting",
                "lead": "Controller",
                "home": "Lisbon",
                "titles": [
                    "Accountant",
                    "Senior Accountant",
                    "Accounts Payable Specialist",
                    "Payroll Specialist",
                ],
                "skills": ["IFRS", "NetSuite", "Accounts payable", "Audit", "Tax compliance"],
            },
            {
                "name": "Procurement",
                "lead": "Procurement Lead",
                "home": "Toronto",
                "titles": ["Procurement Specialist"],
                "skills": ["Procurement", "Vendor management", "Contract negotiation"],
            },
        ],
    },
    {
        "name": "People & Culture",
        "weight": 8,
        "head_title": "Chief People Officer",
        "offices": {"Lisbon": 3, "Berlin": 2, "Toronto": 2, "Singapore": 1},
        "skills": ["Coaching", "Employment law"],
        "teams": [
            {
                "name": "People Partners",
                "lead": "Head of People Partnering",
                "home": "Berlin",
                "titles": ["People Partner", "People Operations Specialist"],
                "skills": ["Conflict resolution", "Workday", "Compensation & benefits", "Onboarding"],
            },
            {
                "name": "Talent Acquisition",
                "lead": "Talent Acquisition Lead",
                "home": "Lisbon",
                "titles": ["Recruiter", "Senior Technical Recruiter", "Recruiting Coordinator"],
                "skills": ["Recruiting", "Employer branding", "Interviewing", "Greenhouse"],
            },
            {
                "name": "Learning & Development",
                "lead": "Learning & Development Lead",
                "home": "Toronto",
                "titles": ["Learning & Development Specialist"],
                "skills": ["Facilitation", "Instructional design", "Diversity & inclusion"],
            },
        ],
    },
]

# What newcomer@example.com lists in their first week (the checklist asks for three skills).
NEWCOMER_SKILLS = ["Enterprise sales", "Discovery calls", "Negotiation"]

CEO_TITLE = "Chief Executive Officer & Co-founder"
CEO_DEPARTMENT = "Operations"

# The accounts people sign in with; each takes a member's seat in the first team of its department.
DEMO_ACCOUNTS: list[DemoAccount] = [
    {
        "email": "demo@example.com",
        "first": "Jordan",
        "last": "Avery",
        "department": "Engineering",
        "title": "Software Engineer",
        "office": "Lisbon",
        "years": 1.6,
        "role": "an ordinary employee",
        "group": None,
    },
    {
        "email": "moderator@example.com",
        "first": "Morgan",
        "last": "Reyes",
        "department": "People & Culture",
        "title": "People Partner",
        "office": "Berlin",
        "years": 3.2,
        "role": "in the Moderators group: the moderation queue",
        "group": roles.MODERATORS,
    },
    {
        "email": "comms@example.com",
        "first": "Casey",
        "last": "Lindqvist",
        "department": "Marketing",
        "title": "Internal Communications Manager",
        "office": "Toronto",
        "years": 2.4,
        "role": "in the Communications group: the adoption dashboard",
        "group": roles.COMMUNICATIONS,
    },
    {
        "email": "newcomer@example.com",
        "first": "Riley",
        "last": "Okafor",
        "department": "Sales",
        "title": "Account Executive",
        "office": "Berlin",
        "years": 0.01,  # started this week
        "role": "started this week: the first-week checklist on Home, half done",
        "group": None,
    },
    {
        "email": "admin@example.com",
        "first": "Taylor",
        "last": "Brooks",
        "department": "Operations",
        "title": "IT Systems Administrator",
        "office": "Lisbon",
        "years": 4.1,
        "role": "superuser: every role and the admin site at /admin/",
        "group": None,
    },
]

# --- Profiles --------------------------------------------------------------------------------
BACKGROUNDS = [
    "five years in consulting",
    "a stint at a fintech start-up",
    "studying economics in Porto",
    "running support at a small SaaS company",
    "six years teaching maths",
    "a decade in retail banking",
    "working at a logistics company",
    "freelancing for agencies",
    "a PhD in physics",
    "growing a team at a marketplace start-up",
    "years in hospitality",
    "an internship that turned into four years",
    "a few years at one of the big accounting firms",
    "building e-commerce sites for local shops",
]
HOBBIES = [
    ("run along the river most mornings", "running routes"),
    ("bake far too much sourdough", "sourdough"),
    ("play five-a-side football on Wednesdays", "football"),
    ("am slowly learning the piano", "the piano"),
    ("climb at the local bouldering gym", "climbing"),
    ("collect vinyl and go to too many gigs", "vinyl"),
    ("volunteer at a dog shelter", "dogs"),
    ("cycle anywhere that has hills", "cycling"),
    ("cook for friends every Sunday", "recipes"),
    ("hike whenever I can get out of the city", "hiking"),
    ("paint watercolours, badly but happily", "painting"),
    ("host board-game nights", "board games"),
    ("grow tomatoes on a very small balcony", "balcony gardening"),
    ("plan trips I can't yet afford", "travel"),
    ("read crime novels on the train", "crime novels"),
    ("swim in the sea all year round", "sea swimming"),
    ("coach my kid's basketball team", "basketball"),
    ("make ceramics on Saturday mornings", "pottery"),
]
BIOS = [
    "{title} on the {team} team in {office}. I joined in {start_year} after {background}. "
    "Outside work I {hobby}.",
    "Based in {office}. Ask me about {skill_a}, {skill_b} or {hobby_topic}.",
    "I joined {company} in {start_year} after {background}. These days I spend my time on {skill_a} "
    "and {skill_b}. When I'm offline I {hobby}.",
    "{title}, {office}. Happy to pair, review or just talk through a problem. I {hobby}.",
    "Part of the {team} team since {start_year}. Before that: {background}. "
    "Happiest when a plan comes together.",
]
LEAD_BIOS = [
    "I lead the {team} team in {office}. I joined in {start_year} after {background}. Outside work I "
    "{hobby}.",
    "Team lead for {team}, based in {office}. Ask me about {skill_a}, {skill_b} or {hobby_topic}.",
    "Looking after the {team} team since {start_year}. Before that, {background}. My one-to-ones always "
    "start with 'what's getting in your way?'",
]
LEADER_BIOS = [
    "I lead {dept} at {company}, from {office}. Before joining in {start_year} I spent {background_short}. "
    "My door (and calendar) is open: book time with me any week.",
    "Leading {dept}. I care about clear goals, kind feedback and teams that ship. Outside work I {hobby}.",
]
CEO_BIO = (
    "Co-founded {company} in {start_year} because I was tired of companies where nobody knew what the "
    "next team was doing. Based in {office}, often on a plane to Toronto or Singapore. I read every "
    "post here, and I {hobby}."
)
BACKGROUND_SHORT = [
    "eight years scaling teams at two start-ups",
    "a long time in enterprise software",
    "most of my career in consulting",
    "ten years in financial services",
]

# --- The feed --------------------------------------------------------------------------------
CUSTOMERS = [
    "Northwind Logistics",
    "Bluefin Retail",
    "Kestrel Bank",
    "Orbital Foods",
    "Halcyon Health",
    "Marigold Insurance",
    "Tidewater Freight",
    "Copperleaf Energy",
    "Juniper Travel",
    "Atlas Mobility",
    "Solstice Pharma",
    "Brightline Telecom",
    "Pinecrest Hotels",
    "Lumen Learning Group",
    "Redwood Capital",
]
BOOKS = [
    "Thinking in Systems",
    "The Culture Map",
    "Team Topologies",
    "Never Split the Difference",
    "Radical Candor",
    "The Mom Test",
    "An Elegant Puzzle",
    "Working Backwards",
    "Range",
    "The Making of a Manager",
    "Four Thousand Weeks",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

# (category, text). The category picks the comments and reactions a post draws.
# (department, words of one of its DEPARTMENT_POSTS): written in every demo company, whatever its size,
# so that searching for them finds something (see demo.services._plan_findable).
FINDABLE_POSTS = [
    ("Engineering", "postmortem for Tuesday's checkout slowdown"),
    ("Marketing", "the new pricing page ships"),
]

DEPARTMENT_POSTS = {
    "Engineering": [
        (
            "win",
            "The new deploy pipeline is live for every service: median deploy time went from 14 minutes "
            "to {n}. Huge thanks to {colleague} for a weekend of YAML we will never speak of again.",
        ),
        (
            "win",
            "Version {version} of the mobile app is out this morning. Offline mode is finally in, and "
            "crash-free sessions are at 99.{n}%. Update and tell us what breaks!",
        ),
        (
            "update",
            "The postmortem for Tuesday's checkout slowdown is in the wiki. Short version: a missing "
            "index on a table that grew ten times in a month. Action items are assigned and two are "
            "already done. Blameless, as always; worth a read if you're on call.",
        ),
        (
            "update",
            "Payments migration status: {pct}% of merchants are on the new ledger. We're pausing "
            "rollouts over month-end close and picking back up on {weekday}.",
        ),
        (
            "question",
            "Does anyone have a good pattern for feature flags in background jobs? We keep shipping "
            "flags that the web app respects and the workers ignore.",
        ),
        (
            "question",
            "Looking for two volunteers to pair on the Kubernetes upgrade next sprint. A great way to "
            "learn how the cluster fits together, and {colleague} has promised snacks.",
        ),
        (
            "learning",
            "Wrote up what we learned moving CI to ephemeral runners: builds are {pct}% faster and the "
            "flaky-test list went from 40 to {n}. It's in the engineering wiki under Build.",
        ),
        (
            "learning",
            "Lunch & learn on {weekday}: {colleague} walks through how we find slow queries with "
            "EXPLAIN ANALYZE. Bring questions, and your worst query.",
        ),
        (
            "update",
            "The on-call handbook got a refresh. If you're on the rota this month, please read the new "
            "escalation section. It's shorter now, promise.",
        ),
        (
            "win",
            "The accessibility audit of the web dashboard is done: we fixed {big} issues, and every core "
            "flow now works with a screen reader. Thank you {colleague} for pushing this over the line.",
        ),
        (
            "update",
            "Security note: hardware keys are now required for production access. The Security team will "
            "be in the {office} office on {weekday} to hand them out and help you set them up.",
        ),
        (
            "learning",
            "A week into the new tracing setup and my takeaway is: traces first, logs second. Found a "
            "two-second N+1 in the invoice export in ten minutes.",
        ),
        (
            "question",
            "Which editor setup are people using for TypeScript these days? Mine takes longer to "
            "start than the test suite.",
        ),
        (
            "win",
            "We retired the last service running on the old VMs today. {n} years of uptime, zero tears. "
            "Thanks to everyone on the {team} team who made it boring, in the best way.",
        ),
        (
            "update",
            "Reminder: code freeze for the mobile release starts {weekday} at noon. Anything not merged by "
            "then rides the next train, which leaves in two weeks.",
        ),
        (
            "question",
            "Who has opinions on our API versioning? {customer} is asking for a stable v2 and I'd like to "
            "hear from anyone who has been through this before.",
        ),
        (
            "win",
            "Page load on the invoices screen is down from 3.1 to 0.{n} seconds. It was one query and a "
            "template loop. It is always one query and a template loop.",
        ),
        (
            "learning",
            "Small thing that helped our team: every pull request description now says how to test it. "
            "Reviews got faster and {colleague} stopped asking me the same question.",
        ),
        (
            "update",
            "Planned maintenance on the primary database this Sunday at 06:00 UTC. Expect about {n} minutes "
            "of read-only mode. Customer Success has the customer-facing note.",
        ),
        (
            "question",
            "Thinking of running an internal hack week next month. Would you join? Ideas welcome below, the "
            "stranger the better.",
        ),
    ],
    "Sales": [
        (
            "win",
            "Signed {customer} today! {big}0 seats on a three-year deal. It took eight months, two pilots "
            "and a lot of patience. Thank you {colleague} for the demo that won the room.",
        ),
        (
            "update",
            "The {team} team is at {pct}% of the quarter's target with five weeks to go. "
            "Pipeline looks healthy; let's keep the discovery calls coming.",
        ),
        (
            "update",
            "Back from the trade show in Amsterdam: {big} good conversations, a few very warm leads and "
            "sore feet. Notes are in Salesforce under the event campaign.",
        ),
        (
            "question",
            "Does anyone have a reference customer in logistics who'd take a call with a prospect "
            "next week? {customer} wants to hear from someone their size.",
        ),
        (
            "learning",
            "Tip from a call today: when a prospect says 'we're happy with our current tool', ask what "
            "they'd change about it. That question turned a 10-minute call into 40.",
        ),
        (
            "update",
            "New battlecards for the two competitors we meet most are in the sales drive. Thanks to "
            "Product Marketing for turning our rambling notes into something useful.",
        ),
        (
            "win",
            "First meeting booked by our newest SDR cohort: {colleague} landed a VP at {customer} on day "
            "nine. The bar has officially been raised.",
        ),
        (
            "question",
            "Who owns the security questionnaire answers now? {customer} sent a 200-row spreadsheet and "
            "I'd love not to start from scratch.",
        ),
        (
            "win",
            "{customer} chose us over two competitors after the pilot. Their finance team said the month-end "
            "report alone saves them {n} days. Thanks Customer Success for the reference calls!",
        ),
        (
            "learning",
            "Recording of Tuesday's objection-handling workshop is on the sales drive. The part on "
            "pricing conversations starts at minute {big}.",
        ),
        (
            "update",
            "Pricing update for the Growth plan goes live on the first of the month. The FAQ for customers "
            "is on the sales drive; ping {colleague} with anything it doesn't answer.",
        ),
        (
            "question",
            "Anyone closed a deal with a public-sector customer before? {customer} has a procurement process "
            "longer than this post.",
        ),
        (
            "win",
            "Biggest month ever for {team}: {n} new logos and two expansions. Thank you to everyone in "
            "Solutions Engineering for the late-night demos.",
        ),
        (
            "learning",
            "Shadowed a support shift yesterday. Best sales training I've had in years: I now know exactly "
            "which questions prospects should be asking us.",
        ),
    ],
    "Customer Success": [
        (
            "win",
            "{customer} renewed for another three years and expanded to two more regions. Shout-out to "
            "{colleague} for the quarterly reviews that made this conversation easy.",
        ),
        (
            "update",
            "The support backlog is under {n}0 tickets for the first time this quarter, and first response "
            "is down to 38 minutes. Thank you to everyone who jumped in during the spike.",
        ),
        (
            "learning",
            "A pattern in this week's tickets: customers can't find the export button on small screens. "
            "Logged it with the Web team with {big} examples attached.",
        ),
        (
            "question",
            "Anyone free to join a call with {customer} on {weekday}? They want to talk about SSO and "
            "I'd love someone from Security on the line.",
        ),
        (
            "win",
            "CSAT for last month came in at 9{n}%. Three of the written comments mentioned "
            "{colleague} by name.",
        ),
        (
            "update",
            "Onboarding playbook v3 is live: kickoff to first value in 14 days instead of 30. Feedback "
            "welcome, especially from Sales.",
        ),
        (
            "question",
            "What's the best way to explain proration to a customer who is very sure we overcharged "
            "them? Asking for a friend (the friend is me).",
        ),
        (
            "win",
            "{customer} went live today, two weeks ahead of plan. Their project lead sent us flowers. "
            "Actual flowers. They're in the {office} office kitchen.",
        ),
        (
            "learning",
            "Started a shared doc of 'answers we give every week'. {n} entries so far. If you answer "
            "something twice, add it there.",
        ),
        (
            "update",
            "Heads-up: {customer} is running their year-end close next week, so expect a spike in export "
            "questions. The help article is updated.",
        ),
        (
            "question",
            "Does anyone know whether the audit log export includes deleted users? Asking for {customer}'s "
            "compliance team.",
        ),
        (
            "win",
            "We hit {big} customers on the new onboarding flow without a single escalation. {colleague}, "
            "your checklists are legendary.",
        ),
        (
            "learning",
            "Tried ending every customer call with 'what should I have asked you?' this month. Three "
            "expansion leads came from that one question.",
        ),
    ],
    "Marketing": [
        (
            "win",
            "Our customer story with {customer} went live this morning and it's already the most-read post "
            "of the month. Thank you to Customer Success for the introduction.",
        ),
        (
            "update",
            "Website refresh: the new pricing page ships on {weekday}. Old links redirect, but if you "
            "have the URL in decks or email signatures, please update it when you can.",
        ),
        (
            "question",
            "We're collecting photos for the careers page. If you have a good one of your team (with "
            "everyone's okay!), drop it in the Brand folder by Friday.",
        ),
        (
            "learning",
            "We A/B tested the demo request form: removing the phone number field lifted conversions "
            "by {pct}%. Sometimes less really is more.",
        ),
        (
            "update",
            "Webinar on {weekday}: '{n} ways finance teams close the month faster', with {customer}. "
            "Please share it with your networks; the registration link is on the events page.",
        ),
        (
            "win",
            "The newsletter hit a {big}% open rate, a record for us. The subject line was written at "
            "11pm by {colleague}, which probably says something.",
        ),
        (
            "update",
            "Brand guidelines v2 are out: new colour palette, logo spacing rules and a much friendlier "
            "tone-of-voice section. Slide and doc templates are in the shared drive.",
        ),
        (
            "question",
            "Speaking at a conference or meetup this year? Tell us! We'll help with slides, travel and "
            "a little promotion.",
        ),
        (
            "win",
            "The product launch video passed {big}k views in its first week, and the comments are nicer than "
            "usual for the internet.",
        ),
        (
            "update",
            "We're heading to the fintech summit in London next month. If you'd like to help on the stand "
            "for a day, tell {colleague}; travel is covered.",
        ),
        (
            "learning",
            "Lesson from the last campaign: the ad with a real customer quote beat the polished one by "
            "{pct}%. People trust people.",
        ),
        (
            "question",
            "Looking for three customers who'd star in a short video about month-end. Account managers, who "
            "comes to mind?",
        ),
    ],
    "Operations": [
        (
            "update",
            "The {office} office air conditioning is being serviced on {weekday}. Second-floor meeting "
            "rooms are out of action in the morning.",
        ),
        (
            "update",
            "Laptop refresh: if your machine is more than three years old, IT will email you this week "
            "to book a swap. Backups are automatic; do bring your charger.",
        ),
        (
            "update",
            "Please turn on two-factor sign-in for the expense tool before Friday. It takes two minutes "
            "and someone from IT is on hand in every office if you get stuck.",
        ),
        (
            "update",
            "We moved the VPN to the new provider over the weekend. If anything feels slow or broken, "
            "tell us in the IT help channel.",
        ),
        (
            "win",
            "Every vendor contract now lives in one place with renewal reminders. We've already caught {n} "
            "auto-renewals we didn't want. That's real money saved.",
        ),
        (
            "question",
            "Thinking about a second quiet room in the {office} office. Would you use it? For calls, "
            "focus time, a nap (we won't judge)?",
        ),
        (
            "update",
            "Reminder: the data-protection refresher is due by the end of the month. It takes "
            "{big} minutes and has fewer trick questions than last year.",
        ),
        (
            "update",
            "New visitor sign-in at the {office} reception starts {weekday}. Guests get a badge and the "
            "Wi-Fi password; you get a message when they arrive.",
        ),
        (
            "win",
            "Our security certification renewal is done, with no exceptions. {colleague} ran the evidence "
            "collection like a military operation.",
        ),
        (
            "question",
            "Which tool do you wish we had a company licence for? We're reviewing software budgets next "
            "week.",
        ),
        (
            "update",
            "Lost property from the {office} office goes to charity at the end of the month. It includes {n} "
            "umbrellas and one very nice jacket.",
        ),
    ],
    "Finance": [
        (
            "win",
            "Month-end close done in {n} working days, our fastest yet. Thank you to everyone who submitted "
            "expenses on time; you know who you are (and so do we).",
        ),
        (
            "update",
            "Expense reports for this month are due Friday at noon. Receipts over 25 euros need a photo, "
            "and the app takes it for you.",
        ),
        (
            "update",
            "Budget planning for next year kicks off on {weekday}. Department heads will get a template "
            "and a 30-minute slot with FP&A.",
        ),
        (
            "learning",
            "Ever wondered what the 'runway' number in all-hands means? I wrote a one-page explainer "
            "in the finance wiki. No spreadsheets were harmed.",
        ),
        (
            "question",
            "Is anyone still using the old purchase request form? We'd like to switch it off on "
            "{weekday} and route everything through the new flow.",
        ),
        (
            "win",
            "The annual audit wrapped up with zero findings. Massive thanks to {colleague} and the "
            "Accounting team for months of careful work.",
        ),
        (
            "update",
            "Corporate cards are now available to anyone who travels for work more than once a quarter. Ask "
            "your manager, then request one in the finance portal.",
        ),
        (
            "learning",
            "If you buy software on a personal card and expense it, please don't: it breaks our licence "
            "tracking. Ask in the procurement channel and we'll set it up in a day.",
        ),
        (
            "question",
            "Would a short 'how to read our P&L' session be useful? Thinking 30 minutes, no jargon, plenty "
            "of time for questions.",
        ),
    ],
    "People & Culture": [
        (
            "update",
            "Benefits enrolment is open until the end of the month. The new plan includes mental-health "
            "support in every country; details are in the People portal.",
        ),
        (
            "update",
            "We have {big} open roles right now, and referrals are still our best source of great "
            "hires. The referral bonus is doubled this quarter for Engineering and Customer Success.",
        ),
        (
            "learning",
            "The next new-manager programme starts on {weekday}: six sessions on feedback, one-to-ones "
            "and hiring. A few seats left; ask your manager.",
        ),
        (
            "question",
            "What would make onboarding better? If you joined in the last six months, we'd love 15 "
            "minutes of your time. Reply here or message me.",
        ),
        (
            "win",
            "Engagement survey: {pct}% participation, the highest ever. Thank you! We'll share the results, "
            "and what we'll do about them, at the next all-hands.",
        ),
        (
            "update",
            "Performance check-ins start in two weeks. The new form is shorter: three questions, and most "
            "of the conversation is about growth rather than ratings.",
        ),
        (
            "update",
            "Reminder that every office has a mental-health first aider now. Names are on the People portal "
            "and on the kitchen noticeboards.",
        ),
        (
            "question",
            "We're reviewing the parental leave policy. If you've used it in the last two years, we'd really "
            "value your experience. All conversations are confidential.",
        ),
        (
            "win",
            "Our employer rating went up to 4.{n} this quarter. Thank you to everyone who left an honest "
            "review, including the constructive ones.",
        ),
    ],
}

LEADERSHIP_POSTS = [
    (
        "announcement",
        "All-hands on {weekday}, 16:00 Lisbon / 11:00 Toronto / 23:00 Singapore. The quarter, "
        "the roadmap and your questions: add them to the doc beforehand and vote on others'. "
        "The recording will be up the same day.",
    ),
    (
        "announcement",
        "Quarter in review: revenue up {pct}% on last year, {n} new enterprise customers and the "
        "lowest churn we've ever had. Thank you, all of you. The full deck is in the company drive.",
    ),
    (
        "announcement",
        "I spent this week in the {other_office} office. Thank you for the lunches, the whiteboard "
        "sessions and the honest feedback. Two things I'm taking back: fewer meetings before "
        "10am, and a proper plan for the quiet room.",
    ),
    (
        "announcement",
        "Planning for next year: every department will share its top three priorities by the end "
        "of the month. I'll post the company-wide ones here first, then we'll discuss them at "
        "all-hands.",
    ),
    (
        "announcement",
        "A note on the rumours: there is no reorg. We're creating a small Data team inside "
        "Engineering, that's all. Happy to answer questions in the comments.",
    ),
    (
        "announcement",
        "The no-meetings-on-Wednesday-afternoon pilot worked: focus time up, nobody missed the "
        "meetings. It's now the rule in every office. Customer-facing teams, agree a rota as before.",
    ),
]
# What department heads post to everyone.
HEAD_POSTS = [
    (
        "announcement",
        "{dept} offsite recap: we agreed on three goals for the next two quarters and wrote them "
        "down in plain words. Your managers will walk you through them this week.",
    ),
    (
        "announcement",
        "I spent this week in the {other_office} office with the {dept} folks there. Thank you for "
        "the lunches and the honest feedback; the notes are in our team space.",
    ),
    (
        "announcement",
        "The {dept} all-hands moves to the first Thursday of each month, at an hour Singapore and "
        "Toronto can both live with. The agenda doc is open for topics.",
    ),
    (
        "announcement",
        "We're hiring in {dept}: {n} roles open across Lisbon, Berlin, Toronto and Singapore. "
        "Referrals are very welcome; the job descriptions are on the careers page.",
    ),
    (
        "announcement",
        "Our {dept} goals for the quarter are in the planning doc. Short version: fewer projects, "
        "finished properly. Questions welcome here or in my office hours on {weekday}.",
    ),
]

# What the internal communications manager (comms@example.com) posts.
COMMS_POSTS = [
    (
        "announcement",
        "The all-hands recording and slides are up in the company drive. The questions we didn't "
        "get to are answered in the doc, all {big} of them.",
    ),
    (
        "announcement",
        "This week's internal newsletter is out: new customers, {n} new joiners and a new office "
        "plant policy (really). Reply here with stories you'd like featured next time.",
    ),
    (
        "announcement",
        "Hive tip: you can give kudos from anyone's profile page. {big} kudos went out last week; "
        "let's beat that.",
    ),
]

SOCIAL_POSTS = {
    "Lisbon": [
        "Pastéis de nata in the Lisbon kitchen: {colleague} brought two dozen for their birthday. They will "
        "not last until 11.",
        "Lisbon crew: sunset drinks at the miradouro on Friday after work. Everyone welcome, including "
        "visitors from other offices!",
        "Who's up for the surf lesson at Carcavelos next Saturday? {n} spots left, wetsuits provided.",
        "Lisbon office: the rooftop is open again after the repairs. Lunch up there on {weekday}, anyone?",
        "The Lisbon five-a-side team lost 7-2 last night, but {colleague} scored a beauty. Next game "
        "Thursday; we need a goalkeeper.",
        "Quick poll for the Lisbon office: would you rather have the Friday breakfast at 9:00 or at 10:00? "
        "Reply below.",
    ],
    "Berlin": [
        "Berlin office: picnic on Tempelhofer Feld on Friday if the weather holds. Bring a blanket, we'll "
        "bring the Brezeln.",
        "Table tennis tournament at the Berlin office! The sign-up sheet is by the coffee machine. "
        "{colleague} is defending champion and will not stop talking about it.",
        "Anyone in Berlin want to join the running group? Tuesdays at 7:30 along the canal, "
        "all paces welcome.",
        "Berlin office: the team outing is a boat trip on the Spree next month. Sign up by {weekday} so "
        "we book a big enough boat.",
        "Who in Berlin wants to join a Sunday bike ride to the lakes? {n} of us are going, easy pace, bakery "
        "stop guaranteed.",
        "The Berlin kitchen now has oat, soy and almond milk. {colleague} has asked me to say that the "
        "almond milk is theirs. It is not.",
    ],
    "Toronto": [
        "Toronto team lunch at the dumpling place on Spadina on {weekday}. Reply here so we can book a big "
        "enough table.",
        "The Toronto hockey pool is open! Bragging rights guaranteed, prizes less so.",
        "Toronto: the office will be quiet on {weekday}, half of us are at the client summit. "
        "Door code unchanged.",
        "Toronto folks: the waterfront clean-up is on Saturday morning. Gloves and coffee provided, {n} "
        "spots left.",
        "Toronto office trivia night on Thursday! Teams of four, and yes, there is a round about our own "
        "product.",
        "Who's up for a Raptors game on the 18th? We have {n} tickets on the company, first come first "
        "served.",
    ],
    "Singapore": [
        "Singapore team hawker lunch on {weekday}; we're doing Maxwell this time. Everyone welcome.",
        "Welcome back {colleague}! The Singapore office missed you (and your playlist).",
        "Singapore crew: karaoke night is booked for Friday. {n} songs per person, maximum. Non-negotiable.",
        "Singapore office: we're doing a walk at MacRitchie this Saturday at 7:30 before it gets hot. Bring "
        "water!",
        "Kaya toast in the Singapore pantry, courtesy of {colleague}. Get there before the Sales team does.",
        "The Singapore team is now big enough for a proper badminton doubles night. Court booked for "
        "Wednesday at 19:00.",
    ],
}
GENERAL_POSTS = [
    (
        "social",
        "Book club is reading '{book}' this month. We meet on {weekday} over lunch, online and in "
        "every office. Come even if you haven't finished it.",
    ),
    (
        "social",
        "Dog of the week: meet Biscuit, {colleague}'s new puppy, who has already eaten one laptop "
        "charger and zero regrets.",
    ),
    (
        "social",
        "The charity bike ride raised {big}00 euros for the food bank. Thank you to everyone who rode, "
        "donated or cheered from the side of the road!",
    ),
    (
        "social",
        "Who else is doing the step challenge? The {team} team is in the lead and we are not being "
        "quiet about it.",
    ),
    (
        "social",
        "Photo from yesterday's volunteer day at the community garden: {big} of us planted over 300 "
        "bulbs. Come spring, you're all invited.",
    ),
    (
        "learning",
        "Finished '{book}' last week. Best idea in it: write the decision down before you make it, "
        "then check it six months later.",
    ),
    (
        "learning",
        "Sharing a talk I enjoyed: how a small team runs support across time zones without burning "
        "out. Worth 30 minutes of a lunch break.",
    ),
    (
        "question",
        "Recommendations for a standing desk? Mine is staging a protest and my back is on its side.",
    ),
    (
        "question",
        "Lost: a blue water bottle covered in stickers, last seen in the {office} office kitchen. "
        "Reward: eternal gratitude.",
    ),
    (
        "social",
        "Language exchange, anyone? I'll trade an hour of English for an hour of Portuguese, German or "
        "Mandarin, over coffee or video.",
    ),
    (
        "learning",
        "Three months into writing a short weekly update for my manager instead of status meetings. "
        "Fewer meetings, better one-to-ones. Recommend.",
    ),
    (
        "social",
        "My daughter asked what I do at work. I said 'meetings about meetings' and she said 'like school "
        "assemblies?'. Not wrong.",
    ),
    (
        "learning",
        "If you haven't tried blocking two hours of focus time in your calendar each morning, try it for a "
        "week. It changed how I work.",
    ),
    (
        "question",
        "Podcast recommendations for a long flight? Anything but true crime; I need to sleep at some point.",
    ),
    (
        "social",
        "Our team's plant, Gerald, survived another month. {colleague} claims the credit; the cleaners "
        "disagree.",
    ),
    (
        "learning",
        "Took the new accessibility basics course on the learning platform. Only 40 minutes, and I now "
        "notice colour contrast everywhere.",
    ),
    (
        "social",
        "Running the half marathon next month for the children's hospital. Any donations or training tips "
        "are very welcome!",
    ),
    (
        "question",
        "Anyone know a good place for a team dinner of about {n}0 people near the {office} office? Nothing "
        "too loud, please.",
    ),
]

WELCOME_POSTS = [
    "Please welcome {subject}, who joins the {team} team as {subject_title} in {subject_office} today! "
    "{subject_first} comes to us after {background}; ask them about {hobby_topic}. Say hi! 👋",
    "A warm welcome to {subject} ({subject_title}, {subject_office}), starting with us on the {team} team "
    "this week. If you see a new face at lunch, it's probably {subject_first}.",
    "New teammate alert: {subject} joins the {team} team today as {subject_title}. "
    "{subject_first}'s first mission is surviving our onboarding checklist; please help by saying hello.",
]

# Posts somebody will flag: (reason, flag note, text). The last one is a comment, not a post.
FLAG_BAIT_POSTS = [
    (
        "spam",
        "Personal sale; not really what the company feed is for.",
        "🎟️ Selling two tickets for Saturday's concert, face value or best offer. Also have a barely used "
        "e-bike if anyone's interested. DM me!",
    ),
    (
        "confidential",
        "Customer-specific pricing shouldn't be posted company-wide.",
        "Pasting the pricing we sent {customer} so other AEs can reuse it: 38% off the enterprise tier, "
        "three-year lock-in, and we waive implementation fees. Please don't forward outside sales.",
    ),
    (
        "misinformation",
        "IT hasn't announced anything like this; this will confuse people.",
        "PSA: I heard we're all switching to personal laptops next month and company ones have to be "
        "returned by Friday. Better back up your stuff!",
    ),
]
FLAG_BAIT_COMMENT = (
    "harassment",
    "Singling out a team like this in public feels unfair.",
    "Honestly, if the {team} team tested their releases we wouldn't be cleaning up after them every Monday.",
)

COMMENTS = {
    "win": [
        "Congratulations {author}! 🎉",
        "Huge. Well done, everyone.",
        "Brilliant news!",
        "This is massive, nice work team.",
        "So well deserved after all those late calls.",
        "Love to see it.",
        "Amazing! Drinks are on {author}?",
        "What a result. Proud to work with you all.",
        "Fantastic work, and a great write-up too.",
        "👏👏👏",
        "Incredible. How did you celebrate?",
        "Well earned, {author}!",
        "The best kind of Friday news.",
        "Sharing this with my team right now.",
        "Can we get a short write-up of how you did it?",
    ],
    "update": [
        "Thanks for the update!",
        "Really clear, thank you.",
        "Great write-up, thanks {author}.",
        "Is there a recording or a doc for people who missed it?",
        "Does this affect anything on our side?",
        "Nice progress.",
        "Thanks for keeping us in the loop.",
        "Good to know, sharing with my team.",
        "Appreciate the detail here.",
        "Super helpful, thank you.",
        "Noted, thanks!",
        "Makes sense. Who should we ask if we have questions?",
        "Thanks {author}, very clear.",
    ],
    "question": [
        "I can help, sending you a message.",
        "{colleague} knows this best, I think.",
        "We had the same question last quarter; I'll dig up the doc.",
        "Following, I'd like to know too.",
        "Try the IT help channel, they're quick.",
        "Happy to join if you still need someone.",
        "There's a page in the wiki about this, but it may be out of date.",
        "Good question. We do it differently in {office}, happy to compare notes.",
        "Not sure, but {colleague} might know.",
        "Following this thread.",
        "We tried something similar in {office}, DM me.",
        "Great question, I've wondered the same.",
    ],
    "social": [
        "Count me in!",
        "Looks amazing.",
        "Next time I'm coming.",
        "😂 love this",
        "Save me a seat!",
        "This is the content I'm here for.",
        "Ahh, wish I was in {office} for this.",
        "Yes please!",
        "Best team.",
        "Sounds brilliant.",
        "I'm in!",
        "Ha, this made my day.",
        "Please post photos!",
        "Oh I'd love to join next time.",
        "Love this team.",
    ],
    "learning": [
        "Thanks for sharing, adding it to my list.",
        "Super useful, thank you.",
        "Would love a lunch & learn on this!",
        "Bookmarked.",
        "Great point, and so true.",
        "Sharing this with my team.",
        "Read it last year, agree completely.",
        "Really good point.",
        "Saving this for later.",
        "Thanks, just what I needed this week.",
        "Do you have the link?",
    ],
    "welcome": [
        "Welcome aboard, {subject}!",
        "Welcome! Shout if you need anything.",
        "Great to have you with us, {subject}!",
        "Welcome {subject}! 👋",
        "Welcome to the team!",
        "So happy you're here!",
        "Welcome! The coffee machine on the second floor is the good one.",
        "Welcome, {subject}! Lunch this week?",
        "Hi {subject}, welcome to the team!",
        "Welcome! You'll love it here.",
    ],
    "announcement": [
        "Thanks for the heads-up.",
        "Will it be recorded for people in other time zones?",
        "Looking forward to it.",
        "Thanks for being so open about this.",
        "Great news!",
        "Question added to the doc.",
        "Appreciate the transparency.",
        "Thanks for sharing this.",
        "Sounds great, see you there.",
        "Can we get the slides afterwards?",
        "Good to hear, thank you.",
    ],
    "kudos": [
        "Well deserved!",
        "+1, {subject} is the best.",
        "So true!",
        "Couldn't agree more 👏",
        "Absolutely deserved.",
        "Yes! {subject} saved us that week.",
        "100%.",
        "Totally agree!",
        "{subject} is a star.",
        "Couldn't have said it better.",
        "So deserved 🎉",
    ],
    # Under posts that get flagged: a colleague or two pushes back before anyone flags.
    "flagged": [
        "Not sure the company feed is the place for this.",
        "Is this confirmed anywhere? Haven't seen anything official.",
        "Might want to check with {colleague} before sharing this more widely.",
        "Hmm, I'd take this down and ask in the right channel.",
    ],
}
AUTHOR_REPLIES = [
    "Thanks, everyone!",
    "Thank you all 🙏",
    "Appreciate it, team.",
    "You're all too kind.",
    "Thanks! More soon.",
    "Thanks all, it was a real team effort.",
    "Cheers, everyone!",
    "Thank you! Happy to share more if useful.",
]
NEW_HIRE_REPLIES = [
    "Thank you all for the warm welcome! Excited to be here.",
    "Thanks so much! Looking forward to meeting everyone.",
]

# Reaction kinds each category tends to draw, weighted.
REACTION_KINDS = {
    "win": {"celebrate": 6, "like": 3, "support": 1},
    "update": {"like": 6, "insightful": 3, "support": 1},
    "question": {"like": 5, "support": 3, "insightful": 2},
    "social": {"like": 6, "celebrate": 3, "support": 1},
    "learning": {"insightful": 6, "like": 4},
    "welcome": {"celebrate": 5, "like": 3, "support": 2},
    "announcement": {"like": 5, "insightful": 3, "celebrate": 2},
    "kudos": {"celebrate": 5, "like": 3, "support": 2},
    "flagged": {"like": 1},
}
# (fewest, most) reactions and comments a post of this category draws in a company of 240.
ENGAGEMENT = {
    "win": ((8, 30), (1, 5)),
    "update": ((2, 12), (0, 3)),
    "question": ((0, 4), (2, 6)),
    "social": ((3, 16), (1, 5)),
    "learning": ((2, 12), (0, 3)),
    "welcome": ((10, 30), (3, 7)),
    "announcement": ((15, 50), (1, 5)),
    "kudos": ((4, 18), (0, 3)),
    "flagged": ((0, 3), (0, 2)),
}

KUDOS_MESSAGES = {
    "Customer first": [
        "Thank you {r} for staying late to get {customer} live before their board meeting. They noticed, and "
        "so did we.",
        "{r} turned a very unhappy support ticket into a renewal conversation. Textbook.",
        "{r} flew to {customer} on short notice to sort out their rollout in person. Above and beyond.",
    ],
    "Own it": [
        "{r} spotted the billing bug on a Friday evening, fixed it, wrote the postmortem, and still "
        "made it to dinner.",
        "When the release slipped, {r} took the customer call, explained it honestly and came back "
        "with a plan. Thank you.",
        "Nobody asked {r} to clean up the onboarding docs. They did it anyway, and they're great.",
    ],
    "Better together": [
        "{r} got Sales, Support and Engineering into one room and we finally agreed on the onboarding flow.",
        "Thanks {r} for covering my on-call shift while I was ill, and for leaving excellent notes.",
        "{r} spent an afternoon teaching our team their reporting setup. Saved us weeks.",
    ],
    "Keep learning": [
        "{r}'s lunch & learn on SQL window functions was the most useful hour of my week.",
        "{r} wrote the guide I wish I'd had when I joined. Every new hire should read it.",
        "{r} took the feedback from the last retro and turned it into a better process within a week.",
    ],
    "Be bold": [
        "{r} proposed rebuilding the pricing page in two weeks. It's converting {pct}% better.",
        "{r} pitched us to a room of 200 people at the conference with a broken clicker. Legend.",
        "{r} challenged the plan in the all-hands Q&A, politely and with data. We changed the plan.",
    ],
}
KUDOS_GENERIC = [
    "Thank you {r} for jumping in when we needed it most this week.",
    "{r}, you made a hard week a lot easier. Thank you!",
    "Huge thanks to {r} for the patience and the clear explanations.",
    "{r} makes every project they touch better. Thank you for this one.",
]

# Questions about a skill, tagged with it, so "Questions" can put those matching your expertise first.
# {skill} is a one-word skill (a #tag cannot hold a space) and {tag} its tag.
SKILL_QUESTIONS = [
    "Anyone around who knows {skill} well? I'm stuck on something that should take ten minutes and "
    "has taken a day. #{tag}",
    "Is there an internal guide to {skill}? My team starts using it next month and I'd rather not "
    "repeat everyone's mistakes. #{tag}",
    "What's the one {skill} resource you'd give a new starter: a book, a course, a doc or a person? #{tag}",
    "We're deciding how to use {skill} for {customer}. Who has done this before and can spare 20 "
    "minutes this week? #{tag}",
    "How do other teams review {skill} work? Looking for a checklist people actually use. #{tag}",
    "Has anyone got {skill} working with our setup in {office}? Happy to pair on it. #{tag}",
]
# The answer an asker marks as best: useful whatever the question was.
BEST_ANSWERS = [
    "We solved exactly this in {team} last quarter. Short version: start small, write down what you "
    "decide, and review it after a month. Happy to walk you through our notes on {weekday}.",
    "Done this twice now. The doc I wish I'd had is in our team space; I've sent you the link. The "
    "checklist at the end is the useful part.",
    "Talk to {colleague}, who set ours up, and take the shortcut they found: agree who owns it first, "
    "then pick the tooling. I can join the call if it helps.",
    "Yes: we run a 30-minute clinic on this every other {weekday} in {office}, and it's open to "
    "everyone. Bring your example and we'll work through it together.",
]
# Polls the demo opens this week: (question, options, multiple choice).
POLLS = [
    (
        "Where should the next company offsite be?",
        ["Lisbon", "Berlin", "Somewhere new (suggest in the comments)"],
        False,
    ),
    (
        "Which lunch & learn topics would you come to? Pick as many as you like.",
        ["Writing good docs", "SQL for everyone", "Giving feedback", "Our customers' first week"],
        True,
    ),
]

# --- Community guidelines (moderation) -----------------------------------------------------------
# Published by the demo moderator before anyone flags; flag bait above cites these by key.
GUIDELINES = """Hive is where we work together across teams and offices. These guidelines apply to everyone,
leaders included. Moderators apply them the same way to all, and every decision can be appealed.

## Be respectful
Disagree with ideas, not people. No harassment, insults, singling out colleagues or teams, or
personal attacks.

## Keep confidential things confidential
Customer names with their terms, pricing, unreleased results and personal data stay with the
teams that need them, never in company-wide posts.

## Share what you know to be true
Say where news comes from. Rumours about reorganisations, tools or policies cause real worry:
ask the owning team instead.

## Keep the company feed about work
Personal sales and adverts belong in the Marketplace group, not in the company feed.
"""
# The flag bait's reason key -> the title of the clause it cites ("spam" stays spam).
GUIDELINE_FOR_REASON = {
    "harassment": "Be respectful",
    "confidential": "Keep confidential things confidential",
    "misinformation": "Share what you know to be true",
}


# Pulse surveys (demo/services.py _write_surveys): last quarter's, closed, and this month's, open.
SURVEYS = [
    {
        "title": "Quarterly pulse: finding and sharing what we know",
        "intro": "Five statements and a question, two minutes. Anonymous: results only for 5 people or more.",
        "questions": [
            ("likert", "I can find the information I need to do my job."),
            ("likert", "I know what other departments are working on."),
            ("likert", "Leadership explains the reasons behind big decisions."),
            ("likert", "I feel recognised for my work."),
            ("likert", "Hive helps me get answers faster than email."),
            ("text", "What one thing would make sharing knowledge easier here?"),
        ],
        "comments": [
            "A single place for project decisions, not five wikis.",
            "More answers from the people who own the systems.",
            "Tag questions by team so the right people see them.",
            "Shorter announcements with a summary at the top.",
            "Office hours with other departments once a month.",
            "Better search across old posts.",
            "Fewer meetings that could have been a post.",
            "Translate the big announcements for every office.",
        ],
    },
    {
        "title": "How are we doing with Hive?",
        "intro": "Three statements and one question. Anonymous: nobody can see which answer is yours.",
        "questions": [
            ("likert", "I check Hive at least once a day."),
            ("likert", "I get useful answers when I ask a question on Hive."),
            ("likert", "I know who to ask about things outside my team."),
            ("text", "What should we change about Hive?"),
        ],
        "comments": [
            "A mobile app.",
            "Digest emails are too long.",
            "Let groups pin a welcome post.",
            "More kudos from managers.",
            "Fewer notifications about reactions.",
        ],
    },
]
