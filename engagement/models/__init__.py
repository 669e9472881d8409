from engagement.models.people import Department, Person
from engagement.models.programs import AudienceKind, Program, ProgramStatus

__all__ = ["AudienceKind", "Department", "Person", "Program", "ProgramStatus"]
