"""The question bank: engagement drivers, a standard engagement index, eNPS, and the
upward-feedback template on the leadership principles (LP1-LP4) and
characteristics (LC1-LC20) of the People Management System.

Defined in code, like the practice catalog: forms copy questions from here,
so a form keeps its wording even if the bank changes later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engagement.practices import PRACTICES

ENGAGEMENT = "engagement"
ENPS = "enps"
LEADERSHIP = "leadership"

DRIVERS = {
    "recognition": "Recognition",
    "growth": "Growth",
    "manager_support": "Manager support",
    "communication": "Communication",
    "belonging": "Belonging",
    "wellbeing": "Wellbeing",
    "alignment": "Alignment",
    "workload": "Workload",
}
# What a question measures: the engagement index, one of the drivers, eNPS or leadership.
DRIVER_CHOICES = [
    (ENGAGEMENT, "Engagement index"),
    *DRIVERS.items(),
    (ENPS, "eNPS"),
    (LEADERSHIP, "Leadership"),
    ("", "Other"),
]

PRINCIPLES = {
    "LP1": "Inspire & Motivate People",
    "LP2": "Help People Achieve Their Goals & Objectives",
    "LP3": "Help People Overcome Their Challenges",
    "LP4": "Steer People Through Change",
}
CHARACTERISTICS = {
    "LC1": "Customer/Employee-Obsessed",
    "LC2": "People Developer",
    "LC3": "Collaborative",
    "LC4": "Inclusive",
    "LC5": "Empathetic",
    "LC6": "Self-Aware",
    "LC7": "Passionate",
    "LC8": "Ethical",
    "LC9": "Active-Listener",
    "LC10": "Strong Communicator",
    "LC11": "Resilient",
    "LC12": "Strategic",
    "LC13": "Innovative",
    "LC14": "Continuously Learning",
    "LC15": "Trustworthy",
    "LC16": "Results-Oriented",
    "LC17": "Strong Business Acumen",
    "LC18": "Technically Astute",
    "LC19": "Domain Experience",
    "LC20": "Adaptable",
}
LEADERSHIP_LABELS = {**PRINCIPLES, **CHARACTERISTICS}


@dataclass(frozen=True)
class BankQuestion:
    key: str
    text: str
    kind: str = "likert"
    driver: str = ""
    code: str = ""
    required: bool = True
    choices: tuple[str, ...] = field(default=())


ENGAGEMENT_INDEX = (
    BankQuestion("eng_proud", "I am proud to work for this organisation.", driver=ENGAGEMENT),
    BankQuestion(
        "eng_stay", "I see myself still working here in two years' time.", driver=ENGAGEMENT
    ),
    BankQuestion(
        "eng_motivated",
        "This organisation motivates me to go beyond what I would elsewhere.",
        driver=ENGAGEMENT,
    ),
)
DRIVER_QUESTIONS = (
    BankQuestion(
        "rec_valued", "I receive appropriate recognition for good work.", driver="recognition"
    ),
    BankQuestion("rec_thanks", "When I do a great job, someone notices.", driver="recognition"),
    BankQuestion(
        "gro_learn", "I have had opportunities to learn and grow in the last year.", driver="growth"
    ),
    BankQuestion("gro_path", "I can see a path for my career here.", driver="growth"),
    BankQuestion("sup_help", "My manager helps me when I am stuck.", driver="manager_support"),
    BankQuestion(
        "sup_care", "My manager genuinely cares about my wellbeing.", driver="manager_support"
    ),
    BankQuestion(
        "com_informed", "I am kept informed about what matters to my work.", driver="communication"
    ),
    BankQuestion(
        "com_voice",
        "I can speak up without fear of how it will be received.",
        driver="communication",
    ),
    BankQuestion("bel_belong", "I feel I belong on my team.", driver="belonging"),
    BankQuestion("bel_respect", "People here treat each other with respect.", driver="belonging"),
    BankQuestion(
        "wel_balance", "I can balance work and life in a way that works for me.", driver="wellbeing"
    ),
    BankQuestion(
        "wel_energy", "I rarely feel exhausted by work at the end of the week.", driver="wellbeing"
    ),
    BankQuestion(
        "ali_why", "I understand how my work contributes to our goals.", driver="alignment"
    ),
    BankQuestion("ali_direction", "I believe in the direction we are heading.", driver="alignment"),
    BankQuestion("wor_manageable", "My workload is manageable.", driver="workload"),
    BankQuestion(
        "wor_resources", "I have the tools and people I need to do my job well.", driver="workload"
    ),
)
ENPS_QUESTION = BankQuestion(
    "enps",
    "How likely are you to recommend this organisation as a place to work?",
    kind="enps",
    driver=ENPS,
)
COMMENT_QUESTION = BankQuestion(
    "comment",
    "What one thing would make the biggest difference for you here?",
    kind="text",
    required=False,
)
LEADERSHIP_QUESTIONS = tuple(
    BankQuestion(
        f"lead_{code.lower()}",
        f"My manager: {label}.",
        driver=LEADERSHIP,
        code=code,
    )
    for code, label in LEADERSHIP_LABELS.items()
)
AFTER_SESSION_QUESTIONS = (
    BankQuestion("one_time", "This 1-on-1 was a good use of my time.", driver="manager_support"),
    BankQuestion("one_steps", "I left with clear next steps.", driver="manager_support"),
    BankQuestion("one_heard", "I felt listened to.", driver="communication"),
    BankQuestion("learn_worth", "The session was worth the time I gave it.", driver="growth"),
    BankQuestion("learn_use", "I will use what I learned in my work.", driver="growth"),
    BankQuestion(
        "inter_understood",
        "The other department understood what we need from them.",
        driver="communication",
    ),
    BankQuestion(
        "inter_actions", "We agreed shared actions that will make a difference.", driver="alignment"
    ),
)
BANK = {
    q.key: q
    for q in (
        *ENGAGEMENT_INDEX,
        *DRIVER_QUESTIONS,
        ENPS_QUESTION,
        COMMENT_QUESTION,
        *LEADERSHIP_QUESTIONS,
        *AFTER_SESSION_QUESTIONS,
    )
}

# The monthly pulse: the index, one question per driver, eNPS and a comment (13 questions).
PULSE = (
    *(q.key for q in ENGAGEMENT_INDEX[:2]),
    "rec_valued",
    "gro_learn",
    "sup_help",
    "com_informed",
    "bel_belong",
    "wel_balance",
    "ali_why",
    "wor_manageable",
    "enps",
    "comment",
)
# Upward feedback: the four principles and a handful of characteristics, then a comment.
UPWARD_CHARACTERISTICS = ("LC2", "LC5", "LC9", "LC10", "LC15", "LC20")
UPWARD = (
    *(f"lead_{code.lower()}" for code in PRINCIPLES),
    *(f"lead_{code.lower()}" for code in UPWARD_CHARACTERISTICS),
    "comment",
)
TEMPLATES = {
    "pulse": ("Engagement pulse", PULSE),
    "census": (
        "Engagement census",
        (*(q.key for q in ENGAGEMENT_INDEX), *(q.key for q in DRIVER_QUESTIONS), "enps", "comment"),
    ),
    "upward": ("Upward feedback", UPWARD),
}


def driver_label(code: str) -> str:
    return dict(DRIVER_CHOICES).get(code, code) or "Other"


# Feedback after the sessions of other programs: a short pulse that feeds the same
# driver scores, a month at a time (one answer per person per month). Which practices
# ask it, its title and its questions are the catalog's (``Practice.after_session``).
def after_session_templates() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Practice code -> (title, question keys) of the practices that ask feedback after
    their sessions."""
    return {
        practice.code: (practice.after_session.title, practice.after_session.questions)
        for practice in PRACTICES
        if practice.after_session is not None
    }
