/* Compiling and running source (parse -> compile -> evaluate), and the
 * display of uncaught exceptions in CPython 3.11's format.
 *
 * Stateless; runs on the calling thread. */
#include "Python.h"
#include <unistd.h>
#include <signal.h>
#include "pycore_ceval.h"
#include "pycore_compile.h"
#include "pycore_ast_object.h"
#include "pycore_parser.h"
#include "pycore_ceval_helpers.h"
#include "traceback.h"
#include "import.h"

PyAPI_FUNC(int) _PyTraceBack_Write(_PyUnicodeWriter *w, PyObject *tb);

/* Raises the SyntaxError (or other error) ERR describes. */
static void
raise_syntax_error(_PySyntaxErrorInfo *err, PyObject *filename)
{
    const char *type = err->type != NULL ? err->type : "SyntaxError";
    PyObject *exc = PyExc_SyntaxError;
    if (strcmp(type, "IndentationError") == 0) {
        exc = PyExc_IndentationError;
    }
    else if (strcmp(type, "TabError") == 0) {
        exc = PyExc_TabError;
    }
    else if (strcmp(type, "MemoryError") == 0) {
        PyErr_NoMemory();
        return;
    }
    else if (strcmp(type, "RecursionError") == 0) {
        PyErr_SetString(PyExc_RecursionError, err->msg);
        return;
    }
    else if (strcmp(type, "ValueError") == 0) {
        PyErr_SetString(PyExc_ValueError, err->msg);
        return;
    }
    else if (strcmp(type, "SystemError") == 0) {
        PyErr_SetString(PyExc_SystemError, err->msg);
        return;
    }
#define OPT_INT(v) ((v) == _PyPARSER_NOVALUE ? Py_NewRef(Py_None) \
                                              : PyLong_FromLong(v))
    PyObject *text = err->text != NULL
        ? PyUnicode_DecodeUTF8(err->text, strlen(err->text), "replace")
        : Py_NewRef(Py_None);
    PyObject *args = Py_BuildValue(
        "(s(ONNNNN))", err->msg, filename, OPT_INT(err->lineno),
        OPT_INT(err->offset), text, OPT_INT(err->end_lineno),
        OPT_INT(err->end_offset));
#undef OPT_INT
    if (args == NULL) {
        return;
    }
    PyObject *value = PyObject_Call(exc, args, NULL);
    Py_DECREF(args);
    if (value != NULL) {
        PyErr_SetObject(exc, value);
        Py_DECREF(value);
    }
}

static int
mode_of(const char *mode)
{
    if (strcmp(mode, "eval") == 0) {
        return _PyParser_MODE_EVAL;
    }
    if (strcmp(mode, "single") == 0) {
        return _PyParser_MODE_SINGLE;
    }
    if (strcmp(mode, "func_type") == 0) {
        return _PyParser_MODE_FUNC_TYPE;
    }
    return _PyParser_MODE_EXEC;
}

static PyObject *compile_mod(mod_ty mod, _PyArena *arena,
                             PyObject *filename, const char *fname,
                             int cflags, int optimize);

/* A tree of `_ast` node objects to a code object (or, with
   PyCF_ONLY_AST, back to itself once validated, as 3.11 does). */
static PyObject *
compile_ast_object(PyObject *source, PyObject *filename, int mode,
                   int cflags, int optimize)
{
    const char *fname = PyUnicode_AsUTF8(filename);
    if (fname == NULL) {
        return NULL;
    }
    _PyArena *arena = _PyArena_New();
    if (arena == NULL) {
        return PyErr_NoMemory();
    }
    mod_ty mod = _PyAST_FromObject(source, arena, mode);
    if (mod == NULL) {
        _PyArena_Free(arena);
        return NULL;
    }
    if (cflags & PyCF_ONLY_AST) {
        _PyArena_Free(arena);
        return Py_NewRef(source);
    }
    return compile_mod(mod, arena, filename, fname, cflags, optimize);
}

/* Source bytes to a code object. */
static PyObject *
compile_bytes(const char *src, size_t len, PyObject *filename, int mode,
              int pflags, int cflags, int optimize)
{
    const char *fname = PyUnicode_AsUTF8(filename);
    if (fname == NULL) {
        return NULL;
    }
    _PyArena *arena = _PyArena_New();
    if (arena == NULL) {
        return PyErr_NoMemory();
    }
    _PySyntaxErrorInfo err;
    memset(&err, 0, sizeof(err));
    if (cflags & PyCF_ALLOW_INCOMPLETE_INPUT) {
        pflags |= _PyParser_FLAG_ALLOW_INCOMPLETE;
    }
    if (cflags & PyCF_DONT_IMPLY_DEDENT) {
        pflags |= _PyParser_FLAG_DONT_IMPLY_DEDENT;
    }
    mod_ty mod = _PyParser_ParseStringEx(src, len, fname, mode, pflags,
                                         arena, &err);
    if (mod == NULL) {
        raise_syntax_error(&err, filename);
        _PySyntaxErrorInfo_Clear(&err);
        _PyArena_Free(arena);
        return NULL;
    }
    if (cflags & PyCF_ONLY_AST) {
        /* compile(..., PyCF_ONLY_AST): the tree as `_ast` objects. */
        PyObject *tree = _PyAST_ToObject(mod);
        _PyArena_Free(arena);
        return tree;
    }
    return compile_mod(mod, arena, filename, fname, cflags, optimize);
}

/* Compile MOD, which lives in ARENA (consumed), to a code object. */
static PyObject *
compile_mod(mod_ty mod, _PyArena *arena, PyObject *filename,
            const char *fname, int cflags, int optimize)
{
    _PySyntaxErrorInfo err;
    memset(&err, 0, sizeof(err));
    PyObject *code = NULL;
    _PyCompileResult *res = _PyCompile_AST(mod, fname, cflags, optimize,
                                           arena, &err);
    if (res == NULL) {
        raise_syntax_error(&err, filename);
        _PySyntaxErrorInfo_Clear(&err);
        _PyArena_Free(arena);
        return NULL;
    }
    for (int i = 0; i < res->nwarnings; i++) {
        _PyCompileWarning *w = &res->warnings[i];
        if (PyErr_WarnExplicit(PyExc_SyntaxWarning, w->msg, fname,
                               w->lineno, NULL, NULL) < 0) {
            _PyCompileResult_Free(res);
            _PyArena_Free(arena);
            return NULL;
        }
    }
    code = _PyCode_FromUnit(res->unit);
    _PyCompileResult_Free(res);
    _PyArena_Free(arena);
    return code;
}

/* FOR_EXEC: 1 for exec(), 2 for compile() (which also accepts a tree of
   `_ast` objects), 0 otherwise; it picks the error message. */
PyObject *
_PyRun_CompileObject(PyObject *source, PyObject *filename, const char *mode,
                     int flags, int optimize, int for_exec)
{
    int m = mode_of(mode);
    if (for_exec == 2) {
        int is_ast = _PyAST_Check(source);
        if (is_ast < 0) {
            return NULL;
        }
        if (is_ast) {
            return compile_ast_object(source, filename, m, flags, optimize);
        }
    }
    if (PyUnicode_Check(source)) {
        Py_ssize_t size;
        const char *s = PyUnicode_AsUTF8AndSize(source, &size);
        if (s == NULL) {
            return NULL;
        }
        if ((Py_ssize_t)strlen(s) != size) {
            PyErr_SetString(PyExc_SyntaxError,
                            "source code string cannot contain null bytes");
            return NULL;
        }
        return compile_bytes(s, (size_t)size, filename, m,
                             _PyParser_FLAG_SOURCE_IS_STR, flags, optimize);
    }
    if (PyBytes_Check(source)) {
        if ((Py_ssize_t)strlen(PyBytes_AS_STRING(source))
            != PyBytes_GET_SIZE(source)) {
            PyErr_SetString(PyExc_SyntaxError,
                            "source code string cannot contain null bytes");
            return NULL;
        }
        return compile_bytes(PyBytes_AS_STRING(source),
                             (size_t)PyBytes_GET_SIZE(source), filename, m,
                             0, flags, optimize);
    }
    if (for_exec == 2) {
        PyErr_SetString(PyExc_TypeError,
                        "compile() arg 1 must be a string, bytes or AST "
                        "object");
        return NULL;
    }
    PyErr_Format(PyExc_TypeError,
                 "%s() arg 1 must be a string, bytes or code object",
                 for_exec ? "exec" : (strcmp(mode, "eval") == 0 ? "eval"
                                                                : "compile"));
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Exception display. */

static int
write_str(PyObject *file, PyObject *s)
{
    PyObject *r = PyObject_CallMethodOneArg(file, _Py_STR(write), s);
    Py_XDECREF(r);
    return r == NULL ? -1 : 0;
}

static int
write_cstr(PyObject *file, const char *s)
{
    PyObject *u = PyUnicode_FromString(s);
    if (u == NULL) {
        return -1;
    }
    int r = write_str(file, u);
    Py_DECREF(u);
    return r;
}

/* "module.qualname" of the exception's type, as 3.11 prints it. */
static PyObject *
exc_type_name(PyObject *exc)
{
    PyTypeObject *type = Py_TYPE(exc);
    PyObject *qualname = PyType_GetQualName(type);
    if (qualname == NULL) {
        return NULL;
    }
    PyObject *module = NULL;
    if (_PyObject_LookupAttr((PyObject *)type, _Py_STR(__module__), &module)
        < 0) {
        PyErr_Clear();
    }
    PyObject *res;
    if (module == NULL || !PyUnicode_Check(module)) {
        res = PyUnicode_FromFormat("<unknown>.%U", qualname);
    }
    else if (_PyUnicode_EqualToASCIIString(module, "builtins")
             || _PyUnicode_EqualToASCIIString(module, "__main__")) {
        res = Py_NewRef(qualname);
    }
    else {
        res = PyUnicode_FromFormat("%U.%U", module, qualname);
    }
    Py_XDECREF(module);
    Py_DECREF(qualname);
    return res;
}

/* The "  File ..., line N" block of a SyntaxError, with its caret. */
static int
write_syntax_error_location(_PyUnicodeWriter *w, PyObject *exc)
{
    PySyntaxErrorObject *se = (PySyntaxErrorObject *)exc;
    PyObject *fn = se->filename;
    long lineno = se->lineno != NULL && PyLong_Check(se->lineno)
                      ? PyLong_AsLong(se->lineno) : -1;
    if (fn == NULL || fn == Py_None || lineno < 0) {
        return 0;
    }
    PyObject *s = PyUnicode_FromFormat("  File \"%S\", line %ld\n", fn,
                                       lineno);
    if (s == NULL || _PyUnicodeWriter_WriteStr(w, s) < 0) {
        Py_XDECREF(s);
        return -1;
    }
    Py_DECREF(s);
    if (se->text == NULL || !PyUnicode_Check(se->text)) {
        return 0;
    }
    PyObject *text = se->text;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    Py_ssize_t start = 0;
    while (start < len) {
        Py_UCS4 c = PyUnicode_READ_CHAR(text, start);
        if (c != ' ' && c != '\t' && c != '\f') {
            break;
        }
        start++;
    }
    Py_ssize_t end = len;
    while (end > start) {
        Py_UCS4 c = PyUnicode_READ_CHAR(text, end - 1);
        if (c != '\n' && c != '\r' && c != ' ' && c != '\t' && c != '\f') {
            break;
        }
        end--;
    }
    PyObject *line = PyUnicode_Substring(text, start, end);
    if (line == NULL) {
        return -1;
    }
    int r = _PyUnicodeWriter_WriteASCIIString(w, "    ", 4);
    if (r == 0) {
        r = _PyUnicodeWriter_WriteStr(w, line);
    }
    Py_DECREF(line);
    if (r < 0 || _PyUnicodeWriter_WriteChar(w, '\n') < 0) {
        return -1;
    }
    long offset = se->offset != NULL && PyLong_Check(se->offset)
                      ? PyLong_AsLong(se->offset) : -1;
    if (offset < 1) {
        return 0;
    }
    long end_lineno = se->end_lineno != NULL && PyLong_Check(se->end_lineno)
                          ? PyLong_AsLong(se->end_lineno) : lineno;
    long end_offset = se->end_offset != NULL && PyLong_Check(se->end_offset)
                          ? PyLong_AsLong(se->end_offset) : -1;
    offset -= (long)start;
    if (end_lineno > lineno) {
        end_offset = (long)(end - start) + 1;
    }
    else if (end_offset >= 1) {
        end_offset -= (long)start;
    }
    if (offset < 1) {
        offset = 1;
    }
    if (offset > (long)(end - start) + 1) {
        offset = (long)(end - start) + 1;
    }
    if (end_offset <= offset) {
        end_offset = offset + 1;
    }
    if (_PyUnicodeWriter_WriteASCIIString(w, "    ", 4) < 0) {
        return -1;
    }
    for (long i = 1; i < offset; i++) {
        if (_PyUnicodeWriter_WriteChar(w, ' ') < 0) {
            return -1;
        }
    }
    for (long i = offset; i < end_offset; i++) {
        if (_PyUnicodeWriter_WriteChar(w, '^') < 0) {
            return -1;
        }
    }
    return _PyUnicodeWriter_WriteChar(w, '\n');
}

/* The state of printing one exception display: the exception-group
   nesting depth (each level indents by two and adds a "| " margin), whether
   a group's closing line is still owed, and the exceptions already shown. */
struct print_ctx {
    int depth;
    int need_close;
    PyObject *seen;
    int last_was_close;     /* the last line written closed a group */
};

/* Appends TEXT to W with every line (blank ones too) prefixed by the
   context's indentation and, inside a group, MARGIN and a space. */
static int
emit(_PyUnicodeWriter *w, struct print_ctx *c, PyObject *text, char margin)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t start = 0;
    while (start < n) {
        Py_ssize_t nl = PyUnicode_FindChar(text, '\n', start, n, 1);
        Py_ssize_t end = nl < 0 ? n : nl + 1;
        for (int i = 0; i < 2 * c->depth; i++) {
            if (_PyUnicodeWriter_WriteChar(w, ' ') < 0) {
                return -1;
            }
        }
        if (c->depth > 0
            && (_PyUnicodeWriter_WriteChar(w, margin) < 0
                || _PyUnicodeWriter_WriteChar(w, ' ') < 0)) {
            return -1;
        }
        if (_PyUnicodeWriter_WriteSubstring(w, text, start, end) < 0) {
            return -1;
        }
        c->last_was_close = 0;
        start = end;
    }
    return 0;
}

/* emit() of a C string. */
static int
emit_str(_PyUnicodeWriter *w, struct print_ctx *c, const char *text,
         char margin)
{
    PyObject *t = PyUnicode_FromString(text);
    if (t == NULL) {
        return -1;
    }
    int r = emit(w, c, t, margin);
    Py_DECREF(t);
    return r;
}

/* Writes EXC's traceback entries (without the header line) to W;
   0 when it has none. */
static int
write_tb_entries(_PyUnicodeWriter *w, PyObject *exc, int *has_tb)
{
    PyObject *tb = PyException_GetTraceback(exc);
    *has_tb = tb != NULL && tb != Py_None;
    int r = *has_tb ? _PyTraceBack_Write(w, tb) : 0;
    Py_XDECREF(tb);
    return r;
}

/* One exception: type and message, notes (the traceback is written by
   the caller). */
static int
write_one_exception(_PyUnicodeWriter *w, PyObject *exc)
{
    if (PyErr_GivenExceptionMatches(exc, PyExc_SyntaxError)
        && write_syntax_error_location(w, exc) < 0) {
        return -1;
    }
    PyObject *name = exc_type_name(exc);
    if (name == NULL) {
        return -1;
    }
    int r = _PyUnicodeWriter_WriteStr(w, name);
    Py_DECREF(name);
    if (r < 0) {
        return -1;
    }
    PyObject *s;
    if (PyErr_GivenExceptionMatches(exc, PyExc_SyntaxError)
        && ((PySyntaxErrorObject *)exc)->msg != NULL) {
        s = PyObject_Str(((PySyntaxErrorObject *)exc)->msg);
    }
    else {
        s = PyObject_Str(exc);
    }
    if (s == NULL) {
        PyErr_Clear();
        r = _PyUnicodeWriter_WriteASCIIString(
            w, ": <exception str() failed>", -1);
    }
    else {
        if (PyUnicode_GET_LENGTH(s) > 0) {
            r = _PyUnicodeWriter_WriteASCIIString(w, ": ", 2);
            if (r == 0) {
                r = _PyUnicodeWriter_WriteStr(w, s);
            }
        }
        Py_DECREF(s);
    }
    if (r < 0 || _PyUnicodeWriter_WriteChar(w, '\n') < 0) {
        return -1;
    }
    PyObject *notes = NULL;
    if (_PyObject_LookupAttr(exc, _Py_STR(__notes__), &notes) < 0) {
        PyErr_Clear();
    }
    if (notes != NULL && PySequence_Check(notes)
        && !PyUnicode_Check(notes)) {
        Py_ssize_t n = PySequence_Size(notes);
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *note = PySequence_GetItem(notes, i);
            PyObject *ns = note != NULL ? PyObject_Str(note) : NULL;
            Py_XDECREF(note);
            if (ns == NULL) {
                PyErr_Clear();
                continue;
            }
            _PyUnicodeWriter_WriteStr(w, ns);
            _PyUnicodeWriter_WriteChar(w, '\n');
            Py_DECREF(ns);
        }
    }
    Py_XDECREF(notes);
    return 0;
}

static int write_exception_chain(_PyUnicodeWriter *w, PyObject *exc,
                                 struct print_ctx *c);

/* Renders EXC's traceback (with HEADER) and its "Type: message" part
   into a string and emits it; MARGIN is the header line's margin. */
static int
emit_exception(_PyUnicodeWriter *w, struct print_ctx *c, PyObject *exc,
               const char *header, char margin)
{
    _PyUnicodeWriter tw;
    _PyUnicodeWriter_Init(&tw);
    int has_tb = 0;
    if (write_tb_entries(&tw, exc, &has_tb) < 0) {
        _PyUnicodeWriter_Dealloc(&tw);
        return -1;
    }
    if (has_tb && emit_str(w, c, header, margin) < 0) {
        _PyUnicodeWriter_Dealloc(&tw);
        return -1;
    }
    if (write_one_exception(&tw, exc) < 0) {
        _PyUnicodeWriter_Dealloc(&tw);
        return -1;
    }
    PyObject *text = _PyUnicodeWriter_Finish(&tw);
    if (text == NULL) {
        return -1;
    }
    int r = emit(w, c, text, '|');
    Py_DECREF(text);
    return r;
}

#define MAX_GROUP_WIDTH 15
#define MAX_GROUP_DEPTH 10

/* An exception group as 3.11 draws it: a "+ Exception Group Traceback"
   header at top level, then each sub-exception (with its own chain)
   under a "+---- i ----" rule, at most MAX_GROUP_WIDTH of them. */
static int
write_group(_PyUnicodeWriter *w, PyObject *exc, struct print_ctx *c)
{
    if (c->depth > MAX_GROUP_DEPTH) {
        PyObject *t = PyUnicode_FromFormat("... (max_group_depth is %d)\n",
                                           MAX_GROUP_DEPTH);
        int r = t != NULL ? emit(w, c, t, '|') : -1;
        Py_XDECREF(t);
        return r;
    }
    int toplevel = c->depth == 0;
    if (toplevel) {
        c->depth++;
    }
    if (emit_exception(w, c, exc,
                       "Exception Group Traceback (most recent call last):\n",
                       toplevel ? '+' : '|') < 0) {
        return -1;
    }
    PyObject *excs = PyObject_GetAttrString(exc, "exceptions");
    if (excs == NULL || !PyTuple_Check(excs)) {
        Py_XDECREF(excs);
        PyErr_Clear();
        if (toplevel) {
            c->depth = 0;
        }
        return 0;
    }
    Py_ssize_t num = PyTuple_GET_SIZE(excs);
    Py_ssize_t n = num <= MAX_GROUP_WIDTH ? num : MAX_GROUP_WIDTH + 1;
    c->need_close = 0;
    int r = 0;
    for (Py_ssize_t i = 0; r == 0 && i < n; i++) {
        int last = i == n - 1;
        if (last) {
            c->need_close = 1;
        }
        int truncated = i >= MAX_GROUP_WIDTH;
        PyObject *title = truncated
            ? PyUnicode_FromString("...")
            : PyUnicode_FromFormat("%zd", i + 1);
        PyObject *line = title != NULL
            ? PyUnicode_FromFormat("%*s%s+---------------- %U "
                                   "----------------\n", 2 * c->depth, "",
                                   i == 0 ? "+-" : "  ", title)
            : NULL;
        Py_XDECREF(title);
        if (line == NULL || _PyUnicodeWriter_WriteStr(w, line) < 0) {
            Py_XDECREF(line);
            r = -1;
            break;
        }
        Py_DECREF(line);
        c->last_was_close = 0;
        c->depth++;
        if (!truncated) {
            r = write_exception_chain(w, PyTuple_GET_ITEM(excs, i), c);
        }
        else {
            Py_ssize_t more = num - MAX_GROUP_WIDTH;
            PyObject *t = PyUnicode_FromFormat("and %zd more exception%s\n",
                                               more, more > 1 ? "s" : "");
            r = t != NULL ? emit(w, c, t, '|') : -1;
            Py_XDECREF(t);
        }
        if (r == 0 && last && !c->last_was_close) {
            PyObject *t = PyUnicode_FromFormat(
                "%*s+------------------------------------\n",
                2 * c->depth, "");
            r = t != NULL ? _PyUnicodeWriter_WriteStr(w, t) : -1;
            Py_XDECREF(t);
            c->need_close = 0;
            c->last_was_close = 1;
        }
        c->depth--;
    }
    Py_DECREF(excs);
    if (toplevel) {
        c->depth = 0;
    }
    return r;
}

static int
write_exception_chain(_PyUnicodeWriter *w, PyObject *exc,
                      struct print_ctx *c)
{
    PyObject *seen = c->seen;
    PyObject *id = PyLong_FromVoidPtr(exc);
    if (id == NULL || PySet_Add(seen, id) < 0) {
        Py_XDECREF(id);
        return -1;
    }
    Py_DECREF(id);
    PyBaseExceptionObject *be = (PyBaseExceptionObject *)exc;
    PyObject *cause = be->cause;
    PyObject *context = be->context;
    if (cause != NULL && cause != Py_None && PyExceptionInstance_Check(cause)) {
        PyObject *cid = PyLong_FromVoidPtr(cause);
        int in = cid != NULL ? PySet_Contains(seen, cid) : -1;
        Py_XDECREF(cid);
        if (in == 0) {
            if (write_exception_chain(w, cause, c) < 0
                || emit_str(w, c, "\nThe above exception was the direct "
                            "cause of the following exception:\n\n",
                            '|') < 0) {
                return -1;
            }
        }
    }
    else if (context != NULL && context != Py_None
             && !be->suppress_context
             && PyExceptionInstance_Check(context)) {
        PyObject *cid = PyLong_FromVoidPtr(context);
        int in = cid != NULL ? PySet_Contains(seen, cid) : -1;
        Py_XDECREF(cid);
        if (in == 0) {
            if (write_exception_chain(w, context, c) < 0
                || emit_str(w, c, "\nDuring handling of the above "
                            "exception, another exception occurred:\n\n",
                            '|') < 0) {
                return -1;
            }
        }
    }
    if (PyObject_TypeCheck(exc,
                           (PyTypeObject *)PyExc_BaseExceptionGroup)) {
        return write_group(w, exc, c);
    }
    return emit_exception(w, c, exc, "Traceback (most recent call last):\n",
                          '|');
}

/* Writes EXC with its chain to FILE (sys.stderr when NULL). */
void
_PyErr_DisplayTo(PyObject *file, PyObject *exc)
{
    if (file == NULL) {
        file = _PySys_GetAttr(_Py_STR(stderr));
    }
    if (file == NULL || file == Py_None) {
        return;
    }
    Py_INCREF(file);
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    PyObject *seen = PySet_New(NULL);
    struct print_ctx ctx = {0, 0, seen, 0};
    if (seen == NULL || write_exception_chain(&w, exc, &ctx) < 0) {
        Py_XDECREF(seen);
        _PyUnicodeWriter_Dealloc(&w);
        PyErr_Clear();
        Py_DECREF(file);
        return;
    }
    Py_DECREF(seen);
    PyObject *s = _PyUnicodeWriter_Finish(&w);
    if (s != NULL) {
        write_str(file, s);
        Py_DECREF(s);
    }
    PyObject *r = PyObject_CallMethodNoArgs(file, _Py_STR(flush));
    Py_XDECREF(r);
    PyErr_Clear();
    Py_DECREF(file);
}

void
PyErr_Display(PyObject *unused, PyObject *value, PyObject *tb)
{
    if (value == NULL || !PyExceptionInstance_Check(value)) {
        return;
    }
    if (tb != NULL && tb != Py_None) {
        PyException_SetTraceback(value, tb);
    }
    _PyErr_DisplayTo(NULL, value);
}

/* The exit status SystemExit asks for (printing a non-int code). */
static int
system_exit_status(PyObject *exc)
{
    PyObject *code = ((PySystemExitObject *)exc)->code;
    if (code == NULL || code == Py_None) {
        return 0;
    }
    if (PyLong_Check(code)) {
        int overflow;
        long v = PyLong_AsLongAndOverflow(code, &overflow);
        PyErr_Clear();
        return overflow ? -1 : (int)v;
    }
    PyObject *file = _PySys_GetAttr(_Py_STR(stderr));
    PyObject *s = PyObject_Str(code);
    if (file != NULL && file != Py_None && s != NULL) {
        write_str(file, s);
        write_cstr(file, "\n");
        PyObject *r = PyObject_CallMethodNoArgs(file, _Py_STR(flush));
        Py_XDECREF(r);
    }
    Py_XDECREF(s);
    PyErr_Clear();
    return 1;
}

/* Reports the current exception as uncaught; returns the exit status it
   implies (SystemExit's code, else 1). */
int
_PyRun_HandleUncaught(void)
{
    PyObject *exc = PyErr_GetRaisedException();
    if (exc == NULL) {
        return 0;
    }
    int status;
    if (PyErr_GivenExceptionMatches(exc, PyExc_SystemExit)) {
        status = system_exit_status(exc);
    }
    else {
        PyObject *hook = _PySys_GetAttr(_Py_STR(excepthook));
        if (hook != NULL && hook != Py_None && !PyCFunction_Check(hook)) {
            PyObject *tb = PyException_GetTraceback(exc);
            PyObject *r = PyObject_CallFunctionObjArgs(
                hook, (PyObject *)Py_TYPE(exc), exc,
                tb != NULL ? tb : Py_None, NULL);
            Py_XDECREF(tb);
            if (r == NULL) {
                PyErr_Clear();
                _PyErr_DisplayTo(NULL, exc);
            }
            Py_XDECREF(r);
        }
        else {
            _PyErr_DisplayTo(NULL, exc);
        }
        status = 1;
        if (PyErr_GivenExceptionMatches(exc, PyExc_KeyboardInterrupt)) {
            /* As 3.11: die of SIGINT so the parent sees the interrupt
               (shell status 130).  TODO(main): do this after
               finalization, in Py_RunMain. */
            PyObject *out = _PySys_GetAttr(_Py_STR(stdout));
            if (out != NULL && out != Py_None) {
                PyObject *r = PyObject_CallMethodNoArgs(out, _Py_STR(flush));
                Py_XDECREF(r);
            }
            PyErr_Clear();
            fflush(NULL);
            signal(SIGINT, SIG_DFL);
            kill(getpid(), SIGINT);
        }
    }
    Py_DECREF(exc);
    return status;
}

void
PyErr_PrintEx(int set_sys_last_vars)
{
    PyObject *exc = PyErr_GetRaisedException();
    if (exc == NULL) {
        return;
    }
    _PyErr_DisplayTo(NULL, exc);
    Py_DECREF(exc);
}

void
PyErr_Print(void)
{
    PyErr_PrintEx(1);
}

static char *read_all(FILE *fp, size_t *plen);

/* Runs CODE in the __main__ module's namespace. */
static PyObject *
run_in_main(PyObject *code, PyObject *filename)
{
    PyObject *main = PyImport_AddModule("__main__");
    if (main == NULL) {
        return NULL;
    }
    PyObject *d = PyModule_GetDict(main);
    if (filename != NULL
        && PyDict_SetItemString(d, "__file__", filename) < 0) {
        return NULL;
    }
    return PyEval_EvalCode(code, d, d);
}

/* Runs the script PATH as __main__; returns the process exit status. */
int
_PyRun_MainFile(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return -1;
    }
    size_t len = 0;
    char *buf = read_all(fp, &len);
    fclose(fp);
    if (buf == NULL) {
        return -1;
    }
    /* As 3.11, a relative script path is joined to the working
       directory without normalizing (python3.11 ./x.py: "/cwd/./x.py"). */
    PyObject *filename;
    char cwd[4096];
    if (path[0] != '/' && getcwd(cwd, sizeof(cwd)) != NULL) {
        filename = PyUnicode_FromFormat("%s/%s", cwd, path);
    }
    else {
        filename = PyUnicode_DecodeFSDefault(path);
    }
    PyObject *code = filename != NULL
        ? compile_bytes(buf, len, filename, _PyParser_MODE_EXEC, 0, 0, -1)
        : NULL;
    free(buf);
    PyObject *res = code != NULL ? run_in_main(code, filename) : NULL;
    Py_XDECREF(code);
    Py_XDECREF(filename);
    if (res == NULL) {
        return _PyRun_HandleUncaught();
    }
    Py_DECREF(res);
    return 0;
}

int
PyRun_SimpleString(const char *command)
{
    PyObject *filename = PyUnicode_FromString("<string>");
    if (filename == NULL) {
        return -1;
    }
    PyObject *code = compile_bytes(command, strlen(command), filename,
                                   _PyParser_MODE_EXEC,
                                   _PyParser_FLAG_SOURCE_IS_STR, 0, -1);
    Py_DECREF(filename);
    PyObject *res = code != NULL ? run_in_main(code, NULL) : NULL;
    Py_XDECREF(code);
    if (res == NULL) {
        PyObject *exc = PyErr_GetRaisedException();
        PyErr_SetRaisedException(exc);
        if (exc != NULL
            && PyErr_GivenExceptionMatches(exc, PyExc_SystemExit)) {
            exit(_PyRun_HandleUncaught());
        }
        _PyRun_HandleUncaught();
        return -1;
    }
    Py_DECREF(res);
    return 0;
}

/* Reads all of `fp` into a malloc'ed, NUL-terminated buffer; NULL on
   failure (errno set). */
static char *
read_all(FILE *fp, size_t *plen)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = (len + 4096 + 1) * 2;
            char *nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                return NULL;
            }
            buf = nb;
        }
        size_t n = fread(buf + len, 1, 4096, fp);
        len += n;
        if (n == 0) {
            break;
        }
    }
    if (ferror(fp)) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    *plen = len;
    return buf;
}

/* The program read from standard input (`python -` or `python < f`),
   run as __main__ with __file__ '<stdin>'; the exit status. */
int
_PyRun_Stdin(void)
{
    size_t len = 0;
    char *buf = read_all(stdin, &len);
    if (buf == NULL) {
        PyErr_SetFromErrno(PyExc_OSError);
        return _PyRun_HandleUncaught();
    }
    PyObject *filename = PyUnicode_FromString("<stdin>");
    PyObject *code = filename != NULL
        ? compile_bytes(buf, len, filename, _PyParser_MODE_EXEC, 0, 0, -1)
        : NULL;
    free(buf);
    PyObject *res = code != NULL ? run_in_main(code, filename) : NULL;
    Py_XDECREF(code);
    Py_XDECREF(filename);
    if (res == NULL) {
        return _PyRun_HandleUncaught();
    }
    Py_DECREF(res);
    return 0;
}

/* -m MODULE: runpy._run_module_as_main(MODULE), with the working
   directory first on sys.path as 3.11 puts it; the exit status. */
int
_PyRun_Module(const char *modname)
{
    char cwd[4096];
    PyObject *path = PySys_GetObject("path");       /* borrowed */
    if (getcwd(cwd, sizeof(cwd)) != NULL && path != NULL &&
        PyList_Check(path) && PyList_GET_SIZE(path) > 0) {
        PyObject *dir = PyUnicode_DecodeFSDefault(cwd);
        if (dir == NULL || PyList_SetItem(path, 0, dir) < 0) {
            return _PyRun_HandleUncaught();
        }
    }
    PyObject *runpy = PyImport_ImportModule("runpy");
    if (runpy == NULL) {
        fprintf(stderr, "Could not import runpy module\n");
        return _PyRun_HandleUncaught();
    }
    PyObject *res = PyObject_CallMethod(runpy, "_run_module_as_main", "si",
                                        modname, 1);
    Py_DECREF(runpy);
    if (res == NULL) {
        return _PyRun_HandleUncaught();
    }
    Py_DECREF(res);
    return 0;
}

/* -c COMMAND: returns the exit status. */
int
_PyRun_Command(const char *command)
{
    PyObject *filename = PyUnicode_FromString("<string>");
    if (filename == NULL) {
        return _PyRun_HandleUncaught();
    }
    PyObject *code = compile_bytes(command, strlen(command), filename,
                                   _PyParser_MODE_EXEC,
                                   _PyParser_FLAG_SOURCE_IS_STR, 0, -1);
    Py_DECREF(filename);
    PyObject *res = code != NULL ? run_in_main(code, NULL) : NULL;
    Py_XDECREF(code);
    if (res == NULL) {
        return _PyRun_HandleUncaught();
    }
    Py_DECREF(res);
    return 0;
}
