from engagement import access, extensions


def navigation(request):
    """The navigation for the signed-in person's roles: the entries the apps registered
    (engagement.extensions.nav), each shown when its access check lets the person in.

    Worked out once a request: every table on a page renders its own template with
    the request, and each render would ask the access checks (queries) again."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    known = getattr(request, "_navigation", None)
    if known is None or known[0] != user.pk:
        known = request._navigation = (
            user.pk,
            {
                "nav_items": [(item.url_name, item.label) for item in extensions.nav_for(user)],
                "user_menu": [
                    (item.url_name, item.label) for item in extensions.nav_for(user, "user")
                ],
                "nav_is_hr": access.is_hr(user),
                "nav_show_admin": user.is_staff,
            },
        )
    return known[1]
