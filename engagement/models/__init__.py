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
    "MemberRole",
    "Person",
    "Program",
    "ProgramMember",
    "ProgramStatus",
]
