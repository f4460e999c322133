/* The Unicode character database: per code point properties for str
   methods and the unicodedata module, and character names.

   The tables come from Tools/unicode/regen_unicodedata.py, which asks
   CPython 3.11 itself, so every answer here is CPython's.  Each table is a
   three-level lookup (generated *_lookup() functions) into a small array
   of distinct records. */

#include <string.h>

#include "pycore_unicodectype.h"

#include "unicodetype_db.h"
#include "../Modules/unicodedata_db.h"
#include "../Modules/unicodename_db.h"

_Static_assert(UCD_DECOMP_MAX <= _PyUnicode_DECOMP_MAX,
               "decomposition buffer too small");
_Static_assert(NAMES_SEQ_MAX <= _PyUnicode_NAMED_SEQ_MAX,
               "named sequence buffer too small");

#define NCODES 0x110000

/* Hangul syllables (Unicode chapter 3.12) */
#define S_BASE 0xAC00
#define V_COUNT 21
#define T_COUNT 28
#define S_COUNT (19 * V_COUNT * T_COUNT)

/* ------------------------------------------------------------ ctype */

static inline const ctype_record *
ctype_get(Py_UCS4 ch)
{
    if (ch >= NCODES) {
        return &ctype_records[0];
    }
    return &ctype_records[ctype_lookup(ch)];
}

static inline int
ctype_has(Py_UCS4 ch, uint32_t flag)
{
    return (ctype_get(ch)->flags & flag) != 0;
}

int
_PyUnicode_IsPrintable(Py_UCS4 ch)
{
    return ctype_has(ch, CT_PRINTABLE);
}

int
_PyUnicode_IsWhitespace(Py_UCS4 ch)
{
    return ctype_has(ch, CT_SPACE);
}

int
_PyUnicode_IsAlpha(Py_UCS4 ch)
{
    return ctype_has(ch, CT_ALPHA);
}

int
_PyUnicode_IsDecimalDigit(Py_UCS4 ch)
{
    return ctype_has(ch, CT_DECIMAL);
}

int
_PyUnicode_IsDigit(Py_UCS4 ch)
{
    return ctype_has(ch, CT_DIGIT);
}

int
_PyUnicode_IsNumeric(Py_UCS4 ch)
{
    return ctype_has(ch, CT_NUMERIC);
}

int
_PyUnicode_IsAlnum(Py_UCS4 ch)
{
    return ctype_has(ch, CT_ALPHA | CT_DECIMAL | CT_DIGIT | CT_NUMERIC);
}

int
_PyUnicode_IsLowercase(Py_UCS4 ch)
{
    return ctype_has(ch, CT_LOWER);
}

int
_PyUnicode_IsUppercase(Py_UCS4 ch)
{
    return ctype_has(ch, CT_UPPER);
}

int
_PyUnicode_IsTitlecase(Py_UCS4 ch)
{
    return ctype_has(ch, CT_TITLE);
}

int
_PyUnicode_IsCased(Py_UCS4 ch)
{
    return ctype_has(ch, CT_CASED);
}

int
_PyUnicode_IsCaseIgnorable(Py_UCS4 ch)
{
    return ctype_has(ch, CT_CASE_IGNORABLE);
}

int
_PyUnicode_IsLinebreak(Py_UCS4 ch)
{
    return ctype_has(ch, CT_LINEBREAK);
}

int
_PyUnicode_IsXidStart(Py_UCS4 ch)
{
    return ctype_has(ch, CT_XID_START);
}

int
_PyUnicode_IsXidContinue(Py_UCS4 ch)
{
    return ctype_has(ch, CT_XID_CONTINUE);
}

int
_PyUnicode_ToDecimalDigit(Py_UCS4 ch)
{
    const ctype_record *rec = ctype_get(ch);
    return (rec->flags & CT_DECIMAL) ? rec->decimal : -1;
}

int
_PyUnicode_ToDigit(Py_UCS4 ch)
{
    const ctype_record *rec = ctype_get(ch);
    return (rec->flags & CT_DIGIT) ? rec->digit : -1;
}

double
_PyUnicode_ToNumeric(Py_UCS4 ch)
{
    const ctype_record *rec = ctype_get(ch);
    if (rec->numeric == 0) {
        return -1.0;
    }
    /* One correctly rounded division, as CPython's float for the value. */
    const ctype_fraction *f = &ctype_numerics[rec->numeric];
    return (double)f->num / (double)f->den;
}

/* A mapping field is a delta for a one-character mapping, or, when the
   record has the field's *_EXT flag, the offset of [count, chars...] in
   ctype_extended_case. */
static int
case_full(Py_UCS4 ch, int32_t field, int ext, Py_UCS4 *res)
{
    if (!ext) {
        res[0] = ch + (Py_UCS4)field;
        return 1;
    }
    const Py_UCS4 *p = &ctype_extended_case[field];
    int n = (int)p[0];
    for (int i = 0; i < n; i++) {
        res[i] = p[i + 1];
    }
    return n;
}

static Py_UCS4
case_first(Py_UCS4 ch, int32_t field, int ext)
{
    return ext ? ctype_extended_case[field + 1] : ch + (Py_UCS4)field;
}

int
_PyUnicode_ToLowerFull(Py_UCS4 ch, Py_UCS4 *res)
{
    const ctype_record *rec = ctype_get(ch);
    return case_full(ch, rec->lower, rec->flags & CT_LOWER_EXT, res);
}

int
_PyUnicode_ToUpperFull(Py_UCS4 ch, Py_UCS4 *res)
{
    const ctype_record *rec = ctype_get(ch);
    return case_full(ch, rec->upper, rec->flags & CT_UPPER_EXT, res);
}

int
_PyUnicode_ToTitleFull(Py_UCS4 ch, Py_UCS4 *res)
{
    const ctype_record *rec = ctype_get(ch);
    return case_full(ch, rec->title, rec->flags & CT_TITLE_EXT, res);
}

int
_PyUnicode_ToFoldedFull(Py_UCS4 ch, Py_UCS4 *res)
{
    const ctype_record *rec = ctype_get(ch);
    return case_full(ch, rec->fold, rec->flags & CT_FOLD_EXT, res);
}

Py_UCS4
_PyUnicode_ToLowercase(Py_UCS4 ch)
{
    const ctype_record *rec = ctype_get(ch);
    return case_first(ch, rec->lower, rec->flags & CT_LOWER_EXT);
}

Py_UCS4
_PyUnicode_ToUppercase(Py_UCS4 ch)
{
    const ctype_record *rec = ctype_get(ch);
    return case_first(ch, rec->upper, rec->flags & CT_UPPER_EXT);
}

Py_UCS4
_PyUnicode_ToTitlecase(Py_UCS4 ch)
{
    const ctype_record *rec = ctype_get(ch);
    return case_first(ch, rec->title, rec->flags & CT_TITLE_EXT);
}

/* ------------------------------------------------------------ case of strings */

static inline Py_UCS4
read_char(int kind, const void *data, size_t i)
{
    switch (kind) {
    case 1:
        return ((const uint8_t *)data)[i];
    case 2:
        return ((const uint16_t *)data)[i];
    default:
        return ((const Py_UCS4 *)data)[i];
    }
}

int
_PyUnicode_IsFinalSigmaKind(int kind, const void *data, size_t len, size_t i)
{
    Py_UCS4 c = 0;
    size_t j = i;
    while (j > 0) {
        c = read_char(kind, data, --j);
        if (!_PyUnicode_IsCaseIgnorable(c)) {
            break;
        }
    }
    if (j == i || _PyUnicode_IsCaseIgnorable(c) || !_PyUnicode_IsCased(c)) {
        return 0;
    }
    for (j = i + 1; j < len; j++) {
        c = read_char(kind, data, j);
        if (!_PyUnicode_IsCaseIgnorable(c)) {
            return !_PyUnicode_IsCased(c);
        }
    }
    return 1;
}

int
_PyUnicode_IsFinalSigma(const Py_UCS4 *s, size_t len, size_t i)
{
    return _PyUnicode_IsFinalSigmaKind(4, s, len, i);
}

/* str.lower() of the character at i: only the capital sigma looks around. */
static int
lower_in_context(int kind, const void *data, size_t len, size_t i,
                 Py_UCS4 *res)
{
    Py_UCS4 c = read_char(kind, data, i);
    if (c == 0x3A3) {
        res[0] = _PyUnicode_IsFinalSigmaKind(kind, data, len, i) ? 0x3C2
                                                                : 0x3C3;
        return 1;
    }
    return _PyUnicode_ToLowerFull(c, res);
}

static int
case_one(_PyUnicode_CaseOp op, int kind, const void *data, size_t len,
         size_t i, int *previous_is_cased, Py_UCS4 *res)
{
    Py_UCS4 c = read_char(kind, data, i);
    int n;
    switch (op) {
    case _PyUnicode_CASE_LOWER:
        return lower_in_context(kind, data, len, i, res);
    case _PyUnicode_CASE_UPPER:
        return _PyUnicode_ToUpperFull(c, res);
    case _PyUnicode_CASE_CASEFOLD:
        return _PyUnicode_ToFoldedFull(c, res);
    case _PyUnicode_CASE_CAPITALIZE:
        if (i == 0) {
            return _PyUnicode_ToTitleFull(c, res);
        }
        return lower_in_context(kind, data, len, i, res);
    case _PyUnicode_CASE_TITLE:
        if (*previous_is_cased) {
            n = lower_in_context(kind, data, len, i, res);
        }
        else {
            n = _PyUnicode_ToTitleFull(c, res);
        }
        *previous_is_cased = _PyUnicode_IsCased(c);
        return n;
    case _PyUnicode_CASE_SWAPCASE:
        if (_PyUnicode_IsUppercase(c)) {
            return lower_in_context(kind, data, len, i, res);
        }
        if (_PyUnicode_IsLowercase(c)) {
            return _PyUnicode_ToUpperFull(c, res);
        }
        res[0] = c;
        return 1;
    }
    res[0] = c;
    return 1;
}

size_t
_PyUnicode_CaseMap(_PyUnicode_CaseOp op, int kind, const void *data,
                   size_t len, Py_UCS4 *out)
{
    size_t k = 0;
    int previous_is_cased = 0;
    for (size_t i = 0; i < len; i++) {
        k += case_one(op, kind, data, len, i, &previous_is_cased, out + k);
    }
    return k;
}

/* ------------------------------------------------------------ unicodedata */

static inline const ucd_record *
ucd_get(Py_UCS4 ch)
{
    if (ch >= NCODES) {
        return &ucd_records[0];
    }
    return &ucd_records[ucd_lookup(ch)];
}

/* For ucd_3_2_0: the record of differences, all UCD_OLD_SAME if none. */
static inline const ucd_old_record *
old_get(int ucd, Py_UCS4 ch)
{
    if (ucd != _PyUnicode_UCD_3_2_0 || ch >= NCODES) {
        return &ucd_old_records[0];
    }
    return &ucd_old_records[ucd_old_lookup(ch)];
}

/* Unassigned in ucd_3_2_0 (category Cn, index 0): no name, no
   decomposition. */
static int
old_unassigned(int ucd, Py_UCS4 ch)
{
    if (ucd != _PyUnicode_UCD_3_2_0) {
        return 0;
    }
    const ucd_old_record *old = old_get(ucd, ch);
    if (old->category != UCD_OLD_SAME) {
        return old->category == 0;
    }
    return ucd_get(ch)->category == 0;
}

const char *
_PyUnicodeData_Category(int ucd, Py_UCS4 ch)
{
    const ucd_old_record *old = old_get(ucd, ch);
    if (old->category != UCD_OLD_SAME) {
        return ucd_category_names[old->category];
    }
    return ucd_category_names[ucd_get(ch)->category];
}

const char *
_PyUnicodeData_Bidirectional(int ucd, Py_UCS4 ch)
{
    const ucd_old_record *old = old_get(ucd, ch);
    if (old->bidi != UCD_OLD_SAME) {
        return ucd_bidi_names[old->bidi];
    }
    return ucd_bidi_names[ucd_get(ch)->bidi];
}

const char *
_PyUnicodeData_EastAsianWidth(int ucd, Py_UCS4 ch)
{
    const ucd_old_record *old = old_get(ucd, ch);
    if (old->eaw != UCD_OLD_SAME) {
        return ucd_eaw_names[old->eaw];
    }
    return ucd_eaw_names[ucd_get(ch)->eaw];
}

int
_PyUnicodeData_Combining(int ucd, Py_UCS4 ch)
{
    const ucd_old_record *old = old_get(ucd, ch);
    if (old->combining != UCD_OLD_SAME) {
        return old->combining;
    }
    return ucd_get(ch)->combining;
}

int
_PyUnicodeData_Mirrored(int ucd, Py_UCS4 ch)
{
    const ucd_old_record *old = old_get(ucd, ch);
    if (old->mirrored != UCD_OLD_SAME) {
        return old->mirrored;
    }
    return ucd_get(ch)->mirrored;
}

static int
old_digit_value(uint8_t old, int current)
{
    if (old == UCD_OLD_SAME) {
        return current;
    }
    return old == UCD_OLD_NONE ? -1 : old;
}

int
_PyUnicodeData_Decimal(int ucd, Py_UCS4 ch)
{
    return old_digit_value(old_get(ucd, ch)->decimal,
                           _PyUnicode_ToDecimalDigit(ch));
}

int
_PyUnicodeData_Digit(int ucd, Py_UCS4 ch)
{
    return old_digit_value(old_get(ucd, ch)->digit, _PyUnicode_ToDigit(ch));
}

int
_PyUnicodeData_Numeric(int ucd, Py_UCS4 ch, double *value)
{
    const ucd_old_record *old = old_get(ucd, ch);
    if (old->numeric == UCD_OLD_SAME) {
        if (!_PyUnicode_IsNumeric(ch)) {
            return 0;
        }
        *value = _PyUnicode_ToNumeric(ch);
        return 1;
    }
    if (old->numeric == UCD_OLD_NONE) {
        return 0;
    }
    const ucd_fraction *f = &ucd_old_numerics[old->numeric];
    *value = (double)f->num / (double)f->den;
    return 1;
}

/* The raw decomposition record: (tag << 8) | count, then the characters;
   NULL if none. */
static const uint32_t *
decomp_record(int ucd, Py_UCS4 ch)
{
    if (ch >= NCODES || old_unassigned(ucd, ch)) {
        return NULL;
    }
    unsigned int off = ucd_decomp_lookup(ch);
    return off ? &ucd_decomp_data[off] : NULL;
}

static char *
put_hex(char *p, Py_UCS4 ch)
{
    static const char digits[] = "0123456789ABCDEF";
    int n = 4;
    while (n < 8 && (ch >> (4 * n)) != 0) {
        n++;
    }
    for (int i = n - 1; i >= 0; i--) {
        *p++ = digits[(ch >> (4 * i)) & 0xF];
    }
    return p;
}

size_t
_PyUnicodeData_Decomposition(int ucd, Py_UCS4 ch, char *buf)
{
    const uint32_t *rec = decomp_record(ucd, ch);
    char *p = buf;
    if (rec != NULL) {
        const char *tag = ucd_decomp_tags[rec[0] >> 8];
        size_t taglen = strlen(tag);
        memcpy(p, tag, taglen);
        p += taglen;
        for (uint32_t i = 1; i <= (rec[0] & 0xFF); i++) {
            if (p != buf) {
                *p++ = ' ';
            }
            p = put_hex(p, rec[i]);
        }
    }
    *p = '\0';
    return (size_t)(p - buf);
}

static Py_UCS4
old_correction(Py_UCS4 ch)
{
    for (size_t i = 0; i < sizeof(ucd_old_corrections)
                           / sizeof(ucd_old_corrections[0]); i++) {
        if (ucd_old_corrections[i].from == ch) {
            return ucd_old_corrections[i].to;
        }
    }
    return 0;
}

int
_PyUnicode_GetDecomposition(int ucd, Py_UCS4 ch, int *compat, Py_UCS4 *out)
{
    if (ucd == _PyUnicode_UCD_3_2_0) {
        Py_UCS4 fixed = old_correction(ch);
        if (fixed != 0) {
            *compat = 0;
            out[0] = fixed;
            return 1;
        }
    }
    const uint32_t *rec = decomp_record(ucd, ch);
    if (rec == NULL) {
        return 0;
    }
    int n = (int)(rec[0] & 0xFF);
    *compat = (rec[0] >> 8) != 0;
    for (int i = 0; i < n; i++) {
        out[i] = rec[i + 1];
    }
    return n;
}

Py_UCS4
_PyUnicode_ComposePair(Py_UCS4 first, Py_UCS4 second)
{
    size_t lo = 0;
    size_t hi = sizeof(ucd_compositions) / sizeof(ucd_compositions[0]);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const ucd_composition *c = &ucd_compositions[mid];
        if (c->first == first && c->second == second) {
            return c->composite;
        }
        if (c->first < first || (c->first == first && c->second < second)) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ names */

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define HANGUL_PREFIX "HANGUL SYLLABLE "
#define CJK_PREFIX "CJK UNIFIED IDEOGRAPH-"

static inline unsigned int
stream_byte(size_t pos)
{
    return (unsigned char)(names_stream[pos] - NAMES_BIAS);
}

/* The words of name `id`, as lexicon indexes; returns their count.  The
   stream is front-coded, so decoding starts at the id's chunk. */
static int
name_words(unsigned int id, unsigned int words[16])
{
    size_t pos = names_chunks[id / NAMES_CHUNK];
    unsigned int k = id - id % NAMES_CHUNK;
    int n;
    for (;; k++) {
        unsigned int head = stream_byte(pos++);
        n = (int)(head >> 4);
        for (unsigned int j = head & 0xF; j > 0; j--) {
            unsigned int code = stream_byte(pos++);
            if (code >= NAMES_KSINGLE) {
                code = NAMES_KSINGLE + ((code - NAMES_KSINGLE) << 8
                                        | stream_byte(pos++));
            }
            words[n++] = code;
        }
        if (k == id) {
            return n;
        }
    }
}

static const char *
lexicon_word(unsigned int w, size_t *len)
{
    const char *p = names_lexicon + names_word_offsets[w / NAMES_WORD_CHUNK];
    for (unsigned int k = w % NAMES_WORD_CHUNK; k > 0; k--) {
        p = strchr(p, ' ') + 1;
    }
    *len = (size_t)(strchr(p, ' ') - p);
    return p;
}

/* Writes name `id` NUL-terminated to buf (_PyUnicode_NAME_MAXLEN + 1
   bytes: the generator checked every name fits); returns its length. */
static size_t
name_text(unsigned int id, char *buf)
{
    unsigned int words[16];
    int n = name_words(id, words);
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        size_t wlen;
        const char *w = lexicon_word(words[i], &wlen);
        if (i > 0) {
            buf[len++] = ' ';
        }
        memcpy(buf + len, w, wlen);
        len += wlen;
    }
    buf[len] = '\0';
    return len;
}

/* The run of explicitly named code points holding ch, or NULL. */
static const names_run *
run_of_char(Py_UCS4 ch)
{
    size_t lo = 0, hi = ARRAY_LEN(names_runs);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const names_run *r = &names_runs[mid];
        if (ch < r->first) {
            hi = mid;
        }
        else if (ch >= r->first + r->count) {
            lo = mid + 1;
        }
        else {
            return r;
        }
    }
    return NULL;
}

static Py_UCS4
char_of_name_id(unsigned int id)
{
    size_t lo = 0, hi = ARRAY_LEN(names_runs);
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (names_runs[mid].id <= id) {
            lo = mid;
        }
        else {
            hi = mid;
        }
    }
    return names_runs[lo].first + (id - names_runs[lo].id);
}

static int
in_cjk_range(Py_UCS4 ch)
{
    for (size_t i = 0; i < ARRAY_LEN(names_cjk_ranges); i++) {
        if (names_cjk_ranges[i].first <= ch
                && ch <= names_cjk_ranges[i].last) {
            return 1;
        }
    }
    return 0;
}

static const names_hex_range *
hex_range_of(Py_UCS4 ch)
{
    for (size_t i = 0; i < ARRAY_LEN(names_hex_ranges); i++) {
        if (names_hex_ranges[i].first <= ch
                && ch <= names_hex_ranges[i].last) {
            return &names_hex_ranges[i];
        }
    }
    return NULL;
}

/* Builds prefix + hex code point in buf (large enough, see callers). */
static size_t
prefixed_hex(const char *prefix, Py_UCS4 ch, char *buf)
{
    size_t n = strlen(prefix);
    memcpy(buf, prefix, n);
    char *end = put_hex(buf + n, ch);
    *end = '\0';
    return (size_t)(end - buf);
}

static size_t
hangul_name(Py_UCS4 ch, char *buf)
{
    unsigned int s = ch - S_BASE;
    const char *parts[3] = {
        names_jamo_l[s / (V_COUNT * T_COUNT)],
        names_jamo_v[(s % (V_COUNT * T_COUNT)) / T_COUNT],
        names_jamo_t[s % T_COUNT],
    };
    size_t len = strlen(HANGUL_PREFIX);
    memcpy(buf, HANGUL_PREFIX, len);
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(parts[i]);
        memcpy(buf + len, parts[i], n);
        len += n;
    }
    buf[len] = '\0';
    return len;
}

int
_PyUnicodeData_GetName(int ucd, Py_UCS4 ch, char *buf, size_t size)
{
    char tmp[_PyUnicode_NAME_MAXLEN + 1];
    size_t len;
    const names_run *run;
    const names_hex_range *range;
    if (ch >= NCODES || old_unassigned(ucd, ch)) {
        return 0;
    }
    if ((Py_UCS4)(ch - S_BASE) < (Py_UCS4)S_COUNT) {
        len = hangul_name(ch, tmp);
    }
    else if (in_cjk_range(ch)) {
        len = prefixed_hex(CJK_PREFIX, ch, tmp);
    }
    else if ((range = hex_range_of(ch)) != NULL) {
        len = prefixed_hex(range->prefix, ch, tmp);
    }
    else if ((run = run_of_char(ch)) != NULL) {
        len = name_text(run->id + (ch - run->first), tmp);
    }
    else {
        return 0;
    }
    if (len >= size) {
        return -1;
    }
    memcpy(buf, tmp, len + 1);
    return (int)len;
}

/* The longest of the count strings in table that starts name; its index,
   or -1.  (The empty string matches anything.) */
static int
longest_jamo(const char *const *table, int count, const char *name,
             size_t len, size_t *matched)
{
    int best = -1;
    *matched = 0;
    for (int i = 0; i < count; i++) {
        size_t n = strlen(table[i]);
        if ((best < 0 || n > *matched) && n <= len
                && memcmp(name, table[i], n) == 0) {
            best = i;
            *matched = n;
        }
    }
    return best;
}

/* "HANGUL SYLLABLE " + initial, vowel and final jamo, each the longest
   that fits, in upper case as CPython requires. */
static int
lookup_hangul(const char *name, size_t len, Py_UCS4 *out)
{
    int idx[3];
    const char *const *tables[3] = {names_jamo_l, names_jamo_v,
                                    names_jamo_t};
    const int counts[3] = {(int)ARRAY_LEN(names_jamo_l),
                           (int)ARRAY_LEN(names_jamo_v),
                           (int)ARRAY_LEN(names_jamo_t)};
    for (int i = 0; i < 3; i++) {
        size_t n;
        idx[i] = longest_jamo(tables[i], counts[i], name, len, &n);
        if (idx[i] < 0) {
            return 0;
        }
        name += n;
        len -= n;
    }
    if (len != 0) {
        return 0;
    }
    out[0] = S_BASE + (Py_UCS4)((idx[0] * V_COUNT + idx[1]) * T_COUNT
                                + idx[2]);
    return 1;
}

/* Parses hex digits (upper case only); -1 if any is not one. */
static long
parse_hex(const char *s, size_t len)
{
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        int d;
        if (s[i] >= '0' && s[i] <= '9') {
            d = s[i] - '0';
        }
        else if (s[i] >= 'A' && s[i] <= 'F') {
            d = s[i] - 'A' + 10;
        }
        else {
            return -1;
        }
        v = v * 16 + d;
    }
    return v;
}

/* CPython reads "CJK UNIFIED IDEOGRAPH-" in exactly this case followed by
   4 or 5 upper-case hex digits (leading zeros allowed). */
static int
lookup_cjk(const char *digits, size_t len, Py_UCS4 *out)
{
    if (len != 4 && len != 5) {
        return 0;
    }
    long v = parse_hex(digits, len);
    if (v < 0 || !in_cjk_range((Py_UCS4)v)) {
        return 0;
    }
    out[0] = (Py_UCS4)v;
    return 1;
}

/* Other PREFIX-<hex> names are ordinary names: the digits must read
   exactly as the name spells them. */
static int
lookup_hex_range(const char *upper, size_t len, Py_UCS4 *out)
{
    for (size_t i = 0; i < ARRAY_LEN(names_hex_ranges); i++) {
        const names_hex_range *r = &names_hex_ranges[i];
        size_t plen = strlen(r->prefix);
        if (len < plen + 4 || len > plen + 6
                || memcmp(upper, r->prefix, plen) != 0
                || (len > plen + 4 && upper[plen] == '0')) {
            continue;
        }
        long v = parse_hex(upper + plen, len - plen);
        if (v >= (long)r->first && v <= (long)r->last) {
            out[0] = (Py_UCS4)v;
            return 1;
        }
    }
    return 0;
}

/* Binary search of the sorted names; the name id or -1. */
static long
find_name_id(const char *upper, size_t len)
{
    char buf[_PyUnicode_NAME_MAXLEN + 1];
    size_t lo = 0, hi = NAMES_COUNT;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        size_t n = name_text(names_sorted[mid], buf);
        int cmp = memcmp(upper, buf, len < n ? len : n);
        if (cmp == 0 && len != n) {
            cmp = len < n ? -1 : 1;
        }
        if (cmp == 0) {
            return names_sorted[mid];
        }
        if (cmp < 0) {
            hi = mid;
        }
        else {
            lo = mid + 1;
        }
    }
    return -1;
}

static int
lookup_by_id(int ucd, long id, int flags, Py_UCS4 *out)
{
    if (id < NAMES_CHARS) {
        out[0] = char_of_name_id((unsigned int)id);
        return old_unassigned(ucd, out[0]) ? 0 : 1;
    }
    if (ucd != _PyUnicode_UCD_CURRENT) {
        return 0;               /* 3.2.0 had neither aliases nor sequences */
    }
    id -= NAMES_CHARS;
    if (id < NAMES_ALIASES) {
        out[0] = names_alias_targets[id];
        return 1;
    }
    id -= NAMES_ALIASES;
    if (!(flags & _PyUnicode_LOOKUP_SEQUENCES)) {
        return 0;
    }
    const Py_UCS4 *seq = &names_seq_data[names_seq_offsets[id]];
    int n = (int)seq[0];
    for (int i = 0; i < n; i++) {
        out[i] = seq[i + 1];
    }
    return n;
}

int
_PyUnicodeData_LookupName(int ucd, const char *name, size_t len, int flags,
                          Py_UCS4 *out)
{
    char upper[_PyUnicode_NAME_MAXLEN + 1];
    size_t hlen = strlen(HANGUL_PREFIX), clen = strlen(CJK_PREFIX);
    if (len >= hlen && memcmp(name, HANGUL_PREFIX, hlen) == 0) {
        return lookup_hangul(name + hlen, len - hlen, out);
    }
    if (len >= clen && memcmp(name, CJK_PREFIX, clen) == 0) {
        return lookup_cjk(name + clen, len - clen, out);
    }
    if (len > _PyUnicode_NAME_MAXLEN) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        upper[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    if (lookup_hex_range(upper, len, out)) {
        return old_unassigned(ucd, out[0]) ? 0 : 1;
    }
    long id = find_name_id(upper, len);
    if (id < 0) {
        return 0;
    }
    return lookup_by_id(ucd, id, flags, out);
}
