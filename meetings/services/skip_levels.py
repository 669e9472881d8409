"""Skip-level interviews: the configured questions, answered and themed in confidence."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from engagement.models import Person
from engagement.practices import Capability
from engagement.validators import check_length
from meetings.models import SKIP_LEVEL_THEMES, SkipLevelAnswer
from meetings.services.common import require_insider, touch
from scheduling.models import Session


def skip_level_questions(session: Session) -> list[str]:
    return session.program.config_lines("questions")


@transaction.atomic
def skip_level_answers_save(
    *, session: Session, actor: Person, answers: list[tuple[str, list[str]]]
) -> int:
    """Save the interview's answers, one per question in order, with their themes."""
    if not session.program.practice_info.has(Capability.INTERVIEW):
        raise ValidationError("Questionnaires belong to skip-level interviews.")
    require_insider(actor, session)
    questions = skip_level_questions(session)
    valid_themes = {code for code, _ in SKIP_LEVEL_THEMES}
    answers = [
        (check_length(answer.strip(), 5000, field=f"answer_{position}"), themes)
        for position, (answer, themes) in enumerate(answers)
    ]
    saved = 0
    for position, (question, (answer, themes)) in enumerate(zip(questions, answers, strict=False)):
        SkipLevelAnswer.objects.update_or_create(
            session=session,
            position=position,
            defaults={
                # The program's settings keep each question within 300 characters;
                # one saved before that rule is stored shortened, the answer never.
                "question": question[:300],
                "answer": answer,
                "themes": sorted(set(themes) & valid_themes),
            },
        )
        saved += 1
    touch(session)
    return saved
