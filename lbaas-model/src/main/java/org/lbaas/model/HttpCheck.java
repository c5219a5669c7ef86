package org.lbaas.model;

/**
 * What an HTTP or HTTPS health monitor sends and expects.
 *
 * <p>Rules: {@code urlPath} starts with {@code /}, is at most 1024 characters and holds only RFC
 * 3986 path and query characters (letters, digits, {@code -._~!$&'()*+,;=:@/?} and
 * {@code %} followed by two hex digits): no space, {@code #}, quote, backslash or control
 * character can reach a configuration.
 *
 * @param method the request method (v1 default {@code GET})
 * @param urlPath the request target (v1 default {@code /})
 * @param expectedCodes the status codes that pass (v1 default {@code 200})
 */
public record HttpCheck(HttpMethod method, String urlPath, ExpectedCodes expectedCodes) {

    public HttpCheck {
        Violations v = new Violations();
        v.required(method, "http_method");
        if (v.required(urlPath, "url_path")) {
            v.check(Rules.urlPath(urlPath), "url_path", urlPath,
                    "must start with '/' and hold at most " + Rules.MAX_URL_PATH
                            + " RFC 3986 path/query characters (letters, digits, -._~!$&'()*+,;=:@/? and %XX escapes)");
        }
        v.required(expectedCodes, "expected_codes");
        v.throwIfAny();
    }

    /** Returns v1's defaults: {@code GET /}, expecting {@code 200}. */
    public static HttpCheck defaults() {
        return new HttpCheck(HttpMethod.GET, "/", ExpectedCodes.defaultCodes());
    }
}
