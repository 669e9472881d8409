from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone


class PersonTimeZoneMiddleware:
    """Show times in the signed-in person's own zone when they have chosen one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone_name = getattr(getattr(request, "user", None), "time_zone", "")
        try:
            zone = ZoneInfo(zone_name) if zone_name else None
        except (ZoneInfoNotFoundError, ValueError):
            zone = None
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        return self.get_response(request)
