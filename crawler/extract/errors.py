"""Expected failures, each carrying the status it is recorded with."""


class ExtractError(Exception):
    status = "corrupt"


class Corrupt(ExtractError):
    status = "corrupt"


class TooLarge(ExtractError):
    status = "too_large"


class Unsupported(ExtractError):
    status = "unsupported"


class Timeout(ExtractError):
    status = "timeout"
