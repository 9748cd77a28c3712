package io.jynamo.frontend.openai;

/**
 * Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), so a
 * body that is not UTF-8 is refused whole rather than half-decoded by a lenient parser.
 */
final class Utf8 {
    private Utf8() {
    }

    /** The offset of the first byte that is not part of valid UTF-8, or -1 if all is valid. */
    static int firstInvalid(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xff;
            int need;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + need >= n) {
                return i;
            }
            int cp = c & (0x3f >> need);
            for (int k = 1; k <= need; k++) {
                int cont = b[i + k] & 0xff;
                if ((cont & 0xc0) != 0x80) {
                    return i;
                }
                cp = (cp << 6) | (cont & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return i;
            }
            i += need + 1;
        }
        return -1;
    }
}
