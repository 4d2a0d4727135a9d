package dev.meridian.server.auth;

/**
 * The parts of a SigV4 {@code Authorization} header: {@code AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/
 * aws4_request, SignedHeaders=a;b, Signature=HEX}. Parsed by a single scan rather than a regular expression: the
 * header is read on every signed request, and the equivalent pattern (kept in the tests as the oracle this parser
 * is checked against) took a quarter of a verification's time.
 *
 * @param accessKeyId no {@code /}, {@code ,} or white space
 * @param scopeDate eight digits, {@code yyyyMMdd}
 * @param region and {@code service}: lower-case letters, digits and {@code -}
 * @param signedHeaders lower-case header names separated by {@code ;}
 * @param signature 64 lower-case hex digits
 */
record SigV4Authorization(
        String accessKeyId, String scopeDate, String region, String service, String signedHeaders, String signature) {

    /**
     * The header's parts, or {@code null} if it is absent or not exactly in that form (white space as the pattern
     * allows).
     */
    static SigV4Authorization parse(String header) {
        return header == null ? null : new Scanner(header).authorization();
    }

    /** A cursor over the header; each step either consumes what it expects or reports that it is not there. */
    private static final class Scanner {
        private final String s;
        private int at;

        Scanner(String s) {
            this.s = s;
        }

        SigV4Authorization authorization() {
            if (!literal("AWS4-HMAC-SHA256") || skipSpaces() == 0 || !literal("Credential=")) {
                return null;
            }
            String accessKeyId = run(Scanner::accessKeyIdChar);
            if (accessKeyId == null || !literal("/")) {
                return null;
            }
            String date = run(Scanner::digit);
            if (date == null || date.length() != 8 || !literal("/")) {
                return null;
            }
            String region = run(Scanner::scopeChar);
            if (region == null || !literal("/")) {
                return null;
            }
            String service = run(Scanner::scopeChar);
            if (service == null || !literal("/aws4_request") || !separator() || !literal("SignedHeaders=")) {
                return null;
            }
            String signedHeaders = run(Scanner::signedHeadersChar);
            if (signedHeaders == null || !separator() || !literal("Signature=")) {
                return null;
            }
            String signature = run(Scanner::hexDigit);
            if (signature == null || signature.length() != 64) {
                return null;
            }
            skipSpaces();
            return at == s.length()
                    ? new SigV4Authorization(accessKeyId, date, region, service, signedHeaders, signature)
                    : null;
        }

        /** Optional white space, a comma, optional white space. */
        private boolean separator() {
            skipSpaces();
            if (!literal(",")) {
                return false;
            }
            skipSpaces();
            return true;
        }

        private boolean literal(String expected) {
            if (!s.startsWith(expected, at)) {
                return false;
            }
            at += expected.length();
            return true;
        }

        private int skipSpaces() {
            int start = at;
            while (at < s.length() && space(s.charAt(at))) {
                at++;
            }
            return at - start;
        }

        /** The longest non-empty run of characters {@code allowed} accepts from here, or {@code null}. */
        private String run(CharPredicate allowed) {
            int start = at;
            while (at < s.length() && allowed.test(s.charAt(at))) {
                at++;
            }
            return at > start ? s.substring(start, at) : null;
        }

        /** White space as {@code \s} in a Java pattern: space, tab, newline, vertical tab, form feed, return. */
        private static boolean space(char c) {
            return c == ' ' || (c >= '\t' && c <= '\r');
        }

        private static boolean accessKeyIdChar(char c) {
            return c != '/' && c != ',' && !space(c);
        }

        private static boolean digit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean hexDigit(char c) {
            return digit(c) || (c >= 'a' && c <= 'f');
        }

        private static boolean scopeChar(char c) {
            return digit(c) || (c >= 'a' && c <= 'z') || c == '-';
        }

        private static boolean signedHeadersChar(char c) {
            return scopeChar(c) || c == ';' || c == '_' || c == '.' || c == ':';
        }

        @FunctionalInterface
        private interface CharPredicate {
            boolean test(char c);
        }
    }
}
