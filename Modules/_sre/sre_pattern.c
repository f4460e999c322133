/* The _sre module: compile(), the case helpers, re.Pattern and the
 * scanner (_sre.SRE_Scanner).
 *
 * Thread safety:
 *   - A Pattern is immutable once compile() returned it (program, group
 *     tables, source, flags), so threads share it with no lock.  Each
 *     match/search/sub/split/findall call builds its own SreState on the C
 *     stack; a str subject is immutable, a buffer subject (bytearray, ...)
 *     is pinned by holding a buffer export for the length of the call.
 *   - A Scanner's position (pos, must_advance, exhausted) changes with each
 *     match()/search() call; those run inside a critical section on the
 *     scanner, so two threads sharing one never see a half-updated
 *     position.  The matcher itself never blocks, and the buffer is taken
 *     again on every call (a bytearray may have been resized in between).
 *   - The module has no mutable C state. */

#include "sre.h"
#include "structmember.h"
#include "pycore_critical_section.h"
#include <string.h>

/* TEMPORARY: weak so this file links while Objects/weakrefobject.c is
   not committed (Include/weakrefobject.h declares it). */
extern void PyObject_ClearWeakRefs(PyObject *ob) __attribute__((weak));

/* ------------------------------------------------ one matching call */

/* The state of one call plus what it holds: the buffer export of a bytes
   subject and the marks array. */
typedef struct {
    SreState st;
    Py_buffer view;
    int isbytes;
    Py_ssize_t small[32];
} SreCall;

int
_PySRE_SubjectInit(SrePatternObject *pattern, PyObject *string,
                   Py_buffer *view, SreState *st, int *isbytes)
{
    view->obj = NULL;
    if (PyUnicode_Check(string)) {
        st->data = PyUnicode_DATA(string);
        st->charsize = PyUnicode_KIND(string);
        st->length = PyUnicode_GET_LENGTH(string);
        *isbytes = 0;
    }
    else {
        if (PyObject_GetBuffer(string, view, PyBUF_SIMPLE) < 0) {
            view->obj = NULL;
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError,
                         "expected string or bytes-like object, got '%.200s'",
                         Py_TYPE(string)->tp_name);
            return -1;
        }
        st->data = view->buf;
        st->charsize = 1;
        st->length = view->len;
        *isbytes = 1;
    }
    if (pattern->isbytes == 0 && *isbytes) {
        PyErr_SetString(PyExc_TypeError,
                        "cannot use a string pattern on a bytes-like object");
        goto fail;
    }
    if (pattern->isbytes == 1 && !*isbytes) {
        PyErr_SetString(PyExc_TypeError,
                        "cannot use a bytes pattern on a string-like object");
        goto fail;
    }
    return 0;
fail:
    if (view->obj != NULL) {
        PyBuffer_Release(view);
        view->obj = NULL;
    }
    return -1;
}

/* pos/endpos outside the subject are moved to its ends, as CPython. */
static Py_ssize_t
clamp(Py_ssize_t v, Py_ssize_t length)
{
    return v < 0 ? 0 : (v > length ? length : v);
}

/* Prepares c for matching pattern over string[pos:endpos].  0 or -1. */
static int
call_init(SreCall *c, SrePatternObject *p, PyObject *string, Py_ssize_t pos,
          Py_ssize_t endpos)
{
    memset(&c->st, 0, sizeof(c->st));
    if (_PySRE_SubjectInit(p, string, &c->view, &c->st, &c->isbytes) < 0) {
        return -1;
    }
    c->st.start = clamp(pos, c->st.length);
    c->st.end = clamp(endpos, c->st.length);
    c->st.code = p->code;
    c->st.codesize = p->codesize;
    c->st.nmarks = 2 * p->groups;
    if (c->st.nmarks <= (Py_ssize_t)(sizeof(c->small) / sizeof(c->small[0]))) {
        c->st.marks = c->small;
    }
    else {
        c->st.marks = PyMem_Malloc(c->st.nmarks * sizeof(Py_ssize_t));
        if (c->st.marks == NULL) {
            if (c->view.obj != NULL) {
                PyBuffer_Release(&c->view);
            }
            PyErr_NoMemory();
            return -1;
        }
    }
    return 0;
}

/* Releases what call_init took. */
static void
call_fini(SreCall *c)
{
    _PySRE_StateFini(&c->st);
    if (c->st.marks != c->small) {
        PyMem_Free(c->st.marks);
    }
    if (c->view.obj != NULL) {
        PyBuffer_Release(&c->view);
    }
}

/* After a match: where the next search of findall/finditer/split/sub
   starts, refusing a second empty match at the same place. */
static void
call_advance(SreCall *c)
{
    c->st.must_advance = c->st.match_end == c->st.match_start;
    c->st.start = c->st.match_end;
}

PyObject *
_PySRE_Slice(PyObject *string, int isbytes, Py_ssize_t i, Py_ssize_t j)
{
    if (!isbytes) {
        Py_ssize_t n = PyUnicode_GET_LENGTH(string);
        return PyUnicode_Substring(string, clamp(i, n), clamp(j, n));
    }
    if (PyBytes_CheckExact(string)) {
        Py_ssize_t n = PyBytes_GET_SIZE(string);
        if (i == 0 && j == n) {
            return Py_NewRef(string);
        }
        i = clamp(i, n);
        j = clamp(j, n);
        return PyBytes_FromStringAndSize(PyBytes_AS_STRING(string) + i,
                                         j > i ? j - i : 0);
    }
    Py_buffer view;
    if (PyObject_GetBuffer(string, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    i = clamp(i, view.len);
    j = clamp(j, view.len);
    PyObject *r = PyBytes_FromStringAndSize((char *)view.buf + i,
                                            j > i ? j - i : 0);
    PyBuffer_Release(&view);
    return r;
}

/* ------------------------------------------------ Pattern */

#define PATTERN(op) ((SrePatternObject *)(op))

static char *match_kwlist[] = {"string", "pos", "endpos", NULL};

/* match/fullmatch/search share this: parse (string, pos, endpos), run,
   return a Match or None (new reference). */
static PyObject *
pattern_run(PyObject *self, PyObject *args, PyObject *kwds, const char *fmt,
            int search, int match_all)
{
    PyObject *string;
    Py_ssize_t pos = 0, endpos = PY_SSIZE_T_MAX;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, fmt, match_kwlist, &string,
                                     &pos, &endpos)) {
        return NULL;
    }
    SreCall c;
    if (call_init(&c, PATTERN(self), string, pos, endpos) < 0) {
        return NULL;
    }
    c.st.match_all = match_all;
    int r = search ? _PySRE_Search(&c.st) : _PySRE_Match(&c.st);
    PyObject *res = NULL;
    if (r > 0) {
        res = _PySRE_MatchNew(PATTERN(self), string, c.st.start, c.st.end,
                              &c.st);
    }
    else if (r == 0) {
        res = Py_NewRef(Py_None);
    }
    call_fini(&c);
    return res;
}

/* Pattern.match(string, pos=0, endpos=sys.maxsize).  New reference. */
static PyObject *
pattern_match(PyObject *self, PyObject *args, PyObject *kwds)
{
    return pattern_run(self, args, kwds, "O|nn:match", 0, 0);
}

/* Pattern.fullmatch / search: as pattern_match (new references). */
static PyObject *
pattern_fullmatch(PyObject *self, PyObject *args, PyObject *kwds)
{
    return pattern_run(self, args, kwds, "O|nn:fullmatch", 0, 1);
}

static PyObject *
pattern_search(PyObject *self, PyObject *args, PyObject *kwds)
{
    return pattern_run(self, args, kwds, "O|nn:search", 1, 0);
}

/* Group g (1-based) of the match in c, or `dflt` when it did not take
   part.  New reference. */
static PyObject *
call_group(SreCall *c, PyObject *string, Py_ssize_t g, PyObject *dflt)
{
    Py_ssize_t s, e;
    if (!_PySRE_GroupSpan(&c->st, g, &s, &e)) {
        return Py_NewRef(dflt);
    }
    return _PySRE_Slice(string, c->isbytes, s, e);
}

/* One findall() item: the whole match, the one group, or a tuple. */
static PyObject *
findall_item(SrePatternObject *p, SreCall *c, PyObject *string)
{
    if (p->groups == 0) {
        return _PySRE_Slice(string, c->isbytes, c->st.match_start,
                            c->st.match_end);
    }
    PyObject *empty = c->isbytes ? PyBytes_FromStringAndSize(NULL, 0)
                                 : PyUnicode_New(0, 0);
    if (empty == NULL) {
        return NULL;
    }
    PyObject *res;
    if (p->groups == 1) {
        res = call_group(c, string, 1, empty);
    }
    else {
        res = PyTuple_New(p->groups);
        for (Py_ssize_t g = 1; res != NULL && g <= p->groups; g++) {
            PyObject *item = call_group(c, string, g, empty);
            if (item == NULL) {
                Py_CLEAR(res);
                break;
            }
            PyTuple_SET_ITEM(res, g - 1, item);
        }
    }
    Py_DECREF(empty);
    return res;
}

/* Pattern.findall(string, pos=0, endpos=sys.maxsize).  New reference. */
static PyObject *
pattern_findall(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *string;
    Py_ssize_t pos = 0, endpos = PY_SSIZE_T_MAX;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|nn:findall", match_kwlist,
                                     &string, &pos, &endpos)) {
        return NULL;
    }
    SreCall c;
    if (call_init(&c, PATTERN(self), string, pos, endpos) < 0) {
        return NULL;
    }
    PyObject *list = PyList_New(0);
    while (list != NULL && c.st.start <= c.st.end) {
        int r = _PySRE_Search(&c.st);
        if (r <= 0) {
            if (r < 0) {
                Py_CLEAR(list);
            }
            break;
        }
        PyObject *item = findall_item(PATTERN(self), &c, string);
        if (item == NULL || PyList_Append(list, item) < 0) {
            Py_XDECREF(item);
            Py_CLEAR(list);
            break;
        }
        Py_DECREF(item);
        call_advance(&c);
    }
    call_fini(&c);
    return list;
}

/* Appends string[i:j] to list.  0 or -1. */
static int
append_slice(PyObject *list, PyObject *string, int isbytes, Py_ssize_t i,
             Py_ssize_t j)
{
    PyObject *item = _PySRE_Slice(string, isbytes, i, j);
    if (item == NULL) {
        return -1;
    }
    int r = PyList_Append(list, item);
    Py_DECREF(item);
    return r;
}

/* split's pieces for one match: text before it, then every group. */
static int
split_one(SrePatternObject *p, SreCall *c, PyObject *string, PyObject *list,
          Py_ssize_t last)
{
    if (append_slice(list, string, c->isbytes, last, c->st.match_start) < 0) {
        return -1;
    }
    for (Py_ssize_t g = 1; g <= p->groups; g++) {
        PyObject *item = call_group(c, string, g, Py_None);
        if (item == NULL || PyList_Append(list, item) < 0) {
            Py_XDECREF(item);
            return -1;
        }
        Py_DECREF(item);
    }
    return 0;
}

/* Pattern.split(string, maxsplit=0).  New reference. */
static PyObject *
pattern_split(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"string", "maxsplit", NULL};
    PyObject *string;
    Py_ssize_t maxsplit = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|n:split", kwlist, &string,
                                     &maxsplit)) {
        return NULL;
    }
    SreCall c;
    if (call_init(&c, PATTERN(self), string, 0, PY_SSIZE_T_MAX) < 0) {
        return NULL;
    }
    PyObject *list = PyList_New(0);
    Py_ssize_t n = 0, last = 0;
    while (list != NULL && (maxsplit == 0 || n < maxsplit)) {
        int r = _PySRE_Search(&c.st);
        if (r <= 0) {
            if (r < 0) {
                Py_CLEAR(list);
            }
            break;
        }
        if (split_one(PATTERN(self), &c, string, list, last) < 0) {
            Py_CLEAR(list);
            break;
        }
        n++;
        last = c.st.match_end;
        call_advance(&c);
    }
    if (list != NULL &&
        append_slice(list, string, c.isbytes, last, c.st.length) < 0) {
        Py_CLEAR(list);
    }
    call_fini(&c);
    return list;
}

/* Is the replacement template free of backslashes (so used as is)?
   1, 0, or -1 when it is neither str nor a buffer (0, no error). */
static int
template_is_literal(PyObject *repl)
{
    if (PyUnicode_Check(repl)) {
        return PyUnicode_FindChar(repl, '\\', 0, PyUnicode_GET_LENGTH(repl),
                                  1) == -1;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(repl, &view, PyBUF_SIMPLE) < 0) {
        PyErr_Clear();
        return 0;
    }
    int r = memchr(view.buf, '\\', view.len) == NULL;
    PyBuffer_Release(&view);
    return r;
}

/* What sub() inserts for repl: repl itself when callable or literal, else
   re._subx(pattern, repl) (a literal or a callable).  New reference. */
static PyObject *
sub_filter(PyObject *self, PyObject *repl, int *callable)
{
    *callable = PyCallable_Check(repl);
    if (*callable || template_is_literal(repl) == 1) {
        return Py_NewRef(repl);
    }
    PyObject *re = PyImport_ImportModule("re");
    if (re == NULL) {
        return NULL;
    }
    PyObject *filter = PyObject_CallMethod(re, "_subx", "OO", self, repl);
    Py_DECREF(re);
    if (filter != NULL) {
        *callable = PyCallable_Check(filter);
    }
    return filter;
}

/* The replacement for the current match of c.  0 or -1. */
static int
sub_append(SrePatternObject *p, SreCall *c, PyObject *string, PyObject *list,
           PyObject *filter, int callable)
{
    if (!callable) {
        return PyList_Append(list, filter);
    }
    PyObject *m = _PySRE_MatchNew(p, string, c->st.start, c->st.end, &c->st);
    if (m == NULL) {
        return -1;
    }
    PyObject *item = PyObject_CallOneArg(filter, m);
    Py_DECREF(m);
    if (item == NULL) {
        return -1;
    }
    int r = item == Py_None ? 0 : PyList_Append(list, item);
    Py_DECREF(item);
    return r;
}

/* Joins the pieces of sub() into one str or bytes.  New reference. */
static PyObject *
sub_join(PyObject *list, int isbytes)
{
    if (!isbytes) {
        PyObject *sep = PyUnicode_New(0, 0);
        if (sep == NULL) {
            return NULL;
        }
        PyObject *r = PyUnicode_Join(sep, list);
        Py_DECREF(sep);
        return r;
    }
    PyObject *sep = PyBytes_FromStringAndSize(NULL, 0);
    if (sep == NULL) {
        return NULL;
    }
    PyObject *r = _PyBytes_Join(sep, list);
    Py_DECREF(sep);
    return r;
}

/* The loop of sub()/subn(): the pieces list and the count.  New
   reference or NULL. */
static PyObject *
sub_pieces(PyObject *self, SreCall *c, PyObject *string, PyObject *filter,
           int callable, Py_ssize_t count, Py_ssize_t *n)
{
    PyObject *list = PyList_New(0);
    Py_ssize_t last = 0;
    *n = 0;
    while (list != NULL && (count == 0 || *n < count)) {
        int r = _PySRE_Search(&c->st);
        if (r <= 0) {
            if (r < 0) {
                Py_CLEAR(list);
            }
            break;
        }
        if ((last < c->st.match_start &&
             append_slice(list, string, c->isbytes, last,
                          c->st.match_start) < 0) ||
            sub_append(PATTERN(self), c, string, list, filter, callable) < 0) {
            Py_CLEAR(list);
            break;
        }
        (*n)++;
        last = c->st.match_end;
        call_advance(c);
    }
    if (list != NULL && last < c->st.length &&
        append_slice(list, string, c->isbytes, last, c->st.length) < 0) {
        Py_CLEAR(list);
    }
    return list;
}

/* sub() and subn(): the new string, or (new string, count) for subn.
   New reference. */
static PyObject *
pattern_subx(PyObject *self, PyObject *args, PyObject *kwds, const char *fmt,
             int subn)
{
    static char *kwlist[] = {"repl", "string", "count", NULL};
    PyObject *repl, *string;
    Py_ssize_t count = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, fmt, kwlist, &repl, &string,
                                     &count)) {
        return NULL;
    }
    int callable;
    PyObject *filter = sub_filter(self, repl, &callable);
    if (filter == NULL) {
        return NULL;
    }
    SreCall c;
    if (call_init(&c, PATTERN(self), string, 0, PY_SSIZE_T_MAX) < 0) {
        Py_DECREF(filter);
        return NULL;
    }
    Py_ssize_t n;
    PyObject *list = sub_pieces(self, &c, string, filter, callable, count,
                                &n);
    int isbytes = c.isbytes;
    call_fini(&c);
    Py_DECREF(filter);
    if (list == NULL) {
        return NULL;
    }
    PyObject *res;
    if (n == 0 && (PyUnicode_CheckExact(string) || PyBytes_CheckExact(string))) {
        /* nothing replaced: the subject itself, as CPython */
        res = Py_NewRef(string);
    }
    else {
        res = sub_join(list, isbytes);
    }
    Py_DECREF(list);
    if (res == NULL || !subn) {
        return res;
    }
    return Py_BuildValue("(Nn)", res, n);
}

/* Pattern.sub(repl, string, count=0) / subn (new references). */
static PyObject *
pattern_sub(PyObject *self, PyObject *args, PyObject *kwds)
{
    return pattern_subx(self, args, kwds, "OO|n:sub", 0);
}

static PyObject *
pattern_subn(PyObject *self, PyObject *args, PyObject *kwds)
{
    return pattern_subx(self, args, kwds, "OO|n:subn", 1);
}

/* ------------------------------------------------ Scanner */

typedef struct {
    PyObject_HEAD
    SrePatternObject *pattern;  /* owned */
    PyObject *string;           /* owned */
    Py_ssize_t pos;             /* next start; -1 once exhausted */
    Py_ssize_t endpos;
    int must_advance;
} SreScannerObject;

static PyTypeObject SreScannerType;

/* Pattern.scanner(string, pos=0, endpos=sys.maxsize).  New reference. */
static PyObject *
pattern_scanner(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *string;
    Py_ssize_t pos = 0, endpos = PY_SSIZE_T_MAX;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|nn:scanner", match_kwlist,
                                     &string, &pos, &endpos)) {
        return NULL;
    }
    SreCall c;
    if (call_init(&c, PATTERN(self), string, pos, endpos) < 0) {
        return NULL;
    }
    pos = c.st.start;
    endpos = c.st.end;
    call_fini(&c);
    SreScannerObject *sc = PyObject_New(SreScannerObject, &SreScannerType);
    if (sc == NULL) {
        return NULL;
    }
    sc->pattern = (SrePatternObject *)Py_NewRef(self);
    sc->string = Py_NewRef(string);
    sc->pos = pos;
    sc->endpos = endpos;
    sc->must_advance = 0;
    return (PyObject *)sc;
}

/* Pattern.finditer(): iter(scanner.search, None), as CPython.  New
   reference. */
static PyObject *
pattern_finditer(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *sc = pattern_scanner(self, args, kwds);
    if (sc == NULL) {
        return NULL;
    }
    PyObject *search = PyObject_GetAttrString(sc, "search");
    Py_DECREF(sc);
    if (search == NULL) {
        return NULL;
    }
    PyObject *it = PyCallIter_New(search, Py_None);
    Py_DECREF(search);
    return it;
}

/* One scanner step; the caller holds the scanner's critical section. */
static PyObject *
scanner_step_locked(SreScannerObject *sc, int search)
{
    if (sc->pos < 0) {
        Py_RETURN_NONE;
    }
    SreCall c;
    if (call_init(&c, sc->pattern, sc->string, sc->pos, sc->endpos) < 0) {
        return NULL;
    }
    c.st.must_advance = sc->must_advance;
    int r = search ? _PySRE_Search(&c.st) : _PySRE_Match(&c.st);
    PyObject *res = NULL;
    if (r > 0) {
        res = _PySRE_MatchNew(sc->pattern, sc->string, c.st.start, c.st.end,
                              &c.st);
        sc->must_advance = c.st.match_end == c.st.match_start;
        sc->pos = c.st.match_end;
    }
    else if (r == 0) {
        sc->pos = -1;
        res = Py_NewRef(Py_None);
    }
    call_fini(&c);
    return res;
}

/* Scanner.match() / search(): the next match or None, advancing the
   scanner under its critical section (new references). */
static PyObject *
scanner_step(PyObject *self, int search)
{
    PyObject *res;
    Py_BEGIN_CRITICAL_SECTION(self);
    res = scanner_step_locked((SreScannerObject *)self, search);
    Py_END_CRITICAL_SECTION();
    return res;
}

static PyObject *
scanner_match(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return scanner_step(self, 0);
}

static PyObject *
scanner_search(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return scanner_step(self, 1);
}

/* Scanners hold only the pattern and the subject: no GC needed. */
static void
scanner_dealloc(PyObject *self)
{
    SreScannerObject *sc = (SreScannerObject *)self;
    Py_XDECREF(sc->pattern);
    Py_XDECREF(sc->string);
    PyObject_Free(self);
}

static PyMethodDef scanner_methods[] = {
    {"match", scanner_match, METH_NOARGS, NULL},
    {"search", scanner_search, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef scanner_members[] = {
    {"pattern", T_OBJECT, offsetof(SreScannerObject, pattern), READONLY,
     NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject SreScannerType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_sre.SRE_Scanner",
    .tp_basicsize = sizeof(SreScannerObject),
    .tp_dealloc = scanner_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = scanner_methods,
    .tp_members = scanner_members,
};

/* ------------------------------------------------ Pattern: the rest */

static const char *const flag_names[] = {
    "re.TEMPLATE", "re.IGNORECASE", "re.LOCALE", "re.MULTILINE",
    "re.DOTALL", "re.UNICODE", "re.VERBOSE", "re.DEBUG", "re.ASCII",
};

/* "re.IGNORECASE|re.DOTALL" for flags (the default UNICODE of a str
   pattern left out), or NULL with no error when nothing is left. */
static PyObject *
flags_repr(SrePatternObject *p)
{
    int flags = p->flags;
    if (p->isbytes == 0 &&
        (flags & (SRE_FLAG_LOCALE | SRE_FLAG_UNICODE | SRE_FLAG_ASCII)) ==
            SRE_FLAG_UNICODE) {
        flags &= ~SRE_FLAG_UNICODE;
    }
    if (flags == 0) {
        return NULL;
    }
    char buf[256];
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < 9; i++) {
        if (flags & (1 << i)) {
            len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
                            len ? "|" : "", flag_names[i]);
            flags &= ~(1 << i);
        }
    }
    if (flags) {
        snprintf(buf + len, sizeof(buf) - len, "%s0x%x", len ? "|" : "",
                 (unsigned)flags);
    }
    return PyUnicode_FromString(buf);
}

/* re.compile('a+', re.IGNORECASE); the pattern's repr cut at 200
   characters.  New reference. */
static PyObject *
pattern_repr(PyObject *self)
{
    SrePatternObject *p = PATTERN(self);
    PyObject *r = PyObject_Repr(p->pattern);
    if (r == NULL) {
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(r) > 200) {
        Py_SETREF(r, PyUnicode_Substring(r, 0, 200));
        if (r == NULL) {
            return NULL;
        }
    }
    PyObject *f = flags_repr(p);
    PyObject *res;
    if (f == NULL) {
        res = PyErr_Occurred() ? NULL
                               : PyUnicode_FromFormat("re.compile(%U)", r);
    }
    else {
        res = PyUnicode_FromFormat("re.compile(%U, %U)", r, f);
        Py_DECREF(f);
    }
    Py_DECREF(r);
    return res;
}

/* Equal: same source, flags and program. */
static PyObject *
pattern_richcompare(PyObject *a, PyObject *b, int op)
{
    if ((op != Py_EQ && op != Py_NE) || !PyObject_TypeCheck(b, &_PySRE_PatternType)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    SrePatternObject *x = PATTERN(a), *y = PATTERN(b);
    int eq = 1;
    if (x != y) {
        eq = x->flags == y->flags && x->isbytes == y->isbytes &&
             x->codesize == y->codesize &&
             memcmp(x->code, y->code, x->codesize * sizeof(SRE_CODE)) == 0;
        if (eq) {
            eq = PyObject_RichCompareBool(x->pattern, y->pattern, Py_EQ);
            if (eq < 0) {
                return NULL;
            }
        }
    }
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

/* Equal patterns (see pattern_richcompare) hash alike. */
static Py_hash_t
pattern_hash(PyObject *self)
{
    SrePatternObject *p = PATTERN(self);
    Py_hash_t h = PyObject_Hash(p->pattern);
    if (h == -1) {
        return -1;
    }
    Py_uhash_t x = 14695981039346656037u;
    for (Py_ssize_t i = 0; i < p->codesize; i++) {
        x = (x ^ p->code[i]) * 1099511628211u;
    }
    h ^= (Py_hash_t)x;
    h ^= p->flags ^ (p->isbytes << 16);
    return h == -1 ? -2 : h;
}

/* Patterns are immutable: copies are the object itself (new reference). */
static PyObject *
pattern_copy(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(self);
}

static PyObject *
pattern_deepcopy(PyObject *self, PyObject *memo)
{
    return Py_NewRef(self);
}

/* re.Pattern[str] (PEP 585; new reference). */
static PyObject *
class_getitem(PyObject *cls, PyObject *args)
{
    return Py_GenericAlias(cls, args);
}

/* Pattern.groupindex: a read-only view of the name -> index dict. */
static PyObject *
pattern_groupindex(PyObject *self, void *Py_UNUSED(closure))
{
    PyObject *gi = PATTERN(self)->groupindex;
    PyObject *proxy = PyDictProxy_New(gi);
    if (proxy == NULL) {
        PyErr_Clear();
        return PyDict_Copy(gi);
    }
    return proxy;
}

/* Patterns hold no cycles (source, group tables): no GC needed. */
static void
pattern_dealloc(PyObject *self)
{
    SrePatternObject *p = PATTERN(self);
    if (p->weakreflist != NULL && PyObject_ClearWeakRefs != NULL) {
        PyObject_ClearWeakRefs(self);
    }
    Py_XDECREF(p->pattern);
    Py_XDECREF(p->groupindex);
    Py_XDECREF(p->indexgroup);
    PyMem_Free(p->code);
    PyObject_Free(self);
}

static PyMethodDef pattern_methods[] = {
    {"match", (PyCFunction)(void (*)(void))pattern_match,
     METH_VARARGS | METH_KEYWORDS,
     "Matches zero or more characters at the beginning of the string."},
    {"fullmatch", (PyCFunction)(void (*)(void))pattern_fullmatch,
     METH_VARARGS | METH_KEYWORDS,
     "Matches against all of the string."},
    {"search", (PyCFunction)(void (*)(void))pattern_search,
     METH_VARARGS | METH_KEYWORDS,
     "Scan through string looking for a match, and return a corresponding "
     "match object instance.\n\nReturn None if no position in the string "
     "matches."},
    {"sub", (PyCFunction)(void (*)(void))pattern_sub,
     METH_VARARGS | METH_KEYWORDS,
     "Return the string obtained by replacing the leftmost non-overlapping "
     "occurrences of pattern in string by the replacement repl."},
    {"subn", (PyCFunction)(void (*)(void))pattern_subn,
     METH_VARARGS | METH_KEYWORDS,
     "Return the tuple (new_string, number_of_subs_made) found by replacing "
     "the leftmost non-overlapping occurrences of pattern with the "
     "replacement repl."},
    {"split", (PyCFunction)(void (*)(void))pattern_split,
     METH_VARARGS | METH_KEYWORDS,
     "Split string by the occurrences of pattern."},
    {"findall", (PyCFunction)(void (*)(void))pattern_findall,
     METH_VARARGS | METH_KEYWORDS,
     "Return a list of all non-overlapping matches of pattern in string."},
    {"finditer", (PyCFunction)(void (*)(void))pattern_finditer,
     METH_VARARGS | METH_KEYWORDS,
     "Return an iterator over all non-overlapping matches for the RE "
     "pattern in string.\n\nFor each match, the iterator returns a match "
     "object."},
    {"scanner", (PyCFunction)(void (*)(void))pattern_scanner,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"__copy__", pattern_copy, METH_NOARGS, NULL},
    {"__deepcopy__", pattern_deepcopy, METH_O, NULL},
    {"__class_getitem__", class_getitem, METH_O | METH_CLASS,
     "See PEP 585"},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef pattern_members[] = {
    {"pattern", T_OBJECT, offsetof(SrePatternObject, pattern), READONLY,
     "The pattern string from which the RE object was compiled."},
    {"flags", T_INT, offsetof(SrePatternObject, flags), READONLY,
     "The regex matching flags."},
    {"groups", T_PYSSIZET, offsetof(SrePatternObject, groups), READONLY,
     "The number of capturing groups in the pattern."},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef pattern_getset[] = {
    {"groupindex", pattern_groupindex, NULL,
     "A dictionary mapping group names to group numbers.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject _PySRE_PatternType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "re.Pattern",
    .tp_basicsize = sizeof(SrePatternObject),
    .tp_dealloc = pattern_dealloc,
    .tp_repr = pattern_repr,
    .tp_hash = pattern_hash,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Compiled regular expression object.",
    .tp_richcompare = pattern_richcompare,
    .tp_weaklistoffset = offsetof(SrePatternObject, weakreflist),
    .tp_methods = pattern_methods,
    .tp_members = pattern_members,
    .tp_getset = pattern_getset,
};

/* ------------------------------------------------ module functions */

/* Copies the code list into a new array; -1 with the exception set. */
static int
code_from_list(PyObject *list, SRE_CODE **out, Py_ssize_t *size)
{
    if (!PyList_Check(list)) {
        PyErr_Format(PyExc_TypeError,
                     "compile() argument 'code' must be list, not %.200s",
                     Py_TYPE(list)->tp_name);
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(list);
    SRE_CODE *code = PyMem_Malloc((n ? n : 1) * sizeof(SRE_CODE));
    if (code == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n && i < PyList_GET_SIZE(list); i++) {
        PyObject *item = PyList_GetItem(list, i);
        unsigned long v = item ? PyLong_AsUnsignedLong(item) : (unsigned long)-1;
        if (v == (unsigned long)-1 && PyErr_Occurred()) {
            PyMem_Free(code);
            return -1;
        }
        if (v > 0xFFFFFFFFul) {
            PyErr_SetString(PyExc_OverflowError,
                            "regular expression code size limit exceeded");
            PyMem_Free(code);
            return -1;
        }
        code[i] = (SRE_CODE)v;
    }
    *out = code;
    *size = n;
    return 0;
}

/* _sre.compile(pattern, flags, code, groups, groupindex, indexgroup).
   New reference. */
static PyObject *
sre_compile(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"pattern", "flags", "code", "groups",
                             "groupindex", "indexgroup", NULL};
    PyObject *pattern, *code_list, *groupindex, *indexgroup;
    int flags;
    Py_ssize_t groups;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OiO!nO!O!:compile", kwlist,
                                     &pattern, &flags, &PyList_Type,
                                     &code_list, &groups, &PyDict_Type,
                                     &groupindex, &PyTuple_Type,
                                     &indexgroup)) {
        return NULL;
    }
    if (groups < 0 || groups > SRE_MAXGROUPS) {
        PyErr_SetString(PyExc_RuntimeError, "invalid SRE code");
        return NULL;
    }
    SRE_CODE *code;
    Py_ssize_t size;
    if (code_from_list(code_list, &code, &size) < 0) {
        return NULL;
    }
    if (_PySRE_Validate(code, size, groups) < 0) {
        PyMem_Free(code);
        PyErr_SetString(PyExc_RuntimeError, "invalid SRE code");
        return NULL;
    }
    SrePatternObject *p = PyObject_New(SrePatternObject, &_PySRE_PatternType);
    if (p == NULL) {
        PyMem_Free(code);
        return NULL;
    }
    p->code = code;
    p->codesize = size;
    p->groups = groups;
    p->flags = flags;
    p->weakreflist = NULL;
    p->pattern = Py_NewRef(pattern);
    p->isbytes = pattern == Py_None ? -1 : !PyUnicode_Check(pattern);
    p->groupindex = PyDict_Copy(groupindex);
    p->indexgroup = Py_NewRef(indexgroup);
    if (p->groupindex == NULL) {
        Py_DECREF(p);
        return NULL;
    }
    return (PyObject *)p;
}

/* Reads the one int argument of the case helpers. */
static int
char_arg(PyObject *arg, Py_UCS4 *ch)
{
    int overflow;
    long v = PyLong_AsLongAndOverflow(arg, &overflow);
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (overflow || v < 0 || v > 0x7FFFFFFF) {
        *ch = 0xFFFFFFFFu;
        if (overflow || v < 0) {
            PyErr_SetString(PyExc_OverflowError,
                            "Python int too large to convert to C int");
            return -1;
        }
    }
    *ch = (Py_UCS4)v;
    return 0;
}

/* The case helpers re/_compiler.py asks while compiling (new
   references). */
static PyObject *
sre_ascii_iscased(PyObject *module, PyObject *arg)
{
    Py_UCS4 ch;
    if (char_arg(arg, &ch) < 0) {
        return NULL;
    }
    return PyBool_FromLong(_PySRE_AsciiIsCased(ch));
}

static PyObject *
sre_unicode_iscased(PyObject *module, PyObject *arg)
{
    Py_UCS4 ch;
    if (char_arg(arg, &ch) < 0) {
        return NULL;
    }
    return PyBool_FromLong(_PySRE_UnicodeIsCased(ch));
}

static PyObject *
sre_ascii_tolower(PyObject *module, PyObject *arg)
{
    Py_UCS4 ch;
    if (char_arg(arg, &ch) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(_PySRE_AsciiToLower(ch));
}

static PyObject *
sre_unicode_tolower(PyObject *module, PyObject *arg)
{
    Py_UCS4 ch;
    if (char_arg(arg, &ch) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(_PySRE_UnicodeToLower(ch));
}

/* _sre.getcodesize(): bytes per code word (new reference). */
static PyObject *
sre_getcodesize(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(SRE_CODESIZE);
}

static PyMethodDef sre_functions[] = {
    {"compile", (PyCFunction)(void (*)(void))sre_compile,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"getcodesize", sre_getcodesize, METH_NOARGS, NULL},
    {"ascii_iscased", sre_ascii_iscased, METH_O, NULL},
    {"unicode_iscased", sre_unicode_iscased, METH_O, NULL},
    {"ascii_tolower", sre_ascii_tolower, METH_O, NULL},
    {"unicode_tolower", sre_unicode_tolower, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef sre_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_sre",
    .m_size = 0,
    .m_methods = sre_functions,
};

static const char copyright[] =
    " SRE 2.2.2 Copyright (c) 1997-2002 by Secret Labs AB ";

/* The module: the functions above, the types (readied once; they are
   static and immutable) and the constants re/_constants.py checks. */
PyMODINIT_FUNC
PyInit__sre(void)
{
    PyTypeObject *types[] = {
        &_PySRE_PatternType, &_PySRE_MatchType, &SreScannerType,
    };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (PyType_Ready(types[i]) < 0) {
            return NULL;
        }
    }
    PyObject *m = PyModule_Create(&sre_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddIntConstant(m, "MAGIC", SRE_MAGIC) < 0 ||
        PyModule_AddIntConstant(m, "CODESIZE", SRE_CODESIZE) < 0 ||
        PyModule_AddObject(m, "MAXREPEAT",
                           PyLong_FromUnsignedLong(SRE_MAXREPEAT)) < 0 ||
        PyModule_AddIntConstant(m, "MAXGROUPS", SRE_MAXGROUPS) < 0 ||
        PyModule_AddStringConstant(m, "copyright", copyright) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
