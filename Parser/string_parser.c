/* Literals: numbers, identifiers, strings, bytes and f-strings.
 *
 * Strings are decoded to "generalised UTF-8": every code point, lone
 * surrogates included, is written with the usual UTF-8 bit pattern, so a
 * later compiler can rebuild the exact str.  F-strings follow the 3.11
 * rules: the whole literal is one STRING token whose replacement fields
 * are found by scanning, and each field's expression is parsed by a
 * nested parser over "(expr)", placed at the field's real position.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pycore_parser_source.h"
#include "pycore_parser_state.h"

#define CHECK_ERROR() do { if (p->error) { return NULL; } } while (0)

/* ---------------------------------------------------------------------- */
/* A growable byte buffer (malloc'ed; copied to the arena when done). */

typedef struct {
    char *data;
    size_t len;
    size_t cap;
    char small[128];
} strbuf;

static void
sb_init(strbuf *b)
{
    b->data = b->small;
    b->len = 0;
    b->cap = sizeof(b->small);
}

static void
sb_free(strbuf *b)
{
    if (b->data != b->small) {
        free(b->data);
    }
    sb_init(b);
}

static int
sb_reserve(strbuf *b, size_t extra)
{
    if (b->len + extra <= b->cap) {
        return 0;
    }
    size_t cap = (b->len + extra) * 2;
    char *d = malloc(cap);
    if (d == NULL) {
        return -1;
    }
    memcpy(d, b->data, b->len);
    if (b->data != b->small) {
        free(b->data);
    }
    b->data = d;
    b->cap = cap;
    return 0;
}

static int
sb_add(strbuf *b, const char *s, size_t n)
{
    if (sb_reserve(b, n) < 0) {
        return -1;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 0;
}

static int
sb_addc(strbuf *b, char c)
{
    return sb_add(b, &c, 1);
}

/* Append code point CH in generalised UTF-8. */
static int
sb_add_cp(strbuf *b, unsigned int ch)
{
    char buf[4];
    int n;
    if (ch < 0x80) {
        buf[0] = (char)ch;
        n = 1;
    }
    else if (ch < 0x800) {
        buf[0] = (char)(0xC0 | (ch >> 6));
        buf[1] = (char)(0x80 | (ch & 0x3F));
        n = 2;
    }
    else if (ch < 0x10000) {
        buf[0] = (char)(0xE0 | (ch >> 12));
        buf[1] = (char)(0x80 | ((ch >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (ch & 0x3F));
        n = 3;
    }
    else {
        buf[0] = (char)(0xF0 | (ch >> 18));
        buf[1] = (char)(0x80 | ((ch >> 12) & 0x3F));
        buf[2] = (char)(0x80 | ((ch >> 6) & 0x3F));
        buf[3] = (char)(0x80 | (ch & 0x3F));
        n = 4;
    }
    return sb_add(b, buf, n);
}

/* ---------------------------------------------------------------------- */
/* Identifiers and numbers */

identifier
_PyParser_Identifier(_PyParser *p, _PyToken *t)
{
    size_t n = (size_t)(t->end - t->start);
    int ascii = 1;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)t->start[i] >= 0x80) {
            ascii = 0;
            break;
        }
    }
    identifier id;
    if (ascii) {
        id = _PyArena_Strndup(p->arena, t->start, n);
    }
    else {
        size_t m;
        char *norm = _PyParser_NormalizeNFKC(t->start, n, &m);
        if (norm == NULL) {
            return _PyParser_ErrorNoMem(p);
        }
        id = _PyArena_Strndup(p->arena, norm, m);
        free(norm);
    }
    if (id == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    return id;
}

static constant
new_constant(_PyParser *p, _PyConstKind kind)
{
    constant c = _PyArena_Malloc(p->arena, sizeof(*c));
    if (c == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    memset(c, 0, sizeof(*c));
    c->kind = kind;
    return c;
}

expr_ty
_PyParser_Number(_PyParser *p, _PyToken *t)
{
    size_t n = (size_t)(t->end - t->start);
    char *digits = _PyArena_Malloc(p->arena, n + 1);
    if (digits == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (t->start[i] != '_') {
            digits[m++] = t->start[i];
        }
    }
    digits[m] = '\0';
    constant c;
    char last = digits[m - 1];
    int base = 10;
    if (m > 1 && digits[0] == '0') {
        char k = digits[1];
        base = (k == 'x' || k == 'X') ? 16 : (k == 'o' || k == 'O') ? 8
               : (k == 'b' || k == 'B') ? 2 : 10;
    }
    if (last == 'j' || last == 'J') {
        c = new_constant(p, _PyConst_IMAG);
        CHECK_ERROR();
        digits[m - 1] = '\0';
        c->value = strtod(digits, NULL);
    }
    else if (base == 10 && (strpbrk(digits, ".eE") != NULL)) {
        c = new_constant(p, _PyConst_FLOAT);
        CHECK_ERROR();
        c->value = strtod(digits, NULL);
    }
    else {
        c = new_constant(p, _PyConst_INT);
        CHECK_ERROR();
        char *d = digits + (base == 10 ? 0 : 2);
        while (d[0] == '0' && d[1] != '\0') {
            d++;
        }
        for (char *q = d; *q; q++) {
            if (*q >= 'A' && *q <= 'F') {
                *q = (char)(*q - 'A' + 'a');
            }
        }
        c->base = base;
        c->data = d;
        c->size = (Py_ssize_t)strlen(d);
    }
    return _PyAST_Constant(c, NULL, t->lineno, t->col_offset, t->end_lineno,
                           t->end_col_offset, p->arena);
}

/* ---------------------------------------------------------------------- */
/* String tokens */

typedef struct {
    int bytes, raw, fstring, u;
    const char *body;       /* between the quotes */
    const char *body_end;
    int quote_size;
} strinfo;

static void
split_token(_PyToken *t, strinfo *si)
{
    memset(si, 0, sizeof(*si));
    const char *s = t->start;
    while (*s != '\'' && *s != '"') {
        switch (*s) {
        case 'b': case 'B': si->bytes = 1; break;
        case 'r': case 'R': si->raw = 1; break;
        case 'f': case 'F': si->fstring = 1; break;
        case 'u': si->u = 1; break;     /* only 'u' gives kind='u' */
        case 'U': break;
        }
        s++;
    }
    char q = *s;
    si->quote_size = (t->end - s >= 6 && s[1] == q && s[2] == q) ? 3 : 1;
    si->body = s + si->quote_size;
    si->body_end = t->end - si->quote_size;
}

static int
hexval(int c)
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

/* Errors found while decoding a literal are reported, like CPython, at
   the last token the parser has fetched (the one after the strings). */
static int
last_token_error(_PyParser *p, const char *fmt, const char *msg)
{
    _PyToken *last = p->tokens[p->fill - 1];
    _PyParser_ErrorAt(p, "SyntaxError", last->lineno, last->col_offset,
                      last->end_lineno, last->end_col_offset, fmt, msg);
    return -1;
}

/* Report a decoding error like CPython: "(unicode error) ...". */
static int
escape_error(_PyParser *p, const char *codec, int pos_from, int pos_to,
             const char *why)
{
    char msg[300];
    if (pos_to > pos_from) {
        snprintf(msg, sizeof(msg), "(%s error) '%s' codec can't decode bytes "
                 "in position %d-%d: %s", "unicode", codec, pos_from, pos_to,
                 why);
    }
    else {
        snprintf(msg, sizeof(msg), "(%s error) '%s' codec can't decode byte "
                 "in position %d: %s", "unicode", codec, pos_from, why);
    }
    return last_token_error(p, "%s", msg);
}

/* Decode the escapes of [S, E) into OUT (bytes when IS_BYTES).  Unknown
   escapes stay as they are; \N{...} asks the Unicode name database. */
static int
decode_escapes(_PyParser *p, const char *s, const char *e, int is_bytes,
               strbuf *out)
{
    const char *begin = s;
    while (s < e) {
        unsigned char c = (unsigned char)*s;
        if (c != '\\') {
            const char *q = s;
            while (q < e && *q != '\\') {
                q++;
            }
            if (sb_add(out, s, q - s) < 0) {
                return -1;
            }
            s = q;
            continue;
        }
        const char *esc = s;
        s++;
        if (s >= e) {
            /* a lone trailing backslash cannot occur in a valid token */
            if (sb_addc(out, '\\') < 0) {
                return -1;
            }
            break;
        }
        c = (unsigned char)*s++;
        unsigned int ch;
        switch (c) {
        case '\n': continue;
        case '\\': ch = '\\'; break;
        case '\'': ch = '\''; break;
        case '"': ch = '"'; break;
        case 'a': ch = 7; break;
        case 'b': ch = 8; break;
        case 'f': ch = 12; break;
        case 'n': ch = 10; break;
        case 'r': ch = 13; break;
        case 't': ch = 9; break;
        case 'v': ch = 11; break;
        case '0': case '1': case '2': case '3':
        case '4': case '5': case '6': case '7':
            ch = c - '0';
            if (s < e && *s >= '0' && *s <= '7') {
                ch = ch * 8 + (*s++ - '0');
                if (s < e && *s >= '0' && *s <= '7') {
                    ch = ch * 8 + (*s++ - '0');
                }
            }
            if (is_bytes) {
                ch &= 0xFF;
            }
            break;
        case 'x':
        case 'u':
        case 'U': {
            int count = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            if (is_bytes && c != 'x') {
                goto unknown;
            }
            ch = 0;
            int i;
            for (i = 0; i < count; i++) {
                int v = (s + i < e) ? hexval((unsigned char)s[i]) : -1;
                if (v < 0) {
                    break;
                }
                ch = ch * 16 + (unsigned)v;
            }
            if (i < count) {
                char why[64];
                snprintf(why, sizeof(why), "truncated \\%c%s escape", c,
                         c == 'x' ? "XX" : c == 'u' ? "XXXX" : "XXXXXXXX");
                if (is_bytes) {
                    char msg[200];
                    snprintf(msg, sizeof(msg), "(value error) invalid \\x "
                             "escape at position %d", (int)(esc - begin));
                    return last_token_error(p, "%s", msg);
                }
                return escape_error(p, "unicodeescape",
                                    (int)(esc - begin),
                                    (int)(s + i - begin) - 1, why);
            }
            s += count;
            if (ch > 0x10FFFF) {
                return escape_error(p, "unicodeescape",
                                    (int)(esc - begin),
                                    (int)(s - begin) - 1,
                                    "illegal Unicode character");
            }
            break;
        }
        case 'N':
            if (!is_bytes) {
                const char *close = NULL;
                if (s < e && *s == '{') {
                    close = memchr(s + 1, '}', e - (s + 1));
                }
                if (close == NULL || close == s + 1) {
                    /* CPython's range: to the N, to the end, or to the "{" of "{}" */
                    int to = s >= e || *s != '{' ? (int)(s - begin) - 1
                             : close == NULL ? (int)(e - begin) - 1
                             : (int)(s - begin);
                    return escape_error(p, "unicodeescape",
                                        (int)(esc - begin), to,
                                        "malformed \\N character escape");
                }
                if (!_PyParser_LookupUnicodeName(s + 1, close - (s + 1),
                                                 &ch)) {
                    return escape_error(p, "unicodeescape",
                                        (int)(esc - begin),
                                        (int)(close - begin),
                                        "unknown Unicode character name");
                }
                s = close + 1;
                break;
            }
            /* fall through */
        default:
        unknown:
            if (sb_addc(out, '\\') < 0) {
                return -1;
            }
            s--;
            continue;
        }
        if (is_bytes) {
            if (sb_addc(out, (char)ch) < 0) {
                return -1;
            }
        }
        else if (sb_add_cp(out, ch) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Source text is not checked for UTF-8 up front; like CPython, a string
   holding invalid bytes fails when decoded, located at the last token the
   parser fetched. */
static int
check_utf8(_PyParser *p, const char *s, const char *e)
{
    const char *why;
    int nbad;
    int pos = _PyParser_FindInvalidUTF8(s, e - s, &why, &nbad);
    if (pos < 0) {
        return 0;
    }
    char msg[200];
    _PyParser_FormatUTF8Error(msg, sizeof(msg), s, pos, nbad, why);
    return last_token_error(p, "%s", msg);
}

/* Decode a non-f-string token's body into OUT. */
static int
decode_token(_PyParser *p, strinfo *si, strbuf *out)
{
    if (si->bytes) {
        for (const char *q = si->body; q < si->body_end; q++) {
            if ((unsigned char)*q >= 0x80) {
                return last_token_error(p, "%s", "bytes can only contain "
                                        "ASCII literal characters");
            }
        }
    }
    else if (check_utf8(p, si->body, si->body_end) < 0) {
        return -1;
    }
    if (si->raw) {
        return sb_add(out, si->body, si->body_end - si->body);
    }
    return decode_escapes(p, si->body, si->body_end, si->bytes, out);
}

/* ---------------------------------------------------------------------- */
/* F-strings */

typedef struct {
    _PyParser *p;
    _PyPos pos;             /* the whole concatenation */
    _PyPos final_pos;       /* for the literal left at the end */
    int kind_u;
    _PySeqBuf values;
    strbuf lit;             /* literal text not yet emitted */
} fbuilder;

static expr_ty
make_str(_PyParser *p, const char *s, size_t n, _PyPos pos, int kind_u)
{
    constant c = new_constant(p, _PyConst_STR);
    CHECK_ERROR();
    char *d = _PyArena_Strndup(p->arena, s, n);
    if (d == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    c->data = d;
    c->size = (Py_ssize_t)n;
    string kind = NULL;
    if (kind_u) {
        kind = _PyArena_Strndup(p->arena, "u", 1);
    }
    return _PyAST_Constant(c, kind, pos.lineno, pos.col_offset,
                           pos.end_lineno, pos.end_col_offset, p->arena);
}

/* Emit the pending literal as a Constant.  CPython 3.11 places it at the
   whole concatenation when a replacement field follows, and at FINAL_POS
   (the token, inside a format spec) when it is what is left at the end. */
static int
flush_literal(fbuilder *fb, int final)
{
    if (fb->lit.len == 0) {
        return 0;
    }
    expr_ty c = make_str(fb->p, fb->lit.data, fb->lit.len,
                         final ? fb->final_pos : fb->pos,
                         fb->kind_u);
    fb->lit.len = 0;
    if (c == NULL) {
        return -1;
    }
    return _PyParser_SeqPush(fb->p, &fb->values, c);
}

/* Where in the source a position inside token T lies: line and byte
   column of pointer Q. */
static void
locate(_PyToken *t, const char *q, int *lineno, int *col)
{
    int line = t->lineno;
    const char *ls = NULL;
    for (const char *r = t->start; r < q; r++) {
        if (*r == '\n') {
            line++;
            ls = r + 1;
        }
    }
    *lineno = line;
    *col = ls ? (int)(q - ls) : t->col_offset + (int)(q - t->start);
}

static int fstring_body(_PyParser *p, _PyToken *t, strinfo *si,
                        const char **sp, const char *end, int level,
                        fbuilder *fb);

static int
fstring_error(_PyParser *p, const char *msg)
{
    return last_token_error(p, "%s", msg);
}

/* Scan a replacement field's expression from *SP (just after '{') to the
   '=', '!', ':' or '}' that ends it. */
static int
scan_expr(_PyParser *p, const char **sp, const char *end)
{
    const char *s = *sp;
    char quote = 0;
    int string_type = 0;
    char stack[_PyTOKENIZER_MAXLEVEL];
    int depth = 0;
    char msg[128];
    for (; s < end; s++) {
        char ch = *s;
        if (ch == '\\') {
            return fstring_error(p, "f-string expression part cannot "
                                 "include a backslash");
        }
        if (quote) {
            if (ch == quote) {
                if (string_type == 3) {
                    if (s + 2 < end && s[1] == ch && s[2] == ch) {
                        s += 2;
                        quote = 0;
                    }
                }
                else {
                    quote = 0;
                }
            }
            continue;
        }
        if (ch == '\'' || ch == '"') {
            if (s + 2 < end && s[1] == ch && s[2] == ch) {
                string_type = 3;
                s += 2;
            }
            else {
                string_type = 1;
            }
            quote = ch;
            continue;
        }
        if (ch == '[' || ch == '(' || ch == '{') {
            if (depth >= _PyTOKENIZER_MAXLEVEL) {
                return fstring_error(p, "f-string: too many nested "
                                     "parenthesis");
            }
            stack[depth++] = ch;
            continue;
        }
        if (ch == '#') {
            return fstring_error(p, "f-string expression part cannot "
                                 "include '#'");
        }
        if (depth == 0 && (ch == '!' || ch == ':' || ch == '}' || ch == '='
                           || ch == '>' || ch == '<')) {
            if (s + 1 < end && s[1] == '=' && ch != ':' && ch != '}') {
                s++;    /* !=, ==, <=, >= */
                continue;
            }
            if (ch == '>' || ch == '<') {
                continue;
            }
            break;
        }
        if (ch == ']' || ch == ')' || ch == '}') {
            if (depth == 0) {
                snprintf(msg, sizeof(msg), "f-string: unmatched '%c'", ch);
                return fstring_error(p, msg);
            }
            char open = stack[--depth];
            if (!((open == '(' && ch == ')') || (open == '[' && ch == ']')
                  || (open == '{' && ch == '}'))) {
                snprintf(msg, sizeof(msg), "f-string: closing parenthesis "
                         "'%c' does not match opening parenthesis '%c'", ch,
                         open);
                return fstring_error(p, msg);
            }
        }
    }
    if (quote) {
        return fstring_error(p, "f-string: unterminated string");
    }
    if (depth) {
        snprintf(msg, sizeof(msg), "f-string: unmatched '%c'",
                 stack[depth - 1]);
        return fstring_error(p, msg);
    }
    if (s >= end) {
        return fstring_error(p, "f-string: expecting '}'");
    }
    *sp = s;
    return 0;
}

/* A replacement field; *SP is just after its '{'. */
static int
fstring_field(_PyParser *p, _PyToken *t, strinfo *si, const char **sp,
              const char *end, int level, fbuilder *fb)
{
    if (level >= 2) {
        return fstring_error(p, "f-string: expressions nested too deeply");
    }
    const char *expr_start = *sp;
    const char *s = expr_start;
    if (scan_expr(p, &s, end) < 0) {
        return -1;
    }
    const char *expr_end = s;
    const char *q = expr_start;
    while (q < expr_end && (*q == ' ' || *q == '\t' || *q == '\n'
                            || *q == '\f' || *q == '\r')) {
        q++;
    }
    if (q == expr_end) {
        if (*expr_end == '}') {
            return fstring_error(p, "f-string: empty expression not "
                                 "allowed");
        }
        char msg[64];
        snprintf(msg, sizeof(msg), "f-string: expression required before "
                 "'%c'", *expr_end);
        return fstring_error(p, msg);
    }
    int lineno, col;
    locate(t, expr_start - 1, &lineno, &col);
    expr_ty value = _PyParser_FStringExpr(p, expr_start, expr_end, lineno,
                                          col, t);
    if (value == NULL) {
        return -1;
    }
    int conversion = -1;
    int debug = 0;
    if (*s == '=') {
        debug = 1;
        s++;
        while (s < end && (*s == ' ' || *s == '\t' || *s == '\n'
                           || *s == '\f' || *s == '\r' || *s == '\v')) {
            s++;
        }
        if (sb_add(&fb->lit, expr_start, s - expr_start) < 0) {
            _PyParser_ErrorNoMem(p);
            return -1;
        }
    }
    if (s < end && *s == '!') {
        s++;
        if (s >= end) {
            return fstring_error(p, "f-string: expecting '}'");
        }
        conversion = (unsigned char)*s++;
        if (conversion != 's' && conversion != 'r' && conversion != 'a') {
            return fstring_error(p, "f-string: invalid conversion "
                                 "character: expected 's', 'r', or 'a'");
        }
    }
    expr_ty spec = NULL;
    if (s < end && *s == ':') {
        s++;
        fbuilder sub;
        memset(&sub, 0, sizeof(sub));
        sub.p = p;
        /* 3.11 places a format spec's nodes at its own token */
        sub.pos = fb->pos;
        sub.final_pos.lineno = t->lineno;
        sub.final_pos.col_offset = t->col_offset;
        sub.final_pos.end_lineno = t->end_lineno;
        sub.final_pos.end_col_offset = t->end_col_offset;
        sb_init(&sub.lit);
        int r = fstring_body(p, t, si, &s, end, level + 1, &sub);
        if (r == 0) {
            r = flush_literal(&sub, 1);
        }
        sb_free(&sub.lit);
        if (r < 0) {
            return -1;
        }
        spec = _PyAST_JoinedStr(
            (asdl_expr_seq *)_PyParser_SeqFinish(p, &sub.values),
            sub.final_pos.lineno, sub.final_pos.col_offset,
            sub.final_pos.end_lineno, sub.final_pos.end_col_offset,
            p->arena);
        if (spec == NULL) {
            return -1;
        }
    }
    if (s >= end || *s != '}') {
        return fstring_error(p, "f-string: expecting '}'");
    }
    s++;
    if (debug && conversion == -1 && spec == NULL) {
        conversion = 'r';
    }
    if (flush_literal(fb, 0) < 0) {
        return -1;
    }
    expr_ty fv = _PyAST_FormattedValue(value, conversion, spec,
                                       fb->pos.lineno, fb->pos.col_offset,
                                       fb->pos.end_lineno,
                                       fb->pos.end_col_offset, p->arena);
    if (fv == NULL || _PyParser_SeqPush(p, &fb->values, fv) < 0) {
        return -1;
    }
    *sp = s;
    return 0;
}

/* Literal text and fields from *SP up to END (level 0) or to the '}'
   closing a format spec (level > 0, not consumed). */
static int
fstring_body(_PyParser *p, _PyToken *t, strinfo *si, const char **sp,
             const char *end, int level, fbuilder *fb)
{
    const char *s = *sp;
    while (s < end) {
        /* find the end of the literal part */
        const char *lit = s;
        const char *lit_end;
        int resume_skip = 0;
        while (s < end) {
            char ch = *s;
            if (!si->raw && ch == '\\' && s + 1 < end && s[1] != '{'
                && s[1] != '}') {
                /* an escape; a backslash before a brace stays a literal
                   backslash and the brace keeps its meaning */
                if (s[1] == 'N' && s + 2 < end && s[2] == '{') {
                    const char *close = memchr(s + 3, '}', end - (s + 3));
                    s = close ? close + 1 : end;
                    continue;
                }
                s += 2;
                continue;
            }
            if (ch == '{' || ch == '}') {
                if (level == 0) {
                    if (s + 1 < end && s[1] == ch) {
                        s++;            /* keep one brace */
                        resume_skip = 1;
                        break;
                    }
                    if (ch == '}') {
                        return fstring_error(p, "f-string: single '}' is "
                                             "not allowed");
                    }
                }
                break;
            }
            s++;
        }
        lit_end = s;
        if (check_utf8(p, lit, lit_end) < 0) {
            return -1;
        }
        if (lit_end > lit) {
            int r = si->raw ? sb_add(&fb->lit, lit, lit_end - lit)
                            : decode_escapes(p, lit, lit_end, 0, &fb->lit);
            if (r < 0) {
                if (!p->error) {
                    _PyParser_ErrorNoMem(p);
                }
                return -1;
            }
        }
        if (resume_skip) {
            s++;
            continue;
        }
        if (s >= end) {
            break;
        }
        if (*s == '}') {
            break;      /* end of a format spec */
        }
        s++;            /* '{' */
        if (fstring_field(p, t, si, &s, end, level, fb) < 0) {
            return -1;
        }
    }
    *sp = s;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Concatenation */

expr_ty
_PyParser_ConcatenateStrings(_PyParser *p, int first, int last)
{
    _PyPos pos = {
        p->tokens[first]->lineno, p->tokens[first]->col_offset,
        p->tokens[last]->end_lineno, p->tokens[last]->end_col_offset
    };
    int has_f = 0, n_bytes = 0;
    strinfo si;
    for (int i = first; i <= last; i++) {
        split_token(p->tokens[i], &si);
        has_f |= si.fstring;
        n_bytes += si.bytes;
    }
    split_token(p->tokens[first], &si);
    int kind_u = si.u;
    int first_bytes = si.bytes;
    fbuilder fb;
    memset(&fb, 0, sizeof(fb));
    fb.p = p;
    fb.pos = pos;
    fb.final_pos = pos;
    fb.kind_u = kind_u;
    sb_init(&fb.lit);
    expr_ty res = NULL;
    for (int i = first; i <= last; i++) {
        _PyToken *t = p->tokens[i];
        split_token(t, &si);
        if (si.bytes != first_bytes) {
            /* checked token by token: an error in an earlier f-string
               comes first */
            last_token_error(p, "%s", "cannot mix bytes and nonbytes "
                             "literals");
            goto done;
        }
        int r;
        if (si.fstring) {
            const char *s = si.body;
            r = fstring_body(p, t, &si, &s, si.body_end, 0, &fb);
        }
        else {
            r = decode_token(p, &si, &fb.lit);
            if (r < 0 && !p->error) {
                _PyParser_ErrorNoMem(p);
            }
        }
        if (r < 0) {
            goto done;
        }
    }
    if (!has_f) {
        constant c = new_constant(p, n_bytes ? _PyConst_BYTES : _PyConst_STR);
        if (c == NULL) {
            goto done;
        }
        char *d = _PyArena_Strndup(p->arena, fb.lit.data, fb.lit.len);
        if (d == NULL) {
            _PyParser_ErrorNoMem(p);
            goto done;
        }
        c->data = d;
        c->size = (Py_ssize_t)fb.lit.len;
        string kind = kind_u ? _PyArena_Strndup(p->arena, "u", 1) : NULL;
        res = _PyAST_Constant(c, kind, pos.lineno, pos.col_offset,
                              pos.end_lineno, pos.end_col_offset, p->arena);
        goto done;
    }
    if (flush_literal(&fb, 1) < 0) {
        goto done;
    }
    res = _PyAST_JoinedStr((asdl_expr_seq *)_PyParser_SeqFinish(p, &fb.values),
                           pos.lineno, pos.col_offset, pos.end_lineno,
                           pos.end_col_offset, p->arena);
  done:
    sb_free(&fb.lit);
    if (p->error) {
        return NULL;
    }
    if (res == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    return res;
}

/* strings: STRING+ */
expr_ty
_PyParser_Strings(_PyParser *p)
{
    int first = p->mark;
    while (_PyParser_Peek(p)->type == TOK_STRING && !p->error) {
        p->mark++;
    }
    CHECK_ERROR();
    if (p->mark == first) {
        return NULL;
    }
    return _PyParser_ConcatenateStrings(p, first, p->mark - 1);
}

/* ---------------------------------------------------------------------- */
/* F-string expressions */

expr_ty
_PyParser_FStringExpr(_PyParser *p, const char *start, const char *end,
                      int lineno, int col, _PyToken *t)
{
    size_t n = (size_t)(end - start);
    char *buf = malloc(n + 4);
    if (buf == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    buf[0] = '(';
    memcpy(buf + 1, start, n);
    buf[n + 1] = ')';
    buf[n + 2] = '\n';
    buf[n + 3] = '\0';
    _PyTokenizer tok;
    _PyTokenizer_Init(&tok, buf, n + 3, p->err);
    tok.lineno = lineno;
    tok.first_lineno = lineno;
    tok.col_shift = col;
    tok.in_fstring_expr = 1;
    _PyParser sub;
    memset(&sub, 0, sizeof(sub));
    sub.tok = &tok;
    sub.arena = p->arena;
    sub.err = p->err;
    sub.source = buf;
    sub.source_end = buf + n + 3;
    sub.level = p->level;
    sub.stack_base = p->stack_base;
    /* CPython 3.11 reports the errors this parser raises with "f-string: "
       before the message and columns counted from the field's '{' (or
       from the string token when a newline follows the brace) */
    const char *q = start;
    while (*q == ' ' || *q == '\t' || *q == '\f') {
        q++;
    }
    sub.fstring_expr = 1;
    sub.fstring_col_base = *q == '\n' ? t->col_offset : col;
    sub.byte_offsets = 1;
    expr_ty e = _PyParser_StarExpressions(&sub);
    if (e == NULL && !sub.error) {
        /* report like CPython: "f-string: invalid syntax" */
        int last_fill = sub.fill;
        sub.mark = 0;
        sub.invalid_pass = 1;
        sub.second_pass = 1;
        _PyParser_StarExpressions(&sub);
        if (!sub.error) {
            _PyToken *lt = sub.tokens[last_fill - 1];
            _PyParser_ErrorAt(&sub, "SyntaxError", lt->lineno, lt->col_offset,
                              lt->end_lineno, lt->end_col_offset,
                              "invalid syntax");
        }
    }
    _PyParser_MemoFree(&sub);
    free(sub.tokens);
    free(buf);
    if (sub.error) {
        p->error = 1;
        return NULL;
    }
    return e;
}
