from engagement import access


def navigation(request):
    """The navigation for the signed-in person's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        ("engagement:home", "Home"),
        ("engagement:practice_list", "Practices"),
        ("engagement:program_list", "Programs"),
        ("engagement:person_list", "People"),
        ("scheduling:my_calendar", "My calendar"),
        ("meetings:my_week", "My week"),
        ("meetings:my_actions", "My actions"),
        ("feedback:my_surveys", "Surveys"),
    ]
    if access.is_manager(user) or access.is_hr(user):
        items.append(("feedback:results_home", "Results"))
    return {
        "nav_items": items,
        "nav_is_hr": access.is_hr(user),
        "nav_show_admin": user.is_staff,
    }
