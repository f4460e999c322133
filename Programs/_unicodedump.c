/* Prints what Plait's Unicode database answers, in a text format that
   Tools/test/host/test_unicodedb.py computes independently with CPython
   3.11 and compares line by line.

   _unicodedump props          one line per code point, every property
   _unicodedump lookup UCD FL  per input line (hex bytes of a name): the
                               code points _PyUnicodeData_LookupName finds
   _unicodedump normalize      per input line (hex code points): NFC, NFD,
                               NFKC, NFKD and is_normalized, now and 3.2.0
   _unicodedump casemap        per input line (hex code points): lower,
                               upper, title, capitalize, swapcase, casefold
   _unicodedump nfkc8          per input line (hex bytes): the NFKC UTF-8
                               helper's result, or ERROR

   In lists of code points "=" stands for "the input character itself" and
   "-" for "none". */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pycore_unicodectype.h"

#define LINE_MAX_BYTES (1 << 16)
#define MAX_CHARS 4096

typedef int (*predicate)(Py_UCS4);

static const predicate predicates[] = {
    _PyUnicode_IsPrintable, _PyUnicode_IsWhitespace, _PyUnicode_IsAlpha,
    _PyUnicode_IsDecimalDigit, _PyUnicode_IsDigit, _PyUnicode_IsNumeric,
    _PyUnicode_IsAlnum, _PyUnicode_IsLowercase, _PyUnicode_IsUppercase,
    _PyUnicode_IsTitlecase, _PyUnicode_IsCased, _PyUnicode_IsCaseIgnorable,
    _PyUnicode_IsLinebreak, _PyUnicode_IsXidStart, _PyUnicode_IsXidContinue,
};

typedef int (*full_mapping)(Py_UCS4, Py_UCS4 *);

static const full_mapping full_mappings[] = {
    _PyUnicode_ToLowerFull, _PyUnicode_ToUpperFull, _PyUnicode_ToTitleFull,
    _PyUnicode_ToFoldedFull,
};

typedef Py_UCS4 (*simple_mapping)(Py_UCS4);

static const simple_mapping simple_mappings[] = {
    _PyUnicode_ToLowercase, _PyUnicode_ToUppercase, _PyUnicode_ToTitlecase,
};

static void
put_chars(const Py_UCS4 *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf(i ? " %04X" : "%04X", (unsigned int)s[i]);
    }
}

/* "=" when the result is just ch. */
static void
put_mapped(Py_UCS4 ch, const Py_UCS4 *s, size_t n)
{
    if (n == 1 && s[0] == ch) {
        putchar('=');
    }
    else {
        put_chars(s, n);
    }
}

static void
put_int_or_none(int v)
{
    if (v < 0) {
        putchar('-');
    }
    else {
        printf("%d", v);
    }
}

static void
put_normalized(int form, Py_UCS4 ch)
{
    Py_UCS4 *res;
    Py_ssize_t n = _PyUnicode_Normalize(form, &ch, 1, &res);
    if (n < 0) {
        fputs("out of memory\n", stderr);
        exit(1);
    }
    put_mapped(ch, res, (size_t)n);
    free(res);
}

/* Everything unicodedata (or ucd_3_2_0) says about ch. */
static void
put_database(int ucd, Py_UCS4 ch)
{
    char buf[_PyUnicode_DECOMP_BUFSIZE];
    double value;
    int norm_flag = ucd == _PyUnicode_UCD_3_2_0 ? _PyUnicode_NORM_UCD_3_2_0
                                                : 0;
    printf("%s;%s;%d;%s;%d;", _PyUnicodeData_Category(ucd, ch),
           _PyUnicodeData_Bidirectional(ucd, ch),
           _PyUnicodeData_Combining(ucd, ch),
           _PyUnicodeData_EastAsianWidth(ucd, ch),
           _PyUnicodeData_Mirrored(ucd, ch));
    put_int_or_none(_PyUnicodeData_Decimal(ucd, ch));
    putchar(';');
    put_int_or_none(_PyUnicodeData_Digit(ucd, ch));
    putchar(';');
    if (_PyUnicodeData_Numeric(ucd, ch, &value)) {
        printf("%.17g", value);
    }
    else {
        putchar('-');
    }
    _PyUnicodeData_Decomposition(ucd, ch, buf);
    printf(";%s;", buf);
    if (_PyUnicodeData_GetName(ucd, ch, buf, sizeof(buf)) > 0) {
        fputs(buf, stdout);
    }
    const int forms[] = {_PyUnicode_NFC, _PyUnicode_NFD, _PyUnicode_NFKC,
                         _PyUnicode_NFKD};
    for (int i = 0; i < 4; i++) {
        putchar(';');
        put_normalized(forms[i] | norm_flag, ch);
    }
}

/* The str-method view of ch (values as str and unicodedata agree). */
static void
put_ctype(Py_UCS4 ch)
{
    Py_UCS4 res[_PyUnicode_CASE_MAX];
    for (size_t i = 0; i < sizeof(predicates) / sizeof(predicates[0]); i++) {
        putchar(predicates[i](ch) ? '1' : '0');
    }
    for (size_t i = 0; i < sizeof(full_mappings) / sizeof(full_mappings[0]);
         i++) {
        putchar(';');
        put_mapped(ch, res, (size_t)full_mappings[i](ch, res));
    }
    for (size_t i = 0;
         i < sizeof(simple_mappings) / sizeof(simple_mappings[0]); i++) {
        res[0] = simple_mappings[i](ch);
        putchar(';');
        put_mapped(ch, res, 1);
    }
    putchar(';');
    put_int_or_none(_PyUnicode_ToDecimalDigit(ch));
    putchar(';');
    put_int_or_none(_PyUnicode_ToDigit(ch));
    double num = _PyUnicode_ToNumeric(ch);
    if (_PyUnicode_IsNumeric(ch)) {
        printf(";%.17g", num);
    }
    else {
        printf(";%s", num == -1.0 ? "-" : "?");
    }
}

static int
dump_props(void)
{
    for (Py_UCS4 ch = 0; ch < 0x110000; ch++) {
        printf("%04X;", (unsigned int)ch);
        put_ctype(ch);
        putchar(';');
        put_database(_PyUnicode_UCD_CURRENT, ch);
        putchar('|');
        put_database(_PyUnicode_UCD_3_2_0, ch);
        putchar('\n');
    }
    return 0;
}

static int
hex_digit(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* "414243" -> "ABC"; returns the byte count. */
static size_t
parse_hex_bytes(const char *line, char *out)
{
    size_t n = 0;
    while (hex_digit(line[0]) >= 0 && hex_digit(line[1]) >= 0) {
        out[n++] = (char)(hex_digit(line[0]) * 16 + hex_digit(line[1]));
        line += 2;
    }
    return n;
}

/* "41 20AC" -> code points; returns the count. */
static size_t
parse_chars(const char *line, Py_UCS4 *out)
{
    size_t n = 0;
    char *end;
    for (;;) {
        unsigned long v = strtoul(line, &end, 16);
        if (end == line || n == MAX_CHARS) {
            return n;
        }
        out[n++] = (Py_UCS4)v;
        line = end;
    }
}

static int
dump_lookup(int ucd, int flags)
{
    static char line[LINE_MAX_BYTES], name[LINE_MAX_BYTES];
    Py_UCS4 res[_PyUnicode_NAMED_SEQ_MAX];
    while (fgets(line, sizeof(line), stdin) != NULL) {
        size_t len = parse_hex_bytes(line, name);
        int n = _PyUnicodeData_LookupName(ucd, name, len, flags, res);
        if (n == 0) {
            putchar('-');
        }
        put_chars(res, (size_t)n);
        putchar('\n');
    }
    return 0;
}

static int
dump_normalize(void)
{
    static char line[LINE_MAX_BYTES];
    static Py_UCS4 chars[MAX_CHARS];
    const int forms[] = {_PyUnicode_NFC, _PyUnicode_NFD, _PyUnicode_NFKC,
                         _PyUnicode_NFKD};
    while (fgets(line, sizeof(line), stdin) != NULL) {
        size_t n = parse_chars(line, chars);
        for (int old = 0; old < 2; old++) {
            for (int i = 0; i < 4; i++) {
                int form = forms[i] | (old ? _PyUnicode_NORM_UCD_3_2_0 : 0);
                Py_UCS4 *res;
                Py_ssize_t m = _PyUnicode_Normalize(form, chars,
                                                    (Py_ssize_t)n, &res);
                int same = _PyUnicode_IsNormalized(form, chars,
                                                   (Py_ssize_t)n);
                if (m < 0 || same < 0) {
                    fputs("out of memory\n", stderr);
                    return 1;
                }
                printf("%s%d:", old || i ? ";" : "", same);
                put_chars(res, (size_t)m);
                free(res);
            }
        }
        putchar('\n');
    }
    return 0;
}

/* Packs chars into the narrowest kind that holds them, as str would. */
static int
pack(const Py_UCS4 *chars, size_t n, void *buf)
{
    Py_UCS4 max = 0;
    for (size_t i = 0; i < n; i++) {
        max = chars[i] > max ? chars[i] : max;
    }
    int kind = max < 0x100 ? 1 : max < 0x10000 ? 2 : 4;
    for (size_t i = 0; i < n; i++) {
        if (kind == 1) {
            ((uint8_t *)buf)[i] = (uint8_t)chars[i];
        }
        else if (kind == 2) {
            ((uint16_t *)buf)[i] = (uint16_t)chars[i];
        }
        else {
            ((Py_UCS4 *)buf)[i] = chars[i];
        }
    }
    return kind;
}

static int
dump_casemap(void)
{
    static char line[LINE_MAX_BYTES];
    static Py_UCS4 chars[MAX_CHARS], packed[MAX_CHARS];
    static Py_UCS4 res[MAX_CHARS * _PyUnicode_CASE_MAX];
    const _PyUnicode_CaseOp ops[] = {
        _PyUnicode_CASE_LOWER, _PyUnicode_CASE_UPPER, _PyUnicode_CASE_TITLE,
        _PyUnicode_CASE_CAPITALIZE, _PyUnicode_CASE_SWAPCASE,
        _PyUnicode_CASE_CASEFOLD,
    };
    while (fgets(line, sizeof(line), stdin) != NULL) {
        size_t n = parse_chars(line, chars);
        int kind = pack(chars, n, packed);
        for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
            size_t m = _PyUnicode_CaseMap(ops[i], kind, packed, n, res);
            if (i > 0) {
                putchar(';');
            }
            put_chars(res, m);
        }
        putchar('\n');
    }
    return 0;
}

static int
dump_nfkc_utf8(void)
{
    static char line[LINE_MAX_BYTES], text[LINE_MAX_BYTES];
    while (fgets(line, sizeof(line), stdin) != NULL) {
        size_t len = parse_hex_bytes(line, text), outlen;
        char *out;
        if (_PyUnicode_NormalizeNFKC_UTF8(text, len, &out, &outlen) < 0) {
            puts("ERROR");
            continue;
        }
        for (size_t i = 0; i < outlen; i++) {
            printf("%02x", (unsigned char)out[i]);
        }
        putchar('\n');
        free(out);
    }
    return 0;
}

static int
usage(void)
{
    fputs("usage: _unicodedump props | lookup UCD FLAGS | normalize | "
          "casemap | nfkc8\n", stderr);
    return 2;
}

int
main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "props") == 0) {
        return dump_props();
    }
    if (argc == 4 && strcmp(argv[1], "lookup") == 0) {
        return dump_lookup(atoi(argv[2]), atoi(argv[3]));
    }
    if (argc == 2 && strcmp(argv[1], "normalize") == 0) {
        return dump_normalize();
    }
    if (argc == 2 && strcmp(argv[1], "casemap") == 0) {
        return dump_casemap();
    }
    if (argc == 2 && strcmp(argv[1], "nfkc8") == 0) {
        return dump_nfkc_utf8();
    }
    return usage();
}
