/* Turning source bytes into the text the tokenizer reads: PEP 263 coding
 * cookie or UTF-8 BOM, decoding to UTF-8, '\r\n' and '\r' to '\n', and a
 * final newline.  CPython does the same before tokenizing a string.
 *
 * Decoders other than UTF-8, Latin-1 and ASCII belong to the codec
 * machinery of the runtime; until it exists a cookie naming another
 * codec is reported as unknown.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pycore_parser_source.h"

typedef enum { ENC_UTF8, ENC_LATIN1, ENC_ASCII, ENC_UNKNOWN } encoding;

static void
set_error(_PySyntaxErrorInfo *err, const char *msg, int lineno, int offset,
          int end_lineno, int end_offset)
{
    err->type = "SyntaxError";
    snprintf(err->msg, sizeof(err->msg), "%s", msg);
    err->lineno = lineno;
    err->offset = offset;
    err->end_lineno = end_lineno;
    err->end_offset = end_offset;
}

/* Find a coding spec in the comment line [S, E): "coding[:=]\s*name".
   Copy the name to NAME (at most CAP-1 bytes); return 1 if found. */
static int
coding_spec(const char *s, const char *e, char *name, size_t cap)
{
    const char *p = s;
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\014')) {
        p++;
    }
    if (p >= e || *p != '#') {
        return 0;
    }
    for (; p + 6 < e; p++) {
        if (memcmp(p, "coding", 6) != 0) {
            continue;
        }
        const char *q = p + 6;
        if (*q != ':' && *q != '=') {
            continue;
        }
        q++;
        while (q < e && (*q == ' ' || *q == '\t')) {
            q++;
        }
        const char *b = q;
        while (q < e && (isalnum((unsigned char)*q) || *q == '-' || *q == '_'
                         || *q == '.')) {
            q++;
        }
        if (q == b) {
            continue;
        }
        size_t n = (size_t)(q - b);
        if (n >= cap) {
            n = cap - 1;
        }
        memcpy(name, b, n);
        name[n] = '\0';
        return 1;
    }
    return 0;
}

/* Is [S, E) empty, whitespace or a comment only? */
static int
blank_or_comment(const char *s, const char *e)
{
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\014')) {
        s++;
    }
    return s == e || *s == '#' || *s == '\n' || *s == '\r';
}

/* encodings.normalize_encoding: lower case, every run of characters other
   than letters, digits and '.' becomes one '_', none at either end. */
static void
normalize_encoding(const char *name, char *buf, size_t cap)
{
    size_t n = 0;
    int pending = 0;
    for (const char *q = name; *q && n + 2 < cap; q++) {
        unsigned char c = (unsigned char)*q;
        if (isalnum(c) || c == '.') {
            if (pending && n > 0) {
                buf[n++] = '_';
            }
            pending = 0;
            buf[n++] = (char)tolower(c);
        }
        else {
            pending = 1;
        }
    }
    buf[n] = '\0';
}

static int
in_list(const char *name, const char *const *list)
{
    for (int k = 0; list[k]; k++) {
        if (strcmp(name, list[k]) == 0) {
            return 1;
        }
    }
    return 0;
}

static encoding
lookup_encoding(const char *name, char *normal, size_t cap)
{
    char buf[64];
    normalize_encoding(name, buf, sizeof(buf));
    static const char *const utf8[] = {"utf_8", "utf8", "u8", "utf",
        "utf8_ucs2", "utf8_ucs4", "cp65001", NULL};
    static const char *const latin1[] = {"latin_1", "latin1", "latin",
        "l1", "8859", "cp819", "csisolatin1", "ibm819", "iso8859",
        "iso8859_1", "iso_8859_1", "iso_8859_1_1987", "iso_ir_100", NULL};
    static const char *const ascii[] = {"ascii", "646", "ansi_x3.4_1968",
        "ansi_x3_4_1968", "ansi_x3.4_1986", "cp367", "csascii", "ibm367",
        "iso646_us", "iso_646.irv_1991", "iso_ir_6", "us", "us_ascii",
        NULL};
    if (in_list(buf, utf8)) {
        snprintf(normal, cap, "utf-8");
        return ENC_UTF8;
    }
    if (in_list(buf, latin1)) {
        snprintf(normal, cap, "iso-8859-1");
        return ENC_LATIN1;
    }
    if (in_list(buf, ascii)) {
        snprintf(normal, cap, "%s", name);
        return ENC_ASCII;
    }
    snprintf(normal, cap, "%s", name);
    return ENC_UNKNOWN;
}

/* With a BOM, CPython accepts only a cookie spelling "utf-8" (any case,
   '_' for '-', optionally followed by "-suffix"). */
static int
is_utf8_spelling(const char *name)
{
    char buf[8];
    size_t i;
    for (i = 0; name[i] && i < 6; i++) {
        char c = (char)tolower((unsigned char)name[i]);
        buf[i] = c == '_' ? '-' : c;
    }
    buf[i] = '\0';
    return strcmp(buf, "utf-8") == 0 || strcmp(buf, "utf-8-") == 0;
}

/* Length of the valid UTF-8 sequence at P (Python's strict rules: no
   surrogates, no overlongs, at most U+10FFFF), or 0. */
static int
utf8_seq_len(const unsigned char *p, const unsigned char *e, int *bad_kind,
             int *nvalid)
{
    *nvalid = 1;
    unsigned c = p[0];
    *bad_kind = 0;
    if (c < 0x80) {
        return 1;
    }
    int n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) {
            lo = 0xA0;
        }
        else if (c == 0xED) {
            hi = 0x9F;
        }
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) {
            lo = 0x90;
        }
        else if (c == 0xF4) {
            hi = 0x8F;
        }
    }
    else {
        *bad_kind = 1;      /* invalid start byte */
        return 0;
    }
    for (int i = 1; i < n; i++) {
        *nvalid = i;
        if (p + i >= e) {
            *bad_kind = 3;  /* unexpected end of data */
            return 0;
        }
        unsigned b = p[i];
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) {
            *bad_kind = 2;  /* invalid continuation byte */
            return 0;
        }
    }
    return n;
}

int
_PyParser_FindInvalidUTF8(const char *s, size_t len, const char **why,
                          int *nbad)
{
    static const char *const reasons[] = {"", "invalid start byte",
        "invalid continuation byte", "unexpected end of data"};
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *e = p + len;
    while (p < e) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        int kind, nvalid;
        int n = utf8_seq_len(p, e, &kind, &nvalid);
        if (n == 0) {
            *why = reasons[kind];
            *nbad = nvalid;
            return (int)(p - (const unsigned char *)s);
        }
        p += n;
    }
    return -1;
}

int
_PyParser_FormatUTF8Error(char *buf, size_t size, const char *s, int pos,
                          int nbad, const char *why)
{
    if (nbad > 1) {
        return snprintf(buf, size, "(unicode error) 'utf-8' codec can't "
                        "decode bytes in position %d-%d: %s", pos,
                        pos + nbad - 1, why);
    }
    return snprintf(buf, size, "(unicode error) 'utf-8' codec can't decode "
                    "byte 0x%02x in position %d: %s", (unsigned char)s[pos],
                    pos, why);
}

static size_t
translate_newlines(char *s, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\r') {
            s[j++] = '\n';
            if (i + 1 < len && s[i + 1] == '\n') {
                i++;
            }
        }
        else {
            s[j++] = s[i];
        }
    }
    return j;
}

char *
_PyParser_PrepareSource(const char *src, size_t len, int append_newline,
                        int decode, size_t *outlen, int *declared,
                        _PySyntaxErrorInfo *err)
{
    *declared = 0;
    if (memchr(src, '\0', len) != NULL) {
        err->type = "ValueError";
        snprintf(err->msg, sizeof(err->msg),
                 "source code string cannot contain null bytes");
        return NULL;
    }
    int bom = decode && len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0;
    if (bom) {
        src += 3;
        len -= 3;
    }
    /* look for the cookie on the first two lines */
    char name[64];
    int found = 0;
    const char *e1 = memchr(src, '\n', len);
    const char *l1end = e1 ? e1 : src + len;
    found = decode && coding_spec(src, l1end, name, sizeof(name));
    if (decode && !found && e1 != NULL && blank_or_comment(src, l1end)) {
        const char *l2 = e1 + 1;
        const char *e2 = memchr(l2, '\n', src + len - l2);
        found = coding_spec(l2, e2 ? e2 : src + len, name, sizeof(name));
    }
    encoding enc = ENC_UTF8;
    *declared = bom || found;
    if (found) {
        char normal[64];
        char msg[200];
        enc = lookup_encoding(name, normal, sizeof(normal));
        if (bom && !is_utf8_spelling(name)) {
            snprintf(msg, sizeof(msg), "encoding problem: %s with BOM",
                     enc == ENC_LATIN1 ? normal : name);
            set_error(err, msg, 0, -1, _PyPARSER_NOVALUE, _PyPARSER_NOVALUE);
            return NULL;
        }
        if (enc == ENC_UNKNOWN) {
            snprintf(msg, sizeof(msg), "unknown encoding: %s", name);
            set_error(err, msg, 0, -1, _PyPARSER_NOVALUE, _PyPARSER_NOVALUE);
            return NULL;
        }
    }
    /* worst case: every Latin-1 byte becomes two, plus '\n' and NUL */
    char *out = malloc(len * 2 + 2);
    if (out == NULL) {
        err->type = "MemoryError";
        err->msg[0] = '\0';
        return NULL;
    }
    size_t n = 0;
    if (enc == ENC_LATIN1) {
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)src[i];
            if (c < 0x80) {
                out[n++] = (char)c;
            }
            else {
                out[n++] = (char)(0xC0 | (c >> 6));
                out[n++] = (char)(0x80 | (c & 0x3F));
            }
        }
    }
    else if (enc == ENC_ASCII) {
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)src[i];
            if (c >= 0x80) {
                char msg[200];
                snprintf(msg, sizeof(msg), "'ascii' codec can't decode byte "
                         "0x%02x in position %d: ordinal not in range(128)",
                         c, (int)i);
                set_error(err, msg, 0, -1, _PyPARSER_NOVALUE,
                          _PyPARSER_NOVALUE);
                free(out);
                return NULL;
            }
            out[n++] = (char)c;
        }
    }
    else {
        memcpy(out, src, len);
        n = len;
    }
    /* Like CPython, UTF-8 is not checked here: invalid bytes are
       reported where a token containing them is decoded. */
    n = translate_newlines(out, n);
    /* CPython's translation appends a newline when the input does not end
       with one -- and, by a quirk of its loop, also when it ends with
       "\r\n" */
    int crlf_end = len >= 2 && src[len - 2] == '\r' && src[len - 1] == '\n';
    if (append_newline && n > 0 && (out[n - 1] != '\n' || crlf_end)) {
        out[n++] = '\n';
    }
    out[n] = '\0';
    *outlen = n;
    return out;
}
