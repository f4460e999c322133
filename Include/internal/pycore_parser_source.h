/* Decoding of source bytes for the tokenizer (Parser/source.c). */

#ifndef Py_INTERNAL_PARSER_SOURCE_H
#define Py_INTERNAL_PARSER_SOURCE_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

#include "pycore_parser.h"

/* Return SRC decoded to UTF-8 with '\n' line ends, ending with '\n' (if
   not empty) and a NUL, as a malloc'ed buffer of *OUTLEN bytes; or NULL
   with *ERR filled in. */
extern char *_PyParser_PrepareSource(const char *src, size_t len,
                                     size_t *outlen, _PySyntaxErrorInfo *err);

/* Index of the first byte of S[0:LEN) that is not valid UTF-8 (as
   Python's strict codec sees it) with the codec's reason in *WHY, or -1. */
extern int _PyParser_FindInvalidUTF8(const char *s, size_t len,
                                     const char **why);

#endif /* !Py_INTERNAL_PARSER_SOURCE_H */
