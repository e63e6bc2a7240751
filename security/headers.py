"""The Content-Security-Policy header on every response, and no caching of a signed-in person's pages.

Django's SecurityMiddleware already sends HSTS (outside DEBUG), nosniff and Referrer-Policy, and
XFrameOptionsMiddleware sends X-Frame-Options for older browsers; this adds the CSP, whose
frame-ancestors 'none' is the modern form of the same clickjacking defence. Both middlewares sit at
the top of settings.MIDDLEWARE, so every answer carries them, the account gate's included.

What a signed-in person is shown (their anti-phishing phrase, sessions, a shop's orders) must not stay
in a browser's or a proxy's cache for the next person at that computer (ASVS 8.2.1): such answers
get `Cache-Control: private, no-store` unless the view chose its own caching.
"""

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}

# Swagger UI's page (drf-spectacular's template) carries a small inline <style> block; scripts stay
# 'self' there too. Only these paths get the relaxed style rule.
INLINE_STYLE_PATHS = ("/api/docs/",)


def _header(policy: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in policy.items())


STRICT = _header(POLICY)
DOCS = _header({**POLICY, "style-src": "'self' 'unsafe-inline'"})


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            relaxed = request.path.startswith(INLINE_STYLE_PATHS)
            response["Content-Security-Policy"] = DOCS if relaxed else STRICT
        user = getattr(request, "user", None)
        if "Cache-Control" not in response and user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
