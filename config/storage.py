"""Static files of the local demo (``LOCAL_DEMO``)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class DemoStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """What collectstatic wrote (`make run` runs it): hashed names, gzip copies, served
    for years. A demo started without it (``manage.py serve`` alone, bench/load.py)
    links each file by its plain name, which WhiteNoise then serves from the apps and
    static/ (``WHITENOISE_USE_FINDERS``), instead of failing on every page."""

    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:  # not collected yet
            return name
