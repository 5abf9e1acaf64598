"""The security policies every page carries: in its <head> (so they hold on any host) and as
HTTP headers from the preview server and from deploy/nginx.conf (a test checks that the three
say the same). The templates have no inline script and no event-handler attribute; the
JSON-LD block (<script type="application/ld+json">) is data, which script-src does not govern.
"""
from __future__ import annotations

# What a page may load: only the site's own files. `frame-ancestors` works only as a header
# (a <meta> policy ignores it and Chromium logs a complaint), so the meta tag leaves it out.
_POLICY = ("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
           "font-src 'self'", "connect-src 'self'", "manifest-src 'self'", "object-src 'none'",
           "base-uri 'self'", "form-action 'self'")
CSP_META = "; ".join(_POLICY)
CSP_HEADER = "; ".join((*_POLICY, "frame-ancestors 'none'"))
REFERRER_POLICY = "strict-origin-when-cross-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

HEADERS = {
    "Content-Security-Policy": CSP_HEADER,
    "Referrer-Policy": REFERRER_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": PERMISSIONS_POLICY,
}
