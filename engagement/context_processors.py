from engagement import access, extensions


def navigation(request):
    """The navigation for the signed-in person's roles: the entries the apps registered
    (engagement.extensions.nav), each shown when its access check lets the person in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": [(item.url_name, item.label) for item in extensions.nav_for(user)],
        "user_menu": [(item.url_name, item.label) for item in extensions.nav_for(user, "user")],
        "nav_is_hr": access.is_hr(user),
        "nav_show_admin": user.is_staff,
    }
