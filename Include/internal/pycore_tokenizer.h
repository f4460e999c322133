/* The tokenizer: turns prepared UTF-8 source into tokens one at a time,
   tracking indentation and bracket nesting as CPython 3.11 does. */

#ifndef Py_INTERNAL_TOKENIZER_H
#define Py_INTERNAL_TOKENIZER_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

#include "pycore_parser.h"
#include "pycore_token.h"

#define _PyTOKENIZER_MAXINDENT 100
#define _PyTOKENIZER_MAXLEVEL 200

typedef struct {
    int type;
    int kw;                 /* enum _PyKeyword for NAME tokens */
    const char *start;      /* into the tokenizer's buffer */
    const char *end;
    int lineno;
    int col_offset;         /* bytes; -1 for INDENT, DEDENT, ENDMARKER */
    int end_lineno;
    int end_col_offset;
    const char *line_start; /* start of the line holding `start` */
    int level;              /* bracket nesting after the token */
} _PyToken;

typedef enum {
    _PyTOK_OK = 0,
    _PyTOK_EOF = 1,
    _PyTOK_ERROR = 2
} _PyTokState;

typedef struct {
    const char *buf;        /* first byte of the source */
    const char *end;        /* one past the last byte; *end == '\0' */
    const char *cur;
    const char *line_start;
    const char *line_end;   /* one past the '\n' ending the current line */
    const char *tok_start;
    int lineno;
    int first_lineno;       /* line number of buf's first line */
    int col_shift;          /* added to byte columns on the first line */
    int level;
    char parenstack[_PyTOKENIZER_MAXLEVEL];
    int parenlinenostack[_PyTOKENIZER_MAXLEVEL];
    int parencolstack[_PyTOKENIZER_MAXLEVEL];
    int indent;
    int indstack[_PyTOKENIZER_MAXINDENT];
    int altindstack[_PyTOKENIZER_MAXINDENT];
    int pendin;
    int atbol;
    int dont_imply_dedent;  /* PyCF_DONT_IMPLY_DEDENT: a block still open
                               at an end of input with no newline stays
                               open (codeop's incomplete input) */
    int cont_line;
    int in_fstring_expr;    /* no INDENT/NEWLINE processing */
    int last_type;          /* type of the previous token, -1 at first */
    int byte_offsets;       /* see _PyParser.byte_offsets */
    _PyTokState done;
    int error_is_status;    /* the error is one CPython's tokenizer only
                               reports as a status for the parser to turn
                               into an exception (indentation, line
                               continuation, EOF), not one it raises */
    int string_at_eof;      /* the error is the end of the input inside a
                               string or after a '\\' (so the input may
                               just be incomplete) */
    int decode_error;       /* the error is a name's undecodable bytes:
                               a UnicodeDecodeError that the parser turns
                               into "(unicode error) ..." */
    _PySyntaxErrorInfo *err;
} _PyTokenizer;

/* Start tokenizing BUF[0..LEN), which must be UTF-8 with '\n' line ends
   and have a NUL at BUF[LEN].  Without a final '\n' the last line gets an
   implicit NEWLINE token without columns. */
extern void _PyTokenizer_Init(_PyTokenizer *tok, const char *buf, size_t len,
                              _PySyntaxErrorInfo *err);

/* Fill *T with the next token and return its type.  On an error, return
   TOK_ERRORTOKEN with tok->done == _PyTOK_ERROR and tok->err filled. */
extern int _PyTokenizer_Get(_PyTokenizer *tok, _PyToken *t);

/* Number of code points in [FROM, TO). */
extern int _PyTokenizer_CharCount(const char *from, const char *to);

/* Fill ERR for an error whose range is given in bytes on the lines that
   start at LINE_START and END_LINE_START; offsets become 1-based character
   columns.  END_COL < 0 stores END_COL + 1 as the end offset unchanged. */
extern void _PyTokenizer_SetError(_PySyntaxErrorInfo *err, const char *type,
                                  const char *msg, int lineno,
                                  const char *line_start, int col,
                                  int end_lineno, const char *end_line_start,
                                  int end_col);

/* Decoding of one UTF-8 sequence: return the code point at *P and advance
   *P; invalid bytes come back as themselves. */
extern unsigned int _PyTokenizer_DecodeUTF8(const char **p, const char *end);

/* Unicode properties the parser needs, in one place (Parser/unicode_shim.c
   over the runtime's database, pycore_unicodectype.h). */
extern int _PyParser_IsXidStart(unsigned int ch);
extern int _PyParser_IsXidContinue(unsigned int ch);
extern int _PyParser_IsPrintable(unsigned int ch);
/* Return NFKC(S[0..LEN)) as a malloc'ed NUL-terminated string (length in
   *OUTLEN), or NULL when out of memory. */
extern char *_PyParser_NormalizeNFKC(const char *s, size_t len,
                                     size_t *outlen);

/* The code point named NAME[0:LEN] by \N{...}: 1 and *CH set, or 0. */
extern int _PyParser_LookupUnicodeName(const char *name, size_t len,
                                       unsigned int *ch);

#endif /* !Py_INTERNAL_TOKENIZER_H */
