/* Shared declarations of the _sre module: the compiled-code format, the
 * per-call matching state and the engine entry points.
 *
 * Files: sre_engine.c (the matcher: opcodes, charsets, categories, case
 * helpers), sre_validate.c (checks programs before they run),
 * sre_pattern.c (the module, Pattern and Scanner), sre_match.c (Match).
 *
 * The code format is the one re/_compiler.py emits for MAGIC 20220615: a
 * list of 32-bit words, opcode numbers as in re/_constants.py.  Offsets
 * ("skip") are relative to the word holding them.
 *
 * Thread safety: a compiled program is immutable once _sre.compile()
 * validated it, so any number of threads run it at the same time.  All
 * mutable matching data lives in an SreState, which belongs to one call
 * (one thread) and is never shared. */

#ifndef Py_SRE_H
#define Py_SRE_H

#include "Python.h"
#include <stdint.h>

typedef uint32_t SRE_CODE;

#define SRE_MAGIC 20220615
#define SRE_CODESIZE 4
#define SRE_MAXREPEAT ((SRE_CODE)0xFFFFFFFFu)
#define SRE_MAXGROUPS ((Py_ssize_t)0x3FFFFFFF)

/* Opcodes (re._constants.OPCODES order). */
enum {
    SRE_OP_FAILURE, SRE_OP_SUCCESS, SRE_OP_ANY, SRE_OP_ANY_ALL,
    SRE_OP_ASSERT, SRE_OP_ASSERT_NOT, SRE_OP_AT, SRE_OP_BRANCH,
    SRE_OP_CATEGORY, SRE_OP_CHARSET, SRE_OP_BIGCHARSET, SRE_OP_GROUPREF,
    SRE_OP_GROUPREF_EXISTS, SRE_OP_IN, SRE_OP_INFO, SRE_OP_JUMP,
    SRE_OP_LITERAL, SRE_OP_MARK, SRE_OP_MAX_UNTIL, SRE_OP_MIN_UNTIL,
    SRE_OP_NOT_LITERAL, SRE_OP_NEGATE, SRE_OP_RANGE, SRE_OP_REPEAT,
    SRE_OP_REPEAT_ONE, SRE_OP_SUBPATTERN, SRE_OP_MIN_REPEAT_ONE,
    SRE_OP_ATOMIC_GROUP, SRE_OP_POSSESSIVE_REPEAT,
    SRE_OP_POSSESSIVE_REPEAT_ONE,
    SRE_OP_GROUPREF_IGNORE, SRE_OP_IN_IGNORE, SRE_OP_LITERAL_IGNORE,
    SRE_OP_NOT_LITERAL_IGNORE,
    SRE_OP_GROUPREF_LOC_IGNORE, SRE_OP_IN_LOC_IGNORE,
    SRE_OP_LITERAL_LOC_IGNORE, SRE_OP_NOT_LITERAL_LOC_IGNORE,
    SRE_OP_GROUPREF_UNI_IGNORE, SRE_OP_IN_UNI_IGNORE,
    SRE_OP_LITERAL_UNI_IGNORE, SRE_OP_NOT_LITERAL_UNI_IGNORE,
    SRE_OP_RANGE_UNI_IGNORE,
    SRE_OP__COUNT
};

/* AT codes. */
enum {
    SRE_AT_BEGINNING, SRE_AT_BEGINNING_LINE, SRE_AT_BEGINNING_STRING,
    SRE_AT_BOUNDARY, SRE_AT_NON_BOUNDARY, SRE_AT_END, SRE_AT_END_LINE,
    SRE_AT_END_STRING, SRE_AT_LOC_BOUNDARY, SRE_AT_LOC_NON_BOUNDARY,
    SRE_AT_UNI_BOUNDARY, SRE_AT_UNI_NON_BOUNDARY,
    SRE_AT__COUNT
};

/* CATEGORY codes. */
enum {
    SRE_CAT_DIGIT, SRE_CAT_NOT_DIGIT, SRE_CAT_SPACE, SRE_CAT_NOT_SPACE,
    SRE_CAT_WORD, SRE_CAT_NOT_WORD, SRE_CAT_LINEBREAK,
    SRE_CAT_NOT_LINEBREAK, SRE_CAT_LOC_WORD, SRE_CAT_LOC_NOT_WORD,
    SRE_CAT_UNI_DIGIT, SRE_CAT_UNI_NOT_DIGIT, SRE_CAT_UNI_SPACE,
    SRE_CAT_UNI_NOT_SPACE, SRE_CAT_UNI_WORD, SRE_CAT_UNI_NOT_WORD,
    SRE_CAT_UNI_LINEBREAK, SRE_CAT_UNI_NOT_LINEBREAK,
    SRE_CAT__COUNT
};

/* Flags (re.I ...) and INFO block flags. */
#define SRE_FLAG_TEMPLATE 1
#define SRE_FLAG_IGNORECASE 2
#define SRE_FLAG_LOCALE 4
#define SRE_FLAG_MULTILINE 8
#define SRE_FLAG_DOTALL 16
#define SRE_FLAG_UNICODE 32
#define SRE_FLAG_VERBOSE 64
#define SRE_FLAG_DEBUG 128
#define SRE_FLAG_ASCII 256
#define SRE_INFO_PREFIX 1
#define SRE_INFO_LITERAL 2
#define SRE_INFO_CHARSET 4

/* Engine-private backtracking storage (sre_engine.c). */
typedef struct SreStacks SreStacks;

/* One match or search call.  The caller fills the subject fields and the
   marks array (2 * groups slots), the engine fills the results.  Positions
   are character (or byte) indexes into the subject. */
typedef struct {
    /* subject */
    const void *data;
    int charsize;               /* 1, 2 or 4 bytes per character */
    Py_ssize_t length;          /* the whole subject: lookbehind and ^ see
                                   before start */
    Py_ssize_t start;           /* where the match (or search) begins */
    Py_ssize_t end;             /* endpos: the subject ends here */
    int match_all;              /* fullmatch: must end at end */
    int must_advance;           /* an empty match at start is refused */
    /* program */
    const SRE_CODE *code;
    Py_ssize_t codesize;
    /* results */
    Py_ssize_t nmarks;
    Py_ssize_t *marks;          /* -1 = unset */
    Py_ssize_t lastindex;       /* -1 = none */
    Py_ssize_t lastmark;        /* marks above it count as unset */
    Py_ssize_t match_start;
    Py_ssize_t match_end;
    /* engine scratch, owned by the state */
    SreStacks *stacks;
} SreState;

/* Both return 1 (found; results set), 0 (not found) or -1 (exception set:
   MemoryError, or an exception raised by a signal handler). */
int _PySRE_Match(SreState *st);
int _PySRE_Search(SreState *st);

/* Span of group g (1-based) after a match; 0 (and -1, -1) if it did not
   take part. */
int _PySRE_GroupSpan(const SreState *st, Py_ssize_t g, Py_ssize_t *s,
                     Py_ssize_t *e);

/* Frees the engine scratch of st (it may be reused after). */
void _PySRE_StateFini(SreState *st);

/* Checks a program from _sre.compile(): 0 if it is well formed for a
   pattern with `groups` groups, -1 otherwise (no exception set). */
int _PySRE_Validate(const SRE_CODE *code, Py_ssize_t size, Py_ssize_t groups);

/* Is op one of the single-character ops (the body of REPEAT_ONE)? */
int _PySRE_IsOneOp(SRE_CODE op);

/* Case helpers, also exported as _sre.ascii_tolower() etc. */
int _PySRE_AsciiIsCased(Py_UCS4 ch);
Py_UCS4 _PySRE_AsciiToLower(Py_UCS4 ch);
int _PySRE_UnicodeIsCased(Py_UCS4 ch);
Py_UCS4 _PySRE_UnicodeToLower(Py_UCS4 ch);

/* The object types (sre_pattern.c, sre_match.c). */
typedef struct {
    PyObject_HEAD
    PyObject *pattern;          /* source str/bytes or None (owned) */
    PyObject *groupindex;       /* dict name -> index (owned, never mutated) */
    PyObject *indexgroup;       /* tuple index -> name or None (owned) */
    PyObject *weakreflist;
    Py_ssize_t groups;          /* number of capturing groups */
    int flags;
    int isbytes;                /* -1 when pattern is None */
    Py_ssize_t codesize;
    SRE_CODE *code;             /* PyMem, immutable */
} SrePatternObject;

typedef struct {
    PyObject_VAR_HEAD
    PyObject *string;           /* the subject (owned) */
    SrePatternObject *pattern;  /* owned */
    Py_ssize_t pos;
    Py_ssize_t endpos;
    Py_ssize_t lastindex;       /* -1 = None */
    Py_ssize_t ngroups;         /* groups + 1 */
    Py_ssize_t marks[1];        /* 2 * ngroups: group 0 then the groups */
} SreMatchObject;

extern PyTypeObject _PySRE_PatternType;
extern PyTypeObject _PySRE_MatchType;

/* A new Match from a successful state (new reference). */
PyObject *_PySRE_MatchNew(SrePatternObject *pattern, PyObject *string,
                          Py_ssize_t pos, Py_ssize_t endpos,
                          const SreState *st);

/* Slice of a subject, as group() returns it: str for str subjects, bytes
   otherwise (new reference). */
PyObject *_PySRE_Slice(PyObject *string, int isbytes, Py_ssize_t i,
                       Py_ssize_t j);

/* Is `string` usable as subject of `pattern`?  Fills the subject fields of
   st from string (str data or a buffer kept in *view, which the caller
   releases with PyBuffer_Release when view->obj is not NULL).  0 or -1. */
int _PySRE_SubjectInit(SrePatternObject *pattern, PyObject *string,
                       Py_buffer *view, SreState *st, int *isbytes);

#endif /* !Py_SRE_H */
