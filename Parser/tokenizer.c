/* Tokenizer for Python 3.11 source.
 *
 * Works on a whole buffer of UTF-8 text with '\n' line ends (see
 * Parser/source.c for decoding).  Line numbers advance lazily, when the
 * first character of the next line is read, so that a token ending a line
 * (NEWLINE, an unterminated string) still reports the line it is on, as
 * CPython's line-at-a-time tokenizer does.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pycore_parser_source.h"
#include "pycore_tokenizer.h"

#define EOF_CHAR (-1)
#define TABSIZE 8

static const char *const token_texts[] = {
#define TEXT(name, text) text,
    _PyTOKEN_LIST(TEXT)
#undef TEXT
};

static const char *const token_names[] = {
#define NAME(name, text) #name,
    _PyTOKEN_LIST(NAME)
#undef NAME
};

static const char *const keyword_texts[] = {
    NULL,
#define TEXT(name, text) text,
    _PyKEYWORD_LIST(TEXT)
#undef TEXT
};

const char *
_PyToken_Text(int type)
{
    return (type >= 0 && type < TOK_N_TYPES) ? token_texts[type] : NULL;
}

const char *
_PyToken_Name(int type)
{
    return (type >= 0 && type < TOK_N_TYPES) ? token_names[type] : "?";
}

const char *
_PyKeyword_Text(int kw)
{
    return (kw > 0 && kw < KW_N_KEYWORDS) ? keyword_texts[kw] : NULL;
}

int
_PyTokenizer_CharCount(const char *from, const char *to)
{
    int n = 0;
    for (const char *p = from; p < to; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

unsigned int
_PyTokenizer_DecodeUTF8(const char **pp, const char *end)
{
    const unsigned char *p = (const unsigned char *)*pp;
    unsigned int c = p[0];
    int n = 0;
    if (c < 0x80) {
        n = 0;
    }
    else if (c >= 0xC0 && c < 0xE0) {
        n = 1;
        c &= 0x1F;
    }
    else if (c >= 0xE0 && c < 0xF0) {
        n = 2;
        c &= 0x0F;
    }
    else if (c >= 0xF0 && c < 0xF8) {
        n = 3;
        c &= 0x07;
    }
    if ((const char *)p + n >= end + 1) {
        n = 0;
    }
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *pp += 1;
            return p[0];
        }
        c = (c << 6) | (p[i] & 0x3F);
    }
    *pp += n + 1;
    return c;
}

static const char *
line_end_of(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', end - p);
    return nl ? nl + 1 : end;
}

void
_PyTokenizer_Init(_PyTokenizer *tok, const char *buf, size_t len,
                  _PySyntaxErrorInfo *err)
{
    memset(tok, 0, sizeof(*tok));
    tok->buf = buf;
    tok->end = buf + len;
    tok->cur = buf;
    tok->line_start = buf;
    tok->line_end = line_end_of(buf, tok->end);
    tok->lineno = 1;
    tok->first_lineno = 1;
    tok->atbol = 1;
    tok->last_type = -1;
    tok->err = err;
}

static char *
copy_line(const char *line_start, const char *bufend)
{
    const char *e = line_end_of(line_start, bufend);
    size_t n = e - line_start;
    char *s = malloc(n + 1);
    if (s != NULL) {
        memcpy(s, line_start, n);
        s[n] = '\0';
    }
    return s;
}

static void
fill_error(_PySyntaxErrorInfo *err, const char *type, const char *msg,
           int lineno, int offset, int end_lineno, int end_offset)
{
    err->type = type;
    snprintf(err->msg, sizeof(err->msg), "%s", msg);
    err->lineno = lineno;
    err->offset = offset;
    err->end_lineno = end_lineno;
    err->end_offset = end_offset;
}

void
_PyTokenizer_SetError(_PySyntaxErrorInfo *err, const char *type,
                      const char *msg, int lineno, const char *line_start,
                      int col, int end_lineno, const char *end_line_start,
                      int end_col)
{
    int offset = col < 0 ? col + 1
                 : _PyTokenizer_CharCount(line_start, line_start + col) + 1;
    int end_offset = end_col < 0 ? end_col + 1
                     : _PyTokenizer_CharCount(end_line_start,
                                              end_line_start + end_col) + 1;
    fill_error(err, type, msg, lineno, offset, end_lineno, end_offset);
}

/* Error whose start and end are the same 1-based character offset,
   counted as the characters before P on the current line. */
static int
error_at(_PyTokenizer *tok, const char *type, const char *msg, const char *p)
{
    int off = _PyTokenizer_CharCount(tok->line_start, p);
    fill_error(tok->err, type, msg, tok->lineno, off, tok->lineno, off);
    free(tok->err->text);
    tok->err->text = copy_line(tok->line_start, tok->end);
    tok->done = _PyTOK_ERROR;
    return TOK_ERRORTOKEN;
}

static int
syntax_error(_PyTokenizer *tok, const char *msg)
{
    return error_at(tok, "SyntaxError", msg, tok->cur);
}

/* Error spanning [START, END] on the current line.  CPython passes such
   ranges as byte columns (+1), unlike the character offsets of its other
   tokenizer errors. */
static int
syntax_error_range(_PyTokenizer *tok, const char *msg, const char *start,
                   const char *end)
{
    int off = (int)(start - tok->line_start) + 1;
    int end_off = (int)(end - tok->line_start) + 1;
    fill_error(tok->err, "SyntaxError", msg, tok->lineno, off, tok->lineno,
               end_off);
    free(tok->err->text);
    tok->err->text = copy_line(tok->line_start, tok->end);
    tok->done = _PyTOK_ERROR;
    return TOK_ERRORTOKEN;
}

static int
nextc(_PyTokenizer *tok)
{
    if (tok->cur == tok->line_end) {
        if (tok->cur >= tok->end) {
            tok->done = tok->done == _PyTOK_ERROR ? _PyTOK_ERROR : _PyTOK_EOF;
            return EOF_CHAR;
        }
        tok->line_start = tok->cur;
        tok->line_end = line_end_of(tok->cur, tok->end);
        tok->lineno++;
    }
    return (unsigned char)*tok->cur++;
}

static void
backup(_PyTokenizer *tok, int c)
{
    if (c != EOF_CHAR) {
        tok->cur--;
    }
}

static int
is_potential_identifier_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
           || c >= 128;
}

static int
is_potential_identifier_char(int c)
{
    return is_potential_identifier_start(c) || (c >= '0' && c <= '9');
}

static int
is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Byte column of P on the current line; the buffer's first line may be
   shifted (f-string expressions sit inside a line of the real source). */
static int
column(_PyTokenizer *tok, const char *p)
{
    int shift = tok->line_start == tok->buf ? tok->col_shift : 0;
    return (int)(p - tok->line_start) + shift;
}

static int
make_token(_PyTokenizer *tok, _PyToken *t, int type, const char *start,
           const char *end, int lineno, const char *line_start)
{
    t->type = type;
    t->kw = 0;
    t->start = start;
    t->end = end;
    t->lineno = lineno;
    t->line_start = line_start;
    /* the shift applies when the token ends on the first line (CPython
       decides by the tokenizer's line after the token) */
    int shift = (tok->line_start == tok->buf) ? tok->col_shift : 0;
    t->col_offset = start ? (int)(start - line_start) + shift : -1;
    t->end_lineno = tok->lineno;
    t->end_col_offset = end ? column(tok, end) : -1;
    t->level = tok->level;
    return type;
}

/* Errors that CPython's tokenizer only signals by a status are turned
   into exceptions by its parser, which counts bytes unless the source
   declared its encoding: the offset just before P. */
static int
status_offset(_PyTokenizer *tok, const char *p)
{
    if (tok->byte_offsets) {
        return (int)(p - tok->line_start);
    }
    return _PyTokenizer_CharCount(tok->line_start, p);
}

/* ---------------------------------------------------------------------- */
/* Identifiers */

static int
identifier_error(_PyTokenizer *tok, const char *bad, const char *after)
{
    const char *p = bad;
    unsigned int ch = _PyTokenizer_DecodeUTF8(&p, tok->end);
    char msg[128];
    if (_PyParser_IsPrintable(ch)) {
        snprintf(msg, sizeof(msg), "invalid character '%.*s' (U+%04X)",
                 (int)(after - bad), bad, ch);
    }
    else {
        snprintf(msg, sizeof(msg), "invalid non-printable character U+%04X",
                 ch);
    }
    tok->cur = after;
    return syntax_error(tok, msg);
}

/* Check a NAME holding non-ASCII characters as CPython does: the first
   character must be XID_Start (or '_') and the others XID_Continue, on
   the text as written (NFKC comes later, in the parser). */
static int
verify_identifier(_PyTokenizer *tok, const char *start, const char *end)
{
    const char *why;
    int nbad;
    int bad = _PyParser_FindInvalidUTF8(start, end - start, &why, &nbad);
    if (bad >= 0) {
        /* CPython's parser reports this decoding status at the end of the
           name */
        char msg[200];
        _PyParser_FormatUTF8Error(msg, sizeof(msg), start, bad, nbad, why);
        fill_error(tok->err, "SyntaxError", msg, tok->lineno,
                   status_offset(tok, end), tok->lineno, -1);
        tok->done = _PyTOK_ERROR;
        tok->decode_error = 1;
        return TOK_ERRORTOKEN;
    }
    const char *p = start;
    int first = 1;
    while (p < end) {
        const char *q = p;
        unsigned int ch = _PyTokenizer_DecodeUTF8(&q, end);
        int ok = first ? (ch == '_' || _PyParser_IsXidStart(ch))
                       : _PyParser_IsXidContinue(ch);
        if (!ok) {
            return identifier_error(tok, p, q);
        }
        first = 0;
        p = q;
    }
    return 0;
}

static int
lookup_keyword(const char *s, size_t n)
{
    for (int kw = 1; kw < KW_N_KEYWORDS; kw++) {
        const char *k = keyword_texts[kw];
        if (strlen(k) == n && memcmp(k, s, n) == 0) {
            return kw;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Numbers */

/* A number directly followed by a name is an error unless the name is a
   keyword that may follow a number ("1if x else y" is still accepted in
   3.11, with a warning). */
static int
lookahead(_PyTokenizer *tok, const char *test)
{
    const char *s = test;
    const char *save = tok->cur;
    int res = 0;
    while (1) {
        int c = nextc(tok);
        if (*s == 0) {
            res = !is_potential_identifier_char(c);
            break;
        }
        if (c != *s) {
            break;
        }
        s++;
    }
    tok->cur = save;
    return res;
}

static int
verify_end_of_number(_PyTokenizer *tok, int c, const char *kind)
{
    int r = 0;
    if (c == 'a') {
        r = lookahead(tok, "nd");
    }
    else if (c == 'e') {
        r = lookahead(tok, "lse");
    }
    else if (c == 'f') {
        r = lookahead(tok, "or");
    }
    else if (c == 'i') {
        int c2 = nextc(tok);
        if (c2 == 'f' || c2 == 'n' || c2 == 's') {
            r = 1;
        }
        backup(tok, c2);
    }
    else if (c == 'o') {
        r = lookahead(tok, "r");
    }
    else if (c == 'n') {
        r = lookahead(tok, "ot");
    }
    if (r) {
        backup(tok, c);
        return 1;
    }
    if (is_potential_identifier_char(c)) {
        char msg[64];
        snprintf(msg, sizeof(msg), "invalid %s literal", kind);
        backup(tok, c);
        syntax_error(tok, msg);
        return 0;
    }
    backup(tok, c);
    return 1;
}

/* Read digits and single underscores between them; return the first
   character after them, or 0 after reporting an error. */
static int
decimal_tail(_PyTokenizer *tok)
{
    int c;
    while (1) {
        do {
            c = nextc(tok);
        } while (is_digit(c));
        if (c != '_') {
            break;
        }
        c = nextc(tok);
        if (!is_digit(c)) {
            backup(tok, c);
            syntax_error(tok, "invalid decimal literal");
            return 0;
        }
    }
    return c;
}

static int
is_hex(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int
radix_number(_PyTokenizer *tok, _PyToken *t, int radix)
{
    const char *kind = radix == 16 ? "hexadecimal"
                       : radix == 8 ? "octal" : "binary";
    int c = nextc(tok);
    do {
        if (c == '_') {
            c = nextc(tok);
        }
        int ok = radix == 16 ? is_hex(c)
                 : radix == 8 ? (c >= '0' && c <= '7')
                 : (c == '0' || c == '1');
        if (!ok) {
            if (radix != 16 && is_digit(c)) {
                char msg[64];
                snprintf(msg, sizeof(msg), "invalid digit '%c' in %s literal",
                         c, kind);
                return syntax_error(tok, msg);
            }
            backup(tok, c);
            char msg[64];
            snprintf(msg, sizeof(msg), "invalid %s literal", kind);
            return syntax_error(tok, msg);
        }
        do {
            c = nextc(tok);
            ok = radix == 16 ? is_hex(c)
                 : radix == 8 ? (c >= '0' && c <= '7')
                 : (c == '0' || c == '1');
        } while (ok);
    } while (c == '_');
    if (radix != 16 && is_digit(c)) {
        char msg[64];
        snprintf(msg, sizeof(msg), "invalid digit '%c' in %s literal", c,
                 kind);
        return syntax_error(tok, msg);
    }
    if (!verify_end_of_number(tok, c, kind)) {
        return TOK_ERRORTOKEN;
    }
    return make_token(tok, t, TOK_NUMBER, tok->tok_start, tok->cur,
                      tok->lineno, tok->line_start);
}

/* Fraction, exponent and imaginary suffix after the integer part; C is
   the first character after it. */
static int
number_rest(_PyTokenizer *tok, _PyToken *t, int c)
{
    if (c == '.') {
        c = nextc(tok);
        if (is_digit(c)) {
            c = decimal_tail(tok);
            if (c == 0) {
                return TOK_ERRORTOKEN;
            }
        }
    }
    if (c == 'e' || c == 'E') {
        int e = c;
        c = nextc(tok);
        if (c == '+' || c == '-') {
            c = nextc(tok);
            if (!is_digit(c)) {
                backup(tok, c);
                return syntax_error(tok, "invalid decimal literal");
            }
        }
        else if (!is_digit(c)) {
            backup(tok, c);
            if (!verify_end_of_number(tok, e, "decimal")) {
                return TOK_ERRORTOKEN;
            }
            return make_token(tok, t, TOK_NUMBER, tok->tok_start, tok->cur,
                              tok->lineno, tok->line_start);
        }
        c = decimal_tail(tok);
        if (c == 0) {
            return TOK_ERRORTOKEN;
        }
    }
    if (c == 'j' || c == 'J') {
        c = nextc(tok);
        if (!verify_end_of_number(tok, c, "imaginary")) {
            return TOK_ERRORTOKEN;
        }
    }
    else if (!verify_end_of_number(tok, c, "decimal")) {
        return TOK_ERRORTOKEN;
    }
    return make_token(tok, t, TOK_NUMBER, tok->tok_start, tok->cur,
                      tok->lineno, tok->line_start);
}

static int
number(_PyTokenizer *tok, _PyToken *t, int c)
{
    if (c == '0') {
        c = nextc(tok);
        if (c == 'x' || c == 'X') {
            return radix_number(tok, t, 16);
        }
        if (c == 'o' || c == 'O') {
            return radix_number(tok, t, 8);
        }
        if (c == 'b' || c == 'B') {
            return radix_number(tok, t, 2);
        }
        int nonzero = 0;
        while (1) {
            if (c == '_') {
                c = nextc(tok);
                if (!is_digit(c)) {
                    backup(tok, c);
                    return syntax_error(tok, "invalid decimal literal");
                }
            }
            if (c != '0') {
                break;
            }
            c = nextc(tok);
        }
        const char *zeros_end = tok->cur;
        if (is_digit(c)) {
            nonzero = 1;
            c = decimal_tail(tok);
            if (c == 0) {
                return TOK_ERRORTOKEN;
            }
        }
        if (c == '.' || c == 'e' || c == 'E' || c == 'j' || c == 'J') {
            return number_rest(tok, t, c);
        }
        if (nonzero) {
            backup(tok, c);
            return syntax_error_range(
                tok, "leading zeros in decimal integer literals are not "
                "permitted; use an 0o prefix for octal integers",
                tok->tok_start, zeros_end - 1);
        }
        if (!verify_end_of_number(tok, c, "decimal")) {
            return TOK_ERRORTOKEN;
        }
        return make_token(tok, t, TOK_NUMBER, tok->tok_start, tok->cur,
                          tok->lineno, tok->line_start);
    }
    c = decimal_tail(tok);
    if (c == 0) {
        return TOK_ERRORTOKEN;
    }
    return number_rest(tok, t, c);
}

/* ---------------------------------------------------------------------- */
/* Strings */

static int
string_token(_PyTokenizer *tok, _PyToken *t, int quote)
{
    int start_lineno = tok->lineno;
    const char *start_line = tok->line_start;
    int quote_size = 1;
    int end_quote_size = 0;
    int c = nextc(tok);
    if (c == quote) {
        c = nextc(tok);
        if (c == quote) {
            quote_size = 3;
        }
        else {
            end_quote_size = 1;     /* empty string */
        }
    }
    if (c != quote) {
        backup(tok, c);
    }
    while (end_quote_size != quote_size) {
        c = nextc(tok);
        if (c == EOF_CHAR || (quote_size == 1 && c == '\n')) {
            char msg[128];
            int detected = tok->lineno;
            tok->cur = tok->tok_start;
            tok->cur++;
            tok->line_start = start_line;
            tok->lineno = start_lineno;
            if (quote_size == 3) {
                snprintf(msg, sizeof(msg), "unterminated triple-quoted string "
                         "literal (detected at line %d)", detected);
            }
            else {
                snprintf(msg, sizeof(msg), "unterminated string literal "
                         "(detected at line %d)", detected);
            }
            int r = error_at(tok, "SyntaxError", msg, tok->tok_start + 1);
            tok->string_at_eof = c == EOF_CHAR;
            /* the line is the one where the string starts */
            return r;
        }
        if (c == quote) {
            end_quote_size++;
        }
        else {
            end_quote_size = 0;
            if (c == '\\') {
                nextc(tok);
            }
        }
    }
    return make_token(tok, t, TOK_STRING, tok->tok_start, tok->cur,
                      start_lineno, start_line);
}

/* ---------------------------------------------------------------------- */
/* Operators */

static int
two_char(int c1, int c2)
{
    switch (c1) {
    case '!': return c2 == '=' ? TOK_NOTEQUAL : TOK_OP;
    case '%': return c2 == '=' ? TOK_PERCENTEQUAL : TOK_OP;
    case '&': return c2 == '=' ? TOK_AMPEREQUAL : TOK_OP;
    case '*':
        return c2 == '*' ? TOK_DOUBLESTAR : c2 == '=' ? TOK_STAREQUAL : TOK_OP;
    case '+': return c2 == '=' ? TOK_PLUSEQUAL : TOK_OP;
    case '-':
        return c2 == '=' ? TOK_MINEQUAL : c2 == '>' ? TOK_RARROW : TOK_OP;
    case '/':
        return c2 == '/' ? TOK_DOUBLESLASH : c2 == '=' ? TOK_SLASHEQUAL
               : TOK_OP;
    case ':': return c2 == '=' ? TOK_COLONEQUAL : TOK_OP;
    case '<':
        return c2 == '<' ? TOK_LEFTSHIFT : c2 == '=' ? TOK_LESSEQUAL
               : c2 == '>' ? TOK_NOTEQUAL : TOK_OP;
    case '=': return c2 == '=' ? TOK_EQEQUAL : TOK_OP;
    case '>':
        return c2 == '=' ? TOK_GREATEREQUAL : c2 == '>' ? TOK_RIGHTSHIFT
               : TOK_OP;
    case '@': return c2 == '=' ? TOK_ATEQUAL : TOK_OP;
    case '^': return c2 == '=' ? TOK_CIRCUMFLEXEQUAL : TOK_OP;
    case '|': return c2 == '=' ? TOK_VBAREQUAL : TOK_OP;
    }
    return TOK_OP;
}

static int
three_char(int c1, int c2, int c3)
{
    if (c3 != '=') {
        if (c1 == '.' && c2 == '.' && c3 == '.') {
            return TOK_ELLIPSIS;
        }
        return TOK_OP;
    }
    if (c1 == '*' && c2 == '*') {
        return TOK_DOUBLESTAREQUAL;
    }
    if (c1 == '/' && c2 == '/') {
        return TOK_DOUBLESLASHEQUAL;
    }
    if (c1 == '<' && c2 == '<') {
        return TOK_LEFTSHIFTEQUAL;
    }
    if (c1 == '>' && c2 == '>') {
        return TOK_RIGHTSHIFTEQUAL;
    }
    return TOK_OP;
}

static int
one_char(int c)
{
    switch (c) {
    case '%': return TOK_PERCENT;
    case '&': return TOK_AMPER;
    case '(': return TOK_LPAR;
    case ')': return TOK_RPAR;
    case '*': return TOK_STAR;
    case '+': return TOK_PLUS;
    case ',': return TOK_COMMA;
    case '-': return TOK_MINUS;
    case '.': return TOK_DOT;
    case '/': return TOK_SLASH;
    case ':': return TOK_COLON;
    case ';': return TOK_SEMI;
    case '<': return TOK_LESS;
    case '=': return TOK_EQUAL;
    case '>': return TOK_GREATER;
    case '@': return TOK_AT;
    case '[': return TOK_LSQB;
    case ']': return TOK_RSQB;
    case '^': return TOK_CIRCUMFLEX;
    case '{': return TOK_LBRACE;
    case '|': return TOK_VBAR;
    case '}': return TOK_RBRACE;
    case '~': return TOK_TILDE;
    }
    return TOK_OP;
}

static int
bracket(_PyTokenizer *tok, int c)
{
    char msg[160];
    switch (c) {
    case '(':
    case '[':
    case '{':
        if (tok->level >= _PyTOKENIZER_MAXLEVEL) {
            return syntax_error(tok, "too many nested parentheses");
        }
        tok->parenstack[tok->level] = (char)c;
        tok->parenlinenostack[tok->level] = tok->lineno;
        tok->parencolstack[tok->level] = (int)(tok->tok_start
                                               - tok->line_start);
        tok->level++;
        break;
    case ')':
    case ']':
    case '}':
        if (tok->level == 0) {
            snprintf(msg, sizeof(msg), "unmatched '%c'", c);
            return syntax_error(tok, msg);
        }
        tok->level--;
        int opening = tok->parenstack[tok->level];
        if (!((opening == '(' && c == ')') || (opening == '[' && c == ']')
              || (opening == '{' && c == '}'))) {
            if (tok->parenlinenostack[tok->level] != tok->lineno) {
                snprintf(msg, sizeof(msg), "closing parenthesis '%c' does "
                         "not match opening parenthesis '%c' on line %d", c,
                         opening, tok->parenlinenostack[tok->level]);
            }
            else {
                snprintf(msg, sizeof(msg), "closing parenthesis '%c' does "
                         "not match opening parenthesis '%c'", c, opening);
            }
            return syntax_error(tok, msg);
        }
        break;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Indentation */

/* CPython reports indentation errors from the tokenizer with the whole
   line consumed: a TabError at (line, 1) ending at 0, the others at the
   end of the line with no end. */
static int
indentation_error(_PyTokenizer *tok, const char *type, const char *msg)
{
    int off = 1, end_off = 0;
    if (strcmp(type, "TabError") != 0) {
        off = status_offset(tok, tok->line_end);
        end_off = -1;
    }
    fill_error(tok->err, type, msg, tok->lineno, off, tok->lineno, end_off);
    tok->error_is_status = 1;
    free(tok->err->text);
    tok->err->text = copy_line(tok->line_start, tok->end);
    tok->done = _PyTOK_ERROR;
    return TOK_ERRORTOKEN;
}

static int line_continuation(_PyTokenizer *tok);

/* Called at the beginning of a logical line outside brackets: measure the
   indentation with tabs as 8 columns and as 1, and compare both with the
   stack; the two measures must agree or the file mixes tabs and spaces
   ambiguously (TabError). */
static int
indentation(_PyTokenizer *tok)
{
    int col = 0, altcol = 0, c;
    int cont_col = -1;
    while (1) {
        c = nextc(tok);
        if (c == ' ') {
            col++;
            altcol++;
        }
        else if (c == '\t') {
            col = (col / TABSIZE + 1) * TABSIZE;
            altcol++;
        }
        else if (c == '\014') {
            col = altcol = 0;
        }
        else if (c == '\\') {
            /* indentation cannot be split with backslashes: the column of
               the first one is the line's indentation */
            if (cont_col < 0) {
                cont_col = col;
            }
            if (line_continuation(tok) != 0) {
                return TOK_ERRORTOKEN;
            }
        }
        else {
            break;
        }
    }
    backup(tok, c);
    if (c == '#' || c == '\n' || c == '\r') {
        return 0;       /* blank or comment-only line: no effect */
    }
    if (tok->level != 0) {
        return 0;
    }
    if (cont_col >= 0) {
        col = altcol = cont_col;
    }
    if (col == tok->indstack[tok->indent]) {
        if (altcol != tok->altindstack[tok->indent]) {
            return indentation_error(tok, "TabError", "inconsistent use of "
                                     "tabs and spaces in indentation");
        }
    }
    else if (col > tok->indstack[tok->indent]) {
        if (tok->indent + 1 >= _PyTOKENIZER_MAXINDENT) {
            return indentation_error(tok, "IndentationError",
                                     "too many levels of indentation");
        }
        if (altcol <= tok->altindstack[tok->indent]) {
            return indentation_error(tok, "TabError", "inconsistent use of "
                                     "tabs and spaces in indentation");
        }
        tok->pendin++;
        tok->indent++;
        tok->indstack[tok->indent] = col;
        tok->altindstack[tok->indent] = altcol;
    }
    else {
        while (tok->indent > 0 && col < tok->indstack[tok->indent]) {
            tok->pendin--;
            tok->indent--;
        }
        if (col != tok->indstack[tok->indent]) {
            return indentation_error(tok, "IndentationError", "unindent does "
                                     "not match any outer indentation level");
        }
        if (altcol != tok->altindstack[tok->indent]) {
            return indentation_error(tok, "TabError", "inconsistent use of "
                                     "tabs and spaces in indentation");
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------- */

static int
name_or_string(_PyTokenizer *tok, _PyToken *t, int c)
{
    int saw_b = 0, saw_r = 0, saw_u = 0, saw_f = 0;
    while (1) {
        if (!(saw_b || saw_u || saw_f) && (c == 'b' || c == 'B')) {
            saw_b = 1;
        }
        else if (!(saw_b || saw_u || saw_r || saw_f)
                 && (c == 'u' || c == 'U')) {
            saw_u = 1;
        }
        else if (!(saw_r || saw_u) && (c == 'r' || c == 'R')) {
            saw_r = 1;
        }
        else if (!(saw_f || saw_b || saw_u) && (c == 'f' || c == 'F')) {
            saw_f = 1;
        }
        else {
            break;
        }
        c = nextc(tok);
        if (c == '"' || c == '\'') {
            return string_token(tok, t, c);
        }
    }
    int nonascii = 0;
    while (is_potential_identifier_char(c) && c != EOF_CHAR) {
        if (c >= 128) {
            nonascii = 1;
        }
        c = nextc(tok);
    }
    backup(tok, c);
    if (nonascii && verify_identifier(tok, tok->tok_start, tok->cur) != 0) {
        return TOK_ERRORTOKEN;
    }
    make_token(tok, t, TOK_NAME, tok->tok_start, tok->cur, tok->lineno,
               tok->line_start);
    if (!nonascii) {
        t->kw = lookup_keyword(tok->tok_start, tok->cur - tok->tok_start);
    }
    return TOK_NAME;
}

static int
operator(_PyTokenizer *tok, _PyToken *t, int c)
{
    int c2 = nextc(tok);
    int type = two_char(c, c2);
    if (type != TOK_OP) {
        int c3 = nextc(tok);
        int type3 = three_char(c, c2, c3);
        if (type3 != TOK_OP) {
            type = type3;
        }
        else {
            backup(tok, c3);
        }
        return make_token(tok, t, type, tok->tok_start, tok->cur,
                          tok->lineno, tok->line_start);
    }
    backup(tok, c2);
    if (bracket(tok, c) != 0) {
        return TOK_ERRORTOKEN;
    }
    return make_token(tok, t, one_char(c), tok->tok_start, tok->cur,
                      tok->lineno, tok->line_start);
}

static int
line_continuation(_PyTokenizer *tok)
{
    int c = nextc(tok);
    if (c != '\n') {
        error_at(tok, "SyntaxError", "unexpected character after "
                 "line continuation character", tok->cur);
        tok->err->offset = tok->err->end_offset = status_offset(tok, tok->cur);
        tok->err->end_offset = 0;
        tok->error_is_status = 1;
        return TOK_ERRORTOKEN;
    }
    c = nextc(tok);
    if (c == EOF_CHAR && tok->level > 0) {
        /* the end inside brackets: the parser reports the bracket */
        return TOK_ERRORTOKEN;
    }
    if (c == EOF_CHAR) {
        error_at(tok, "SyntaxError", "unexpected EOF while parsing",
                 tok->cur);
        tok->err->offset = status_offset(tok, tok->cur);
        tok->err->end_offset = -1;
        tok->error_is_status = 1;
        tok->string_at_eof = 1;
        return TOK_ERRORTOKEN;
    }
    backup(tok, c);
    tok->cont_line = 1;
    return 0;
}

static int
get_token(_PyTokenizer *tok, _PyToken *t)
{
    int c;
    int blankline = 0;

  nextline:
    blankline = 0;
    if (tok->atbol) {
        tok->atbol = 0;
        if (!tok->in_fstring_expr) {
            if (indentation(tok) != 0) {
                return TOK_ERRORTOKEN;
            }
        }
        /* blank-line detection */
        const char *p = tok->cur;
        while (*p == ' ' || *p == '\t' || *p == '\014') {
            p++;
        }
        if (p < tok->end && (*p == '#' || *p == '\n')) {
            blankline = 1;
        }
    }
    tok->tok_start = tok->cur;
    if (tok->pendin != 0) {
        int type;
        if (tok->pendin < 0) {
            tok->pendin++;
            type = TOK_DEDENT;
        }
        else {
            tok->pendin--;
            type = TOK_INDENT;
        }
        make_token(tok, t, type, NULL, NULL, tok->lineno, tok->line_start);
        return type;
    }

  again:
    do {
        c = nextc(tok);
    } while (c == ' ' || c == '\t' || c == '\014');
    tok->tok_start = tok->cur - 1;

    if (c == '#') {
        while (c != EOF_CHAR && c != '\n') {
            c = nextc(tok);
        }
    }
    if (c == EOF_CHAR) {
        tok->tok_start = tok->cur;
        if (tok->level) {
            /* the parser reports the unclosed bracket */
            return make_token(tok, t, TOK_ERRORTOKEN, NULL, NULL,
                              tok->lineno, tok->line_start);
        }
        if (tok->last_type != TOK_NEWLINE && tok->last_type != TOK_INDENT
            && tok->last_type != TOK_DEDENT && tok->last_type != -1) {
            /* the input did not end with a newline (only in modes other
               than 'exec', where one is added): an implicit NEWLINE with
               no columns, as CPython's; it closes the open blocks unless
               DONT_IMPLY_DEDENT asks to leave them open */
            tok->atbol = !tok->dont_imply_dedent;
            return make_token(tok, t, TOK_NEWLINE, NULL, NULL, tok->lineno,
                              tok->line_start);
        }
        /* like INDENT and DEDENT, the end has no column; an empty input
           has not even a first line */
        make_token(tok, t, TOK_ENDMARKER, NULL, NULL, tok->lineno,
                   tok->line_start);
        if (tok->end == tok->buf) {
            t->lineno = t->end_lineno = 0;
        }
        return TOK_ENDMARKER;
    }
    if (is_potential_identifier_start(c)) {
        return name_or_string(tok, t, c);
    }
    if (c == '\n') {
        tok->atbol = 1;
        if (blankline || tok->level > 0) {
            goto nextline;
        }
        tok->cont_line = 0;
        /* the token covers a comment before the '\n' but not the '\n'
           itself, as in CPython */
        return make_token(tok, t, TOK_NEWLINE, tok->tok_start, tok->cur - 1,
                          tok->lineno, tok->line_start);
    }
    if (c == '.') {
        int c2 = nextc(tok);
        if (is_digit(c2)) {
            c = decimal_tail(tok);
            if (c == 0) {
                return TOK_ERRORTOKEN;
            }
            return number_rest(tok, t, c == '.' ? 0 : c);
        }
        if (c2 == '.') {
            int c3 = nextc(tok);
            if (c3 == '.') {
                return make_token(tok, t, TOK_ELLIPSIS, tok->tok_start,
                                  tok->cur, tok->lineno, tok->line_start);
            }
            backup(tok, c3);
        }
        backup(tok, c2);
        return make_token(tok, t, TOK_DOT, tok->tok_start, tok->cur,
                          tok->lineno, tok->line_start);
    }
    if (is_digit(c)) {
        return number(tok, t, c);
    }
    if (c == '\'' || c == '"') {
        return string_token(tok, t, c);
    }
    if (c == '\\') {
        if (line_continuation(tok) != 0) {
            return TOK_ERRORTOKEN;
        }
        goto again;
    }
    if (c >= 128 || c < 32 || c == 127) {
        if (c < 32 || c == 127) {
            char msg[64];
            snprintf(msg, sizeof(msg),
                     "invalid non-printable character U+%04X", c);
            return syntax_error(tok, msg);
        }
    }
    return operator(tok, t, c);
}

int
_PyTokenizer_Get(_PyTokenizer *tok, _PyToken *t)
{
    if (tok->done == _PyTOK_ERROR) {
        return TOK_ERRORTOKEN;
    }
    int type = get_token(tok, t);
    tok->last_type = type;
    if (type == TOK_ERRORTOKEN) {
        t->type = TOK_ERRORTOKEN;
        t->kw = 0;
        t->start = t->end = tok->cur;
        t->lineno = t->end_lineno = tok->lineno;
        t->line_start = tok->line_start;
        t->col_offset = t->end_col_offset = -1;     /* as CPython's */
    }
    return type;
}
