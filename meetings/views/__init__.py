"""The meetings app's pages and actions, by sub-domain: the workspace of a session,
round tables, the council and decisions, lunch & learns and ratings, huddles,
skip-level interviews, and the overviews (my actions, my week, 1-on-1s, a series'
history). Views translate forms to services and results to pages."""
