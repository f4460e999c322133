/* Traceback objects and their display in CPython 3.11's format,
 * including the `^^^^` / `~~~^^^` position markers.
 *
 * Traceback entries are made by the thread that raised; once linked into
 * an exception they are only read.  Source lines are read from the files
 * on demand (no cache: display happens once per uncaught exception). */
#include "Python.h"
#include "pycore_ceval.h"
#include "pycore_frame.h"
#include "pycore_parser.h"
#include "pycore_ceval_helpers.h"
#include "traceback.h"

static PyObject *
tb_create(PyTracebackObject *next, PyFrameObject *frame, int lasti,
          int lineno)
{
    PyTracebackObject *tb = PyObject_GC_New(PyTracebackObject,
                                            &PyTraceBack_Type);
    if (tb == NULL) {
        return NULL;
    }
    tb->tb_next = (PyTracebackObject *)Py_XNewRef((PyObject *)next);
    tb->tb_frame = (PyFrameObject *)Py_NewRef((PyObject *)frame);
    tb->tb_lasti = lasti;
    tb->tb_lineno = lineno;
    PyObject_GC_Track(tb);
    return (PyObject *)tb;
}

int
PyTraceBack_Here(PyFrameObject *frame)
{
    PyObject *exc = PyErr_GetRaisedException();
    if (exc == NULL) {
        return 0;
    }
    PyObject *tb = PyException_GetTraceback(exc);
    _PyInterpreterFrame *f = frame->f_frame;
    int index = _PyFrame_LastInstr(f);
    PyObject *newtb = tb_create((PyTracebackObject *)tb, frame,
                                index < 0 ? -1 : index * 2,
                                PyFrame_GetLineNumber(frame));
    Py_XDECREF(tb);
    if (newtb == NULL) {
        _PyErr_ChainExceptions1(exc);
        return -1;
    }
    PyException_SetTraceback(exc, newtb);
    Py_DECREF(newtb);
    PyErr_SetRaisedException(exc);
    return 0;
}

int
_PyTraceBack_AddFrame(_PyInterpreterFrame *frame)
{
    PyObject *exc = PyErr_GetRaisedException();
    PyFrameObject *f = _PyFrame_GetFrameObject(frame);
    PyErr_SetRaisedException(exc);
    if (f == NULL) {
        return -1;
    }
    return PyTraceBack_Here(f);
}

static void
tb_dealloc(PyObject *self)
{
    PyTracebackObject *tb = (PyTracebackObject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(tb->tb_next);
    Py_XDECREF(tb->tb_frame);
    PyObject_GC_Del(self);
}

static int
tb_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyTracebackObject *tb = (PyTracebackObject *)self;
    Py_VISIT(tb->tb_next);
    Py_VISIT(tb->tb_frame);
    return 0;
}

static PyObject *
tb_get_next(PyObject *self, void *c)
{
    PyObject *n = (PyObject *)((PyTracebackObject *)self)->tb_next;
    return Py_NewRef(n != NULL ? n : Py_None);
}

static int
tb_set_next(PyObject *self, PyObject *value, void *c)
{
    if (value == NULL) {
        PyErr_SetString(PyExc_TypeError, "can't delete tb_next attribute");
        return -1;
    }
    if (value == Py_None) {
        value = NULL;
    }
    else if (!PyTraceBack_Check(value)) {
        PyErr_Format(PyExc_TypeError,
                     "expected traceback object or None, got '%s'",
                     Py_TYPE(value)->tp_name);
        return -1;
    }
    for (PyObject *c2 = value; c2 != NULL;
         c2 = (PyObject *)((PyTracebackObject *)c2)->tb_next) {
        if (c2 == self) {
            PyErr_SetString(PyExc_ValueError, "traceback loop detected");
            return -1;
        }
    }
    Py_XSETREF(((PyTracebackObject *)self)->tb_next,
               (PyTracebackObject *)Py_XNewRef(value));
    return 0;
}

static PyObject *
tb_get_frame(PyObject *self, void *c)
{
    return Py_NewRef((PyObject *)((PyTracebackObject *)self)->tb_frame);
}

static PyObject *
tb_get_lasti(PyObject *self, void *c)
{
    return PyLong_FromLong(((PyTracebackObject *)self)->tb_lasti);
}

static PyObject *
tb_get_lineno(PyObject *self, void *c)
{
    int l = ((PyTracebackObject *)self)->tb_lineno;
    if (l < 0) {
        Py_RETURN_NONE;
    }
    return PyLong_FromLong(l);
}

static PyGetSetDef tb_getset[] = {
    {"tb_next", tb_get_next, tb_set_next, NULL, NULL},
    {"tb_frame", tb_get_frame, NULL, NULL, NULL},
    {"tb_lasti", tb_get_lasti, NULL, NULL, NULL},
    {"tb_lineno", tb_get_lineno, NULL, NULL, NULL},
    {NULL}
};

static PyObject *
tb_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    PyObject *next, *frame;
    int lasti, lineno;
    static char *kwlist[] = {"tb_next", "tb_frame", "tb_lasti", "tb_lineno",
                             NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OO!ii:TracebackType",
                                     kwlist, &next, &PyFrame_Type, &frame,
                                     &lasti, &lineno)) {
        return NULL;
    }
    if (next == Py_None) {
        next = NULL;
    }
    else if (!PyTraceBack_Check(next)) {
        PyErr_Format(PyExc_TypeError,
                     "expected traceback object or None, got '%s'",
                     Py_TYPE(next)->tp_name);
        return NULL;
    }
    return tb_create((PyTracebackObject *)next, (PyFrameObject *)frame,
                     lasti, lineno);
}

PyTypeObject PyTraceBack_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "traceback",
    .tp_basicsize = sizeof(PyTracebackObject),
    .tp_dealloc = tb_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = tb_traverse,
    .tp_getset = tb_getset,
    .tp_new = tb_new,
};

/* ------------------------------------------------------------------ */
/* Display. */

/* Line LINENO (1-based) of FILENAME as a malloc'ed string without its
   newline, or NULL. */
static char *
read_source_line(PyObject *filename, int lineno)
{
    const char *path = PyUnicode_AsUTF8(filename);
    if (path == NULL) {
        PyErr_Clear();
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return NULL;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len = 0;
    for (int i = 0; i < lineno; i++) {
        len = getline(&line, &cap, fp);
        if (len < 0) {
            free(line);
            fclose(fp);
            return NULL;
        }
    }
    fclose(fp);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
        line[--len] = '\0';
    }
    return line;
}

/* Characters in the first BYTES bytes of UTF-8 S. */
static Py_ssize_t
char_offset(const char *s, Py_ssize_t bytes)
{
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < bytes && s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

/* Appends C N times. */
static int
write_repeat(_PyUnicodeWriter *w, char c, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (_PyUnicodeWriter_WriteChar(w, (Py_UCS4)c) < 0) {
            return -1;
        }
    }
    return 0;
}

static int
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r'
           || c == '\v';
}

/* The `~~^^~~` anchors of a binary operation or subscript in SEGMENT
   (UTF-8 bytes), as character offsets into it; 1 when found. */
static int
caret_anchors(const char *segment, Py_ssize_t seglen, Py_ssize_t *left,
              Py_ssize_t *right)
{
    _PyArena *arena = _PyArena_New();
    if (arena == NULL) {
        return 0;
    }
    _PySyntaxErrorInfo err;
    memset(&err, 0, sizeof(err));
    int found = 0;
    mod_ty mod = _PyParser_ParseString(segment, (size_t)seglen, "<segment>",
                                       _PyParser_MODE_EXEC, arena, &err);
    if (mod == NULL) {
        _PySyntaxErrorInfo_Clear(&err);
        goto done;
    }
    asdl_stmt_seq *body = mod->v.Module.body;
    if (asdl_seq_LEN(body) != 1) {
        goto done;
    }
    stmt_ty st = asdl_seq_GET(body, 0);
    if (st->kind != Expr_kind) {
        goto done;
    }
    expr_ty e = st->v.Expr.value;
    if (e->kind == BinOp_kind) {
        Py_ssize_t op_start = e->v.BinOp.left->end_col_offset;
        Py_ssize_t op_end = e->v.BinOp.right->col_offset;
        Py_ssize_t off = 0;
        while (op_start + off < op_end && is_space(segment[op_start + off])) {
            off++;
        }
        Py_ssize_t l = op_start + off;
        Py_ssize_t r = l + 1;
        if (off + 1 < op_end - op_start && !is_space(segment[l + 1])) {
            r++;
        }
        while (l < seglen && (is_space(segment[l]) || segment[l] == ')'
                              || segment[l] == '#')) {
            l++;
            r++;
        }
        *left = char_offset(segment, l);
        *right = char_offset(segment, r);
        found = 1;
    }
    else if (e->kind == Subscript_kind) {
        Py_ssize_t l = e->v.Subscript.value->end_col_offset;
        Py_ssize_t r = e->v.Subscript.slice->end_col_offset + 1;
        while (l < seglen && (is_space(segment[l]) || segment[l] != '[')) {
            l++;
        }
        while (r < seglen && (is_space(segment[r]) || segment[r] != ']')) {
            r++;
        }
        if (r < seglen) {
            r++;
        }
        *left = char_offset(segment, l);
        *right = char_offset(segment, r);
        found = 1;
    }
done:
    _PyArena_Free(arena);
    return found;
}

/* Appends "    <source line>\n" and, when the location does not cover the
   whole line, the marker line. */
static int
write_source_line(_PyUnicodeWriter *w, PyCodeObject *co, int lasti_units,
                  int lineno)
{
    char *line = read_source_line(co->co_filename, lineno);
    if (line == NULL) {
        return 0;
    }
    Py_ssize_t len = (Py_ssize_t)strlen(line);
    Py_ssize_t lead = 0;
    while (lead < len && is_space(line[lead])) {
        lead++;
    }
    Py_ssize_t end = len;
    while (end > lead && is_space(line[end - 1])) {
        end--;
    }
    int rc = -1;
    PyObject *stripped = PyUnicode_DecodeUTF8(line + lead, end - lead,
                                              "replace");
    if (stripped == NULL) {
        goto done;
    }
    Py_ssize_t stripped_len = PyUnicode_GET_LENGTH(stripped);
    if (_PyUnicodeWriter_WriteASCIIString(w, "    ", 4) < 0
        || _PyUnicodeWriter_WriteStr(w, stripped) < 0
        || _PyUnicodeWriter_WriteChar(w, '\n') < 0) {
        Py_DECREF(stripped);
        goto done;
    }
    Py_DECREF(stripped);
    int l0, l1, c0, c1;
    if (lasti_units < 0
        || !_PyCode_UnitToLocation(co, lasti_units, &l0, &l1, &c0, &c1)
        || c0 < 0 || c1 < 0 || l0 != lineno || c0 > len
        || (l1 == l0 && c1 > len)) {
        rc = 0;
        goto done;
    }
    Py_ssize_t stripped_chars = char_offset(line, lead);
    Py_ssize_t start_off = char_offset(line, c0);
    Py_ssize_t end_off;
    Py_ssize_t al = 0, ar = 0;
    int anchors = 0;
    if (l1 == l0) {
        end_off = char_offset(line, c1);
        if (c1 > c0) {
            anchors = caret_anchors(line + c0, c1 - c0, &al, &ar);
        }
    }
    else {
        end_off = stripped_chars + stripped_len;
    }
    if (!(end_off - start_off < stripped_len
          || (anchors && ar - al > 0))) {
        rc = 0;
        goto done;
    }
    if (_PyUnicodeWriter_WriteASCIIString(w, "    ", 4) < 0
        || write_repeat(w, ' ', start_off - stripped_chars) < 0) {
        goto done;
    }
    if (anchors) {
        if (write_repeat(w, '~', al) < 0
            || write_repeat(w, '^', ar - al) < 0
            || write_repeat(w, '~', end_off - start_off - ar) < 0) {
            goto done;
        }
    }
    else if (write_repeat(w, '^', end_off - start_off) < 0) {
        goto done;
    }
    rc = _PyUnicodeWriter_WriteChar(w, '\n');
done:
    free(line);
    return rc;
}

static int
write_entry(_PyUnicodeWriter *w, PyTracebackObject *tb)
{
    PyCodeObject *co = tb->tb_frame->f_frame->f_code;
    PyObject *s = PyUnicode_FromFormat("  File \"%U\", line %d, in %U\n",
                                       co->co_filename, tb->tb_lineno,
                                       co->co_name);
    if (s == NULL) {
        return -1;
    }
    int r = _PyUnicodeWriter_WriteStr(w, s);
    Py_DECREF(s);
    if (r < 0) {
        return -1;
    }
    return write_source_line(w, co, tb->tb_lasti < 0 ? -1 : tb->tb_lasti / 2,
                             tb->tb_lineno);
}

#define TB_RECURSIVE_CUTOFF 3

static int
write_repeated(_PyUnicodeWriter *w, int cnt)
{
    if (cnt <= TB_RECURSIVE_CUTOFF) {
        return 0;
    }
    cnt -= TB_RECURSIVE_CUTOFF;
    PyObject *s = PyUnicode_FromFormat(
        "  [Previous line repeated %d more time%s]\n", cnt,
        cnt > 1 ? "s" : "");
    if (s == NULL) {
        return -1;
    }
    int r = _PyUnicodeWriter_WriteStr(w, s);
    Py_DECREF(s);
    return r;
}

/* Writes the entries of TB (without the header) to W. */
int
_PyTraceBack_Write(_PyUnicodeWriter *w, PyObject *v)
{
    PyTracebackObject *tb = (PyTracebackObject *)v;
    Py_ssize_t depth = 0;
    long limit = 1000;
    for (PyTracebackObject *t = tb; t != NULL; t = t->tb_next) {
        depth++;
    }
    while (tb != NULL && depth > limit) {
        depth--;
        tb = tb->tb_next;
    }
    PyCodeObject *last_code = NULL;
    int last_line = -1;
    int cnt = 0;
    for (; tb != NULL; tb = tb->tb_next) {
        PyCodeObject *co = tb->tb_frame->f_frame->f_code;
        if (last_code == NULL || co->co_filename != last_code->co_filename
            || tb->tb_lineno != last_line
            || co->co_name != last_code->co_name) {
            if (write_repeated(w, cnt) < 0) {
                return -1;
            }
            last_code = co;
            last_line = tb->tb_lineno;
            cnt = 0;
        }
        cnt++;
        if (cnt <= TB_RECURSIVE_CUTOFF && write_entry(w, tb) < 0) {
            return -1;
        }
    }
    return write_repeated(w, cnt);
}

int
PyTraceBack_Print(PyObject *v, PyObject *f)
{
    if (v == NULL) {
        return 0;
    }
    if (!PyTraceBack_Check(v)) {
        PyErr_BadInternalCall();
        return -1;
    }
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    if (_PyUnicodeWriter_WriteASCIIString(
            &w, "Traceback (most recent call last):\n", -1) < 0
        || _PyTraceBack_Write(&w, v) < 0) {
        _PyUnicodeWriter_Dealloc(&w);
        return -1;
    }
    PyObject *s = _PyUnicodeWriter_Finish(&w);
    if (s == NULL) {
        return -1;
    }
    PyObject *r = PyObject_CallMethodOneArg(f, _Py_STR(write), s);
    Py_DECREF(s);
    Py_XDECREF(r);
    return r == NULL ? -1 : 0;
}
