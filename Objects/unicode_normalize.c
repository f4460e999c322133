/* Unicode normalization (UAX #15): NFC, NFD, NFKC, NFKD, as CPython 3.11's
   unicodedata.normalize() and is_normalized(), plus NFKC of UTF-8 for the
   tokenizer's identifiers.

   Decompose fully (recursively, Hangul algorithmically), put each run of
   non-starters in canonical order (stable by combining class), then for
   the composed forms recompose every unblocked pair with the last
   starter.  The ucd_3_2_0 variant differs only in its decompositions (see
   _PyUnicode_GetDecomposition); like CPython it keeps today's combining
   classes and compositions. */

#include <stdlib.h>
#include <string.h>

#include "pycore_unicodectype.h"

/* Hangul syllables (Unicode chapter 3.12) */
#define S_BASE 0xAC00
#define L_BASE 0x1100
#define V_BASE 0x1161
#define T_BASE 0x11A7
#define L_COUNT 19
#define V_COUNT 21
#define T_COUNT 28
#define N_COUNT (V_COUNT * T_COUNT)
#define S_COUNT (L_COUNT * N_COUNT)

/* Below this, every character is its own NFC, NFD, NFKC and NFKD. */
#define ALWAYS_NORMALIZED_BELOW 0xA0

/* Runs of non-starters longer than this are sorted by counting. */
#define INSERTION_SORT_MAX 32

typedef struct {
    Py_UCS4 *data;
    size_t len;
    size_t cap;
} norm_buffer;

static int
buffer_push(norm_buffer *b, Py_UCS4 ch)
{
    if (b->len == b->cap) {
        size_t cap = b->cap < 16 ? 16 : b->cap * 2;
        Py_UCS4 *data = realloc(b->data, cap * sizeof(Py_UCS4));
        if (data == NULL) {
            return -1;
        }
        b->data = data;
        b->cap = cap;
    }
    b->data[b->len++] = ch;
    return 0;
}

static inline int
ccc(Py_UCS4 ch)
{
    return _PyUnicodeData_Combining(_PyUnicode_UCD_CURRENT, ch);
}

static int
is_hangul_syllable(Py_UCS4 ch)
{
    return (Py_UCS4)(ch - S_BASE) < (Py_UCS4)S_COUNT;
}

/* Appends the full decomposition of ch. */
static int
decompose_char(norm_buffer *b, int ucd, int compat, Py_UCS4 ch)
{
    Py_UCS4 parts[_PyUnicode_DECOMP_MAX];
    int is_compat;
    if (is_hangul_syllable(ch)) {
        Py_UCS4 s = ch - S_BASE;
        if (buffer_push(b, L_BASE + s / N_COUNT) < 0
                || buffer_push(b, V_BASE + (s % N_COUNT) / T_COUNT) < 0) {
            return -1;
        }
        return s % T_COUNT ? buffer_push(b, T_BASE + s % T_COUNT) : 0;
    }
    int n = _PyUnicode_GetDecomposition(ucd, ch, &is_compat, parts);
    if (n == 0 || (is_compat && !compat)) {
        return buffer_push(b, ch);
    }
    for (int i = 0; i < n; i++) {
        if (decompose_char(b, ucd, compat, parts[i]) < 0) {
            return -1;
        }
    }
    return 0;
}

static void
insertion_sort(Py_UCS4 *s, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        Py_UCS4 ch = s[i];
        int c = ccc(ch);
        size_t j = i;
        while (j > 0 && ccc(s[j - 1]) > c) {
            s[j] = s[j - 1];
            j--;
        }
        s[j] = ch;
    }
}

/* Stable sort by combining class in O(n) for long runs. */
static int
counting_sort(Py_UCS4 *s, size_t n)
{
    size_t start[257] = {0};
    Py_UCS4 *tmp = malloc(n * sizeof(Py_UCS4));
    if (tmp == NULL) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        start[ccc(s[i]) + 1]++;
    }
    for (int c = 1; c <= 256; c++) {
        start[c] += start[c - 1];
    }
    for (size_t i = 0; i < n; i++) {
        tmp[start[ccc(s[i])]++] = s[i];
    }
    memcpy(s, tmp, n * sizeof(Py_UCS4));
    free(tmp);
    return 0;
}

/* The canonical ordering algorithm, run by run of non-starters. */
static int
canonical_order(Py_UCS4 *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (ccc(s[i]) == 0) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && ccc(s[j]) != 0) {
            j++;
        }
        if (j - i <= INSERTION_SORT_MAX) {
            insertion_sort(s + i, j - i);
        }
        else if (counting_sort(s + i, j - i) < 0) {
            return -1;
        }
        i = j;
    }
    return 0;
}

static Py_UCS4
compose_pair(Py_UCS4 first, Py_UCS4 second)
{
    if ((Py_UCS4)(first - L_BASE) < L_COUNT
            && (Py_UCS4)(second - V_BASE) < V_COUNT) {
        return S_BASE + ((first - L_BASE) * V_COUNT
                         + (second - V_BASE)) * T_COUNT;
    }
    if (is_hangul_syllable(first) && (first - S_BASE) % T_COUNT == 0
            && (Py_UCS4)(second - T_BASE - 1) < T_COUNT - 1) {
        return first + (second - T_BASE);
    }
    return _PyUnicode_ComposePair(first, second);
}

/* Canonical composition in place; returns the new length.  A character
   combines with the last starter unless blocked: something stands between
   them whose combining class is 0 or not lower than its own.  Since every
   starter written becomes the last starter, anything between is a
   non-starter, and the input is in canonical order, so the last one
   written decides. */
static size_t
compose(Py_UCS4 *s, size_t n)
{
    size_t out = 0;
    size_t starter = 0;
    int have_starter = 0;
    int last_ccc = 0;
    for (size_t i = 0; i < n; i++) {
        Py_UCS4 ch = s[i];
        int c = ccc(ch);
        if (have_starter
                && (out == starter + 1 || (last_ccc != 0 && last_ccc < c))) {
            Py_UCS4 composite = compose_pair(s[starter], ch);
            if (composite != 0) {
                s[starter] = composite;
                continue;
            }
        }
        if (c == 0) {
            starter = out;
            have_starter = 1;
        }
        last_ccc = c;
        s[out++] = ch;
    }
    return out;
}

int
_PyUnicode_NormalizationForm(const char *name)
{
    static const char *const names[] = {"NFC", "NFD", "NFKC", "NFKD"};
    static const int forms[] = {_PyUnicode_NFC, _PyUnicode_NFD,
                                _PyUnicode_NFKC, _PyUnicode_NFKD};
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, names[i]) == 0) {
            return forms[i];
        }
    }
    return -1;
}

static int
trivially_normalized(const Py_UCS4 *in, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (in[i] >= ALWAYS_NORMALIZED_BELOW) {
            return 0;
        }
    }
    return 1;
}

Py_ssize_t
_PyUnicode_Normalize(int form, const Py_UCS4 *in, Py_ssize_t n,
                     Py_UCS4 **out)
{
    int ucd = (form & _PyUnicode_NORM_UCD_3_2_0) ? _PyUnicode_UCD_3_2_0
                                                 : _PyUnicode_UCD_CURRENT;
    int base = form & ~_PyUnicode_NORM_UCD_3_2_0;
    int compat = base == _PyUnicode_NFKC || base == _PyUnicode_NFKD;
    norm_buffer b = {NULL, 0, 0};
    if (trivially_normalized(in, n)) {
        b.data = malloc((n > 0 ? (size_t)n : 1) * sizeof(Py_UCS4));
        if (b.data == NULL) {
            return -1;
        }
        memcpy(b.data, in, (size_t)n * sizeof(Py_UCS4));
        *out = b.data;
        return n;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (decompose_char(&b, ucd, compat, in[i]) < 0) {
            free(b.data);
            return -1;
        }
    }
    if (canonical_order(b.data, b.len) < 0) {
        free(b.data);
        return -1;
    }
    if (base == _PyUnicode_NFC || base == _PyUnicode_NFKC) {
        b.len = compose(b.data, b.len);
    }
    *out = b.data;
    return (Py_ssize_t)b.len;
}

int
_PyUnicode_IsNormalized(int form, const Py_UCS4 *in, Py_ssize_t n)
{
    Py_UCS4 *norm;
    if (trivially_normalized(in, n)) {
        return 1;
    }
    Py_ssize_t len = _PyUnicode_Normalize(form, in, n, &norm);
    if (len < 0) {
        return -1;
    }
    int same = len == n && memcmp(norm, in, (size_t)n * sizeof(Py_UCS4)) == 0;
    free(norm);
    return same;
}

/* ------------------------------------------------------------ UTF-8 */

/* Decodes one scalar value at s[*i]; -1 if ill-formed (overlong,
   surrogate, beyond U+10FFFF, truncated). */
static long
utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    static const Py_UCS4 min_value[4] = {0, 0x80, 0x800, 0x10000};
    unsigned char b = s[*i];
    int extra;
    Py_UCS4 ch;
    if (b < 0x80) {
        (*i)++;
        return b;
    }
    if (b >= 0xC0 && b < 0xE0) {
        extra = 1;
        ch = b & 0x1F;
    }
    else if (b >= 0xE0 && b < 0xF0) {
        extra = 2;
        ch = b & 0x0F;
    }
    else if (b >= 0xF0 && b < 0xF5) {
        extra = 3;
        ch = b & 0x07;
    }
    else {
        return -1;
    }
    if (len - *i <= (size_t)extra) {
        return -1;
    }
    for (int k = 1; k <= extra; k++) {
        unsigned char c = s[*i + k];
        if ((c & 0xC0) != 0x80) {
            return -1;
        }
        ch = (ch << 6) | (c & 0x3F);
    }
    if (ch < min_value[extra] || ch > 0x10FFFF
            || (ch >= 0xD800 && ch < 0xE000)) {
        return -1;
    }
    *i += (size_t)extra + 1;
    return (long)ch;
}

static size_t
utf8_put(char *p, Py_UCS4 ch)
{
    if (ch < 0x80) {
        p[0] = (char)ch;
        return 1;
    }
    if (ch < 0x800) {
        p[0] = (char)(0xC0 | (ch >> 6));
        p[1] = (char)(0x80 | (ch & 0x3F));
        return 2;
    }
    if (ch < 0x10000) {
        p[0] = (char)(0xE0 | (ch >> 12));
        p[1] = (char)(0x80 | ((ch >> 6) & 0x3F));
        p[2] = (char)(0x80 | (ch & 0x3F));
        return 3;
    }
    p[0] = (char)(0xF0 | (ch >> 18));
    p[1] = (char)(0x80 | ((ch >> 12) & 0x3F));
    p[2] = (char)(0x80 | ((ch >> 6) & 0x3F));
    p[3] = (char)(0x80 | (ch & 0x3F));
    return 4;
}

static int
copy_utf8(const char *utf8, size_t len, char **out, size_t *outlen)
{
    char *res = malloc(len + 1);
    if (res == NULL) {
        return -1;
    }
    memcpy(res, utf8, len);
    res[len] = '\0';
    *out = res;
    *outlen = len;
    return 0;
}

int
_PyUnicode_NormalizeNFKC_UTF8(const char *utf8, size_t len, char **out,
                              size_t *outlen)
{
    const unsigned char *s = (const unsigned char *)utf8;
    size_t i = 0, n = 0;
    while (i < len && s[i] < 0x80) {
        i++;
    }
    if (i == len) {
        return copy_utf8(utf8, len, out, outlen);
    }
    Py_UCS4 *chars = malloc((len > 0 ? len : 1) * sizeof(Py_UCS4));
    if (chars == NULL) {
        return -1;
    }
    for (i = 0; i < len; ) {
        long ch = utf8_next(s, len, &i);
        if (ch < 0) {
            free(chars);
            return -1;
        }
        chars[n++] = (Py_UCS4)ch;
    }
    Py_UCS4 *norm;
    Py_ssize_t m = _PyUnicode_Normalize(_PyUnicode_NFKC, chars,
                                        (Py_ssize_t)n, &norm);
    free(chars);
    if (m < 0) {
        return -1;
    }
    char *res = malloc((size_t)m * 4 + 1);
    if (res == NULL) {
        free(norm);
        return -1;
    }
    size_t k = 0;
    for (Py_ssize_t j = 0; j < m; j++) {
        k += utf8_put(res + k, norm[j]);
    }
    res[k] = '\0';
    free(norm);
    *out = res;
    *outlen = k;
    return 0;
}
