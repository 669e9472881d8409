from engagement.models.calendars import Holiday, Organisation
from engagement.models.people import Department, Person
from engagement.models.programs import (
    AudienceKind,
    MemberRole,
    Program,
    ProgramMember,
    ProgramStatus,
)

__all__ = [
    "AudienceKind",
    "Department",
    "Holiday",
    "MemberRole",
    "Organisation",
    "Person",
    "Program",
    "ProgramMember",
    "ProgramStatus",
]
