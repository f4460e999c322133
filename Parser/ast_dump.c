/* ast.dump(tree, include_attributes=...) without Python objects.
 *
 * Walks the field tables generated into Parser/ast_nodes.c and prints
 * constants with Python's repr rules: str (quote choice, escapes,
 * printable test), bytes, ints of any size in decimal, floats as the
 * shortest string that round-trips, imaginary numbers, singletons.
 */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pycore_parser.h"
#include "pycore_tokenizer.h"

typedef struct {
    char *data;
    size_t len;
    size_t cap;
    int failed;
} outbuf;

static void
out_add(outbuf *o, const char *s, size_t n)
{
    if (o->failed) {
        return;
    }
    if (o->len + n + 1 > o->cap) {
        size_t cap = (o->len + n + 1) * 2;
        char *d = realloc(o->data, cap);
        if (d == NULL) {
            o->failed = 1;
            return;
        }
        o->data = d;
        o->cap = cap;
    }
    memcpy(o->data + o->len, s, n);
    o->len += n;
    o->data[o->len] = '\0';
}

static void
out_str(outbuf *o, const char *s)
{
    out_add(o, s, strlen(s));
}

static void
out_int(outbuf *o, long v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%ld", v);
    out_str(o, buf);
}

/* ---------------------------------------------------------------------- */
/* repr of str and bytes */

static unsigned int
decode_cp(const unsigned char **pp, const unsigned char *end)
{
    const unsigned char *p = *pp;
    unsigned int c = p[0];
    int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (p + n >= end + 1) {
        n = 0;
    }
    if (n == 1) {
        c &= 0x1F;
    }
    else if (n == 2) {
        c &= 0x0F;
    }
    else if (n == 3) {
        c &= 0x07;
    }
    for (int i = 1; i <= n; i++) {
        c = (c << 6) | (p[i] & 0x3F);
    }
    *pp = p + n + 1;
    return c;
}

static void
repr_str(outbuf *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *e = p + n;
    int has_sq = memchr(s, '\'', n) != NULL;
    int has_dq = memchr(s, '"', n) != NULL;
    char quote = (has_sq && !has_dq) ? '"' : '\'';
    out_add(o, &quote, 1);
    while (p < e) {
        const unsigned char *start = p;
        unsigned int ch = decode_cp(&p, e);
        char buf[16];
        if (ch == (unsigned)quote || ch == '\\') {
            buf[0] = '\\';
            buf[1] = (char)ch;
            out_add(o, buf, 2);
        }
        else if (ch == '\t') {
            out_str(o, "\\t");
        }
        else if (ch == '\n') {
            out_str(o, "\\n");
        }
        else if (ch == '\r') {
            out_str(o, "\\r");
        }
        else if (ch < 0x20 || ch == 0x7F) {
            snprintf(buf, sizeof(buf), "\\x%02x", ch);
            out_str(o, buf);
        }
        else if (ch < 0x7F) {
            out_add(o, (const char *)start, 1);
        }
        else if (_PyParser_IsPrintable(ch)) {
            out_add(o, (const char *)start, p - start);
        }
        else if (ch <= 0xFF) {
            snprintf(buf, sizeof(buf), "\\x%02x", ch);
            out_str(o, buf);
        }
        else if (ch <= 0xFFFF) {
            snprintf(buf, sizeof(buf), "\\u%04x", ch);
            out_str(o, buf);
        }
        else {
            snprintf(buf, sizeof(buf), "\\U%08x", ch);
            out_str(o, buf);
        }
    }
    out_add(o, &quote, 1);
}

static void
repr_bytes(outbuf *o, const char *s, size_t n)
{
    int has_sq = memchr(s, '\'', n) != NULL;
    int has_dq = memchr(s, '"', n) != NULL;
    char quote = (has_sq && !has_dq) ? '"' : '\'';
    out_str(o, "b");
    out_add(o, &quote, 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char buf[8];
        if (c == (unsigned char)quote || c == '\\') {
            buf[0] = '\\';
            buf[1] = (char)c;
            out_add(o, buf, 2);
        }
        else if (c == '\t') {
            out_str(o, "\\t");
        }
        else if (c == '\n') {
            out_str(o, "\\n");
        }
        else if (c == '\r') {
            out_str(o, "\\r");
        }
        else if (c < 0x20 || c >= 0x7F) {
            snprintf(buf, sizeof(buf), "\\x%02x", c);
            out_str(o, buf);
        }
        else {
            out_add(o, (const char *)&c, 1);
        }
    }
    out_add(o, &quote, 1);
}

/* ---------------------------------------------------------------------- */
/* Integers: digits in base 2, 8, 10 or 16 to decimal, with limbs of
   10^9 (schoolbook; literals are short). */

static void
repr_int(outbuf *o, const char *digits, int base)
{
    if (base == 10) {
        out_str(o, digits);
        return;
    }
    size_t n = strlen(digits);
    size_t cap = n / 7 + 2;     /* 10^9 > 16^7 */
    uint32_t *limbs = calloc(cap, sizeof(uint32_t));
    if (limbs == NULL) {
        o->failed = 1;
        return;
    }
    size_t used = 1;
    for (size_t i = 0; i < n; i++) {
        char c = digits[i];
        uint64_t d = (c >= '0' && c <= '9') ? (uint64_t)(c - '0')
                     : (uint64_t)(c - 'a' + 10);
        uint64_t carry = d;
        for (size_t k = 0; k < used; k++) {
            uint64_t v = (uint64_t)limbs[k] * (uint64_t)base + carry;
            limbs[k] = (uint32_t)(v % 1000000000u);
            carry = v / 1000000000u;
        }
        if (carry) {
            limbs[used++] = (uint32_t)carry;
        }
    }
    char buf[16];
    snprintf(buf, sizeof(buf), "%u", limbs[used - 1]);
    out_str(o, buf);
    for (size_t k = used - 1; k-- > 0;) {
        snprintf(buf, sizeof(buf), "%09u", limbs[k]);
        out_str(o, buf);
    }
    free(limbs);
}

/* ---------------------------------------------------------------------- */
/* Floats: shortest digits that round-trip, laid out as float.__repr__ */

static void
shortest_digits(double x, char *digits, int *decpt)
{
    char buf[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, x);
        if (strtod(buf, NULL) == x || prec == 17) {
            break;
        }
    }
    /* buf is d[.ddd]e[+-]XX */
    int k = 0;
    const char *q = buf;
    while (*q && *q != 'e') {
        if (*q >= '0' && *q <= '9') {
            digits[k++] = *q;
        }
        q++;
    }
    while (k > 1 && digits[k - 1] == '0') {
        k--;
    }
    digits[k] = '\0';
    *decpt = atoi(q + 1) + 1;
}

/* ADD_DOT_0: float repr adds ".0" to integral values; complex does not. */
static void
repr_double(outbuf *o, double x, int add_dot_0)
{
    if (isnan(x)) {
        out_str(o, "nan");
        return;
    }
    if (isinf(x)) {
        out_str(o, x > 0 ? "inf" : "-inf");
        return;
    }
    if (signbit(x)) {
        out_str(o, "-");
        x = -x;
    }
    if (x == 0) {
        out_str(o, add_dot_0 ? "0.0" : "0");
        return;
    }
    char d[32];
    int decpt;
    shortest_digits(x, d, &decpt);
    int nd = (int)strlen(d);
    char buf[64];
    if (decpt <= -4 || decpt > 16) {
        int e = decpt - 1;
        if (nd > 1) {
            snprintf(buf, sizeof(buf), "%c.%se%c%02d", d[0], d + 1,
                     e < 0 ? '-' : '+', e < 0 ? -e : e);
        }
        else {
            snprintf(buf, sizeof(buf), "%ce%c%02d", d[0], e < 0 ? '-' : '+',
                     e < 0 ? -e : e);
        }
        out_str(o, buf);
        return;
    }
    if (decpt <= 0) {
        out_str(o, "0.");
        for (int i = 0; i < -decpt; i++) {
            out_str(o, "0");
        }
        out_str(o, d);
        return;
    }
    if (decpt >= nd) {
        out_str(o, d);
        for (int i = nd; i < decpt; i++) {
            out_str(o, "0");
        }
        if (add_dot_0) {
            out_str(o, ".0");
        }
        return;
    }
    out_add(o, d, decpt);
    out_str(o, ".");
    out_str(o, d + decpt);
}

static void
repr_constant(outbuf *o, constant c)
{
    switch (c->kind) {
    case _PyConst_NONE: out_str(o, "None"); break;
    case _PyConst_TRUE: out_str(o, "True"); break;
    case _PyConst_FALSE: out_str(o, "False"); break;
    case _PyConst_ELLIPSIS: out_str(o, "Ellipsis"); break;
    case _PyConst_INT: repr_int(o, c->data, c->base); break;
    case _PyConst_FLOAT: repr_double(o, c->value, 1); break;
    case _PyConst_IMAG:
        repr_double(o, c->value, 0);
        out_str(o, "j");
        break;
    case _PyConst_STR: repr_str(o, c->data, (size_t)c->size); break;
    case _PyConst_BYTES: repr_bytes(o, c->data, (size_t)c->size); break;
    }
}

/* ---------------------------------------------------------------------- */
/* Nodes */

typedef struct {
    outbuf out;
    int attrs;
    int depth;
    int limit;
} dumper;

static void dump_node(dumper *d, int type, const void *node);

static void
dump_value(dumper *d, const _PyAST_Field *f, const void *slot)
{
    outbuf *o = &d->out;
    switch (f->kind) {
    case _PyAST_F_NODE: {
        const void *child = *(const void *const *)slot;
        if (child == NULL) {
            out_str(o, "None");
        }
        else {
            dump_node(d, f->type, child);
        }
        break;
    }
    case _PyAST_F_ENUM: {
        int v = *(const int *)slot;
        const _PyAST_TypeInfo *ti = &_PyAST_Types[f->type];
        out_str(o, ti->conses[v - 1].name);
        out_str(o, "()");
        break;
    }
    case _PyAST_F_IDENT:
    case _PyAST_F_STRING: {
        const char *s = *(const char *const *)slot;
        if (s == NULL) {
            out_str(o, "None");
        }
        else {
            repr_str(o, s, strlen(s));
        }
        break;
    }
    case _PyAST_F_INT:
        out_int(o, *(const int *)slot);
        break;
    case _PyAST_F_CONST:
        repr_constant(o, *(const constant *)slot);
        break;
    }
}

static int
field_is_none(const _PyAST_Field *f, const void *slot)
{
    if (!f->opt) {
        return 0;
    }
    switch (f->kind) {
    case _PyAST_F_NODE:
    case _PyAST_F_IDENT:
    case _PyAST_F_STRING:
    case _PyAST_F_CONST:
        return *(const void *const *)slot == NULL;
    default:
        return 0;
    }
}

static void
dump_field(dumper *d, const _PyAST_Field *f, const char *base, int *first)
{
    outbuf *o = &d->out;
    const void *slot = base + f->offset;
    if (!f->seq && field_is_none(f, slot)) {
        return;
    }
    if (!*first) {
        out_str(o, ", ");
    }
    *first = 0;
    out_str(o, f->name);
    out_str(o, "=");
    if (!f->seq) {
        dump_value(d, f, slot);
        return;
    }
    const asdl_seq *seq = *(const asdl_seq *const *)slot;
    Py_ssize_t n = seq ? seq->size : 0;
    out_str(o, "[");
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i) {
            out_str(o, ", ");
        }
        if (f->kind == _PyAST_F_ENUM || f->kind == _PyAST_F_INT) {
            const asdl_int_seq *is = (const asdl_int_seq *)seq;
            dump_value(d, f, &is->typed_elements[i]);
        }
        else {
            dump_value(d, f, &seq->elements[i]);
        }
    }
    out_str(o, "]");
}

static void
dump_node(dumper *d, int type, const void *node)
{
    const _PyAST_TypeInfo *ti = &_PyAST_Types[type];
    const _PyAST_Cons *cons;
    if (ti->form == _PyAST_SUM) {
        cons = &ti->conses[*(const int *)node - 1];
    }
    else {
        cons = &ti->conses[0];
    }
    if (++d->depth > d->limit) {
        d->out.failed = 2;
        d->depth--;
        return;
    }
    outbuf *o = &d->out;
    out_str(o, cons->name);
    out_str(o, "(");
    int first = 1;
    for (int i = 0; i < cons->nfields; i++) {
        dump_field(d, &cons->fields[i], node, &first);
    }
    if (d->attrs) {
        for (int i = 0; i < ti->nattrs; i++) {
            dump_field(d, &ti->attrs[i], node, &first);
        }
    }
    out_str(o, ")");
    d->depth--;
}

char *
_PyAST_Dump(mod_ty mod, int include_attributes, _PySyntaxErrorInfo *err)
{
    dumper d;
    memset(&d, 0, sizeof(d));
    d.attrs = include_attributes;
    /* ast.parse converts the tree to objects with a depth limit of three
       times the recursion limit (1000), less the caller's frames. */
    d.limit = 2991;
    dump_node(&d, _PyAST_T_mod, mod);
    if (d.out.failed == 2) {
        free(d.out.data);
        memset(err, 0, sizeof(*err));
        err->type = "RecursionError";
        snprintf(err->msg, sizeof(err->msg),
                 "maximum recursion depth exceeded during ast construction");
        return NULL;
    }
    if (d.out.failed) {
        free(d.out.data);
        memset(err, 0, sizeof(*err));
        err->type = "MemoryError";
        return NULL;
    }
    if (d.out.data == NULL) {
        return calloc(1, 1);
    }
    return d.out.data;
}
