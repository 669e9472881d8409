"""Writes on meetings, by sub-domain: the workspace every meeting has (points, notes,
actions, how it went, moods), round tables, the council and decisions, lunch & learns
and ratings, huddles and skip-level interviews.

Each service checks its actor and leaves mail and tasks to after the commit; a write
on a session marks it as touched, so re-planning never alters it.
"""
