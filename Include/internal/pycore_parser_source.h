/* Decoding of source bytes for the tokenizer (Parser/source.c). */

#ifndef Py_INTERNAL_PARSER_SOURCE_H
#define Py_INTERNAL_PARSER_SOURCE_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

#include "pycore_parser.h"

/* Return SRC decoded to UTF-8 with '\n' line ends, and a NUL, as a
   malloc'ed buffer of *OUTLEN bytes; or NULL with *ERR filled in.  With
   APPEND_NEWLINE a non-empty result ends with '\n' (CPython adds it for
   'exec' only).  Without DECODE (the source was a str) BOM and cookie are
   ignored.  *DECLARED tells whether a BOM or a coding cookie named the
   encoding. */
extern char *_PyParser_PrepareSource(const char *src, size_t len,
                                     int append_newline, int decode,
                                     size_t *outlen, int *declared,
                                     _PySyntaxErrorInfo *err);

/* Index of the first byte of S[0:LEN) that is not valid UTF-8 (as
   Python's strict codec sees it) with the codec's reason in *WHY and the
   length of the bad sequence in *NBAD, or -1. */
extern int _PyParser_FindInvalidUTF8(const char *s, size_t len,
                                     const char **why, int *nbad);

/* The message of that error, as "(unicode error) 'utf-8' codec can't
   decode byte(s) ..." */
extern int _PyParser_FormatUTF8Error(char *buf, size_t size, const char *s,
                                     int pos, int nbad, const char *why);

#endif /* !Py_INTERNAL_PARSER_SOURCE_H */
