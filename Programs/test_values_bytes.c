/* bytes and bytearray: creation, repr, concatenation, repetition,
 * indexing, slicing, comparison, hashing, hex/fromhex, decode, join, the
 * buffer protocol and bytearray mutations (reprs and messages from
 * CPython 3.11), the methods bytes and bytearray share and %-formatting
 * (testvalues_bytes.h, generated with python3.11), and bytearray appends
 * from many threads. */
#include "testvalues.h"
#include "pycore_bytesobject.h"
#include "testvalues_bytes.h"

static PyObject *
B(const char *s, Py_ssize_t n)
{
    PyObject *b = PyBytes_FromStringAndSize(s, n);
    CHECK(b != NULL);
    return b;
}

static PyObject *
BA(const char *s, Py_ssize_t n)
{
    PyObject *b = PyByteArray_FromStringAndSize(s, n);
    CHECK(b != NULL);
    return b;
}

static PyObject *
slice3(long a, long b, long c, int has_a, int has_b)
{
    PyObject *pa = has_a ? PyLong_FromLong(a) : Py_NewRef(Py_None);
    PyObject *pb = has_b ? PyLong_FromLong(b) : Py_NewRef(Py_None);
    PyObject *pc = PyLong_FromLong(c);
    PyObject *s = PySlice_New(pa, pb, pc);
    Py_DECREF(pa);
    Py_DECREF(pb);
    Py_DECREF(pc);
    return s;
}

static void
test_bytes(void)
{
    tv_check_repr(B("a'b\"\x00\xff\t\n\r\\\x7f\x80", 12),
                  "b'a\\'b\"\\x00\\xff\\t\\n\\r\\\\\\x7f\\x80'");
    tv_check_repr(B("'", 1), "b\"'\"");
    CHECK(B("a", 1) == B("a", 1));          /* one-byte values shared */
    CHECK(B("", 0) == PyBytes_FromString(""));
    PyObject *abc = B("abc", 3), *abd = B("abd", 3);
    CHECK(PyObject_RichCompare(abc, abd, Py_LT) == Py_True);
    CHECK(PyObject_RichCompare(abc, abc, Py_EQ) == Py_True);
    PyObject *s = PyUnicode_FromString("abc");
    CHECK(PyObject_RichCompare(abc, s, Py_EQ) == Py_False);
    CHECK(PyObject_Hash(abc) == PyObject_Hash(B("abc", 3)));
    PySequenceMethods *sq = PyBytes_Type.tp_as_sequence;
    PyMappingMethods *mp = PyBytes_Type.tp_as_mapping;
    tv_check_repr(sq->sq_concat(abc, abd), "b'abcabd'");
    CHECK(sq->sq_concat(abc, s) == NULL);
    tv_check_error("TypeError", "can't concat str to bytes");
    tv_check_repr(sq->sq_repeat(abc, 2), "b'abcabc'");
    tv_check_repr(sq->sq_repeat(abc, -1), "b''");
    tv_check_repr(sq->sq_item(abc, 1), "98");
    CHECK(sq->sq_item(abc, 5) == NULL);
    tv_check_error("IndexError", "index out of range");
    PyObject *one = PyLong_FromLong(98), *big = PyLong_FromLong(300);
    CHECK(sq->sq_contains(abc, one) == 1);
    CHECK(sq->sq_contains(abc, big) == -1);
    tv_check_error("ValueError", "byte must be in range(0, 256)");
    CHECK(sq->sq_contains(abc, s) == -1);
    tv_check_error("TypeError", "a bytes-like object is required, not 'str'");
    CHECK(sq->sq_contains(abc, B("bc", 2)) == 1);
    PyObject *sl = slice3(0, 0, -2, 0, 0);
    tv_check_repr(mp->mp_subscript(B("abcdef", 6), sl), "b'fdb'");
    Py_DECREF(sl);
    CHECK(mp->mp_subscript(abc, s) == NULL);
    tv_check_error("TypeError",
                   "byte indices must be integers or slices, not str");
    /* methods */
    tv_check_repr(PyObject_CallMethod((PyObject *)&PyBytes_Type, "fromhex",
                                      "s", " 0a 0B "), "b'\\n\\x0b'");
    CHECK(PyObject_CallMethod((PyObject *)&PyBytes_Type, "fromhex", "s",
                              "0a0") == NULL);
    tv_check_error("ValueError", "non-hexadecimal number found in fromhex() "
                   "arg at position 3");
    PyObject *hx = B("\x01\xab\xcd", 3);
    tv_check_str(_PyBytes_HexBuffer("\x01\xab\xcd", 3, NULL, 1), "01abcd");
    PyObject *colon = PyUnicode_FromString(":");
    tv_check_str(_PyBytes_HexBuffer("\x01\xab\xcd", 3, colon, 2), "01:abcd");
    tv_check_str(_PyBytes_HexBuffer("\x01\xab\xcd", 3, colon, -2),
                 "01ab:cd");
    Py_DECREF(colon);
    Py_DECREF(hx);
    PyObject *cafe = B("caf\xc3\xa9", 5);
    tv_check_repr(PyObject_CallMethod(cafe, "decode", NULL), "'caf\xc3\xa9'");
    tv_check_repr(PyObject_CallMethod(cafe, "decode", "s", "latin-1"),
                  "'caf\xc3\x83\xc2\xa9'");
    PyObject *parts = Py_BuildValue("[OO]", abc, abd);
    PyObject *dash = B("-", 1);
    tv_check_repr(PyObject_CallMethod(dash, "join", "(O)", parts),
                  "b'abc-abd'");
    PyObject *t = Py_BuildValue("(O)", abc);
    tv_check_repr(PyObject_CallMethod(abc, "startswith", "(O)", t), "True");
    Py_DECREF(t);
    /* bytes(x) */
    Py_DECREF(parts);
    PyObject *ints = Py_BuildValue("[iii]", 104, 105, 255);
    tv_check_repr(PyBytes_FromObject(ints), "b'hi\\xff'");
    Py_DECREF(ints);
    ints = Py_BuildValue("[i]", 256);
    CHECK(PyBytes_FromObject(ints) == NULL);
    tv_check_error("ValueError", "bytes must be in range(0, 256)");
    Py_DECREF(ints);
    CHECK(PyBytes_FromObject(s) == NULL);
    tv_check_error("TypeError", "cannot convert 'str' object to bytes");
    tv_check_repr(PyBytes_FromFormat("%d-%s-%c-%zd%%", -5, "x\xff", 'z',
                                     (Py_ssize_t)7), "b'-5-x\\xff-z-7%'");
    char *buf;
    Py_ssize_t len;
    CHECK(PyBytes_AsStringAndSize(B("a\0b", 3), &buf, NULL) == -1);
    tv_check_error("ValueError", "embedded null byte");
    CHECK(PyBytes_AsStringAndSize(abc, &buf, &len) == 0 && len == 3);
    tv_check_repr(PyBytes_DecodeEscape("a\\x41\\n\\101\\q", 13, NULL, 0,
                                       NULL), "b'aA\\nA\\\\q'");
    CHECK(PyBytes_DecodeEscape("\\x4", 3, NULL, 0, NULL) == NULL);
    tv_check_error("ValueError", "invalid \\x escape at position 0");
    PyObject *cat = Py_NewRef(abc);
    PyBytes_Concat(&cat, abd);
    tv_check_repr(cat, "b'abcabd'");
    Py_DECREF(cafe);
    Py_DECREF(dash);
    Py_DECREF(one);
    Py_DECREF(big);
    Py_DECREF(s);
    Py_DECREF(abc);
    Py_DECREF(abd);
}

static void
test_bytearray(void)
{
    PyObject *b = BA("hello", 5);
    PyMappingMethods *mp = PyByteArray_Type.tp_as_mapping;
    PySequenceMethods *sq = PyByteArray_Type.tp_as_sequence;
    PyObject *zero = PyLong_FromLong(0), *h = PyLong_FromLong(72);
    CHECK(mp->mp_ass_subscript(b, zero, h) == 0);
    PyObject *s13 = slice3(1, 3, 1, 1, 1);
    PyObject *ey = B("EY", 2);
    CHECK(mp->mp_ass_subscript(b, s13, ey) == 0);
    tv_check_repr(Py_NewRef(b), "bytearray(b'HEYlo')");
    PyObject *s02 = slice3(0, 0, 2, 0, 0);
    CHECK(mp->mp_ass_subscript(b, s02, NULL) == 0);
    tv_check_repr(Py_NewRef(b), "bytearray(b'El')");
    Py_DECREF(b);
    b = BA("abc", 3);
    PyObject *r = sq->sq_inplace_concat(b, B("def", 3));
    CHECK(r == b);
    Py_DECREF(r);
    r = sq->sq_inplace_repeat(b, 2);
    Py_DECREF(r);
    tv_check_repr(PyObject_CallMethod(b, "pop", NULL), "102");
    tv_check_repr(PyObject_CallMethod(b, "pop", "i", 0), "97");
    tv_check_repr(Py_NewRef(b), "bytearray(b'bcdefabcde')");
    Py_DECREF(b);
    b = BA("abc", 3);
    CHECK(PyObject_CallMethod(b, "insert", "ii", 1, 120) == Py_None);
    CHECK(PyObject_CallMethod(b, "remove", "i", 99) == Py_None);
    PyObject *l = Py_BuildValue("[ii]", 1, 2);
    CHECK(PyObject_CallMethod(b, "extend", "(O)", l) == Py_None);
    Py_DECREF(l);
    CHECK(PyObject_CallMethod(b, "append", "i", 255) == Py_None);
    tv_check_repr(Py_NewRef(b), "bytearray(b'axb\\x01\\x02\\xff')");
    CHECK(PyObject_CallMethod(b, "append", "i", 256) == NULL);
    tv_check_error("ValueError", "byte must be in range(0, 256)");
    CHECK(PyObject_CallMethod(b, "remove", "i", 5) == NULL);
    tv_check_error("ValueError", "value not found in bytearray");
    CHECK(PyObject_RichCompare(b, B("axb\x01\x02\xff", 6), Py_EQ) == Py_True);
    Py_DECREF(b);
    b = BA("abcdef", 6);
    PyObject *s14 = slice3(1, 4, 1, 1, 1);
    CHECK(mp->mp_ass_subscript(b, s14, B("", 0)) == 0);
    tv_check_repr(Py_NewRef(b), "bytearray(b'aef')");
    CHECK(mp->mp_ass_subscript(b, s02, B("XY", 2)) == 0);
    tv_check_repr(Py_NewRef(b), "bytearray(b'XeY')");
    CHECK(mp->mp_ass_subscript(b, s02, B("XYZ", 3)) == -1);
    tv_check_error("ValueError", "attempt to assign bytes of size 3 to "
                   "extended slice of size 2");
    /* exported buffers pin the size */
    Py_buffer view;
    CHECK(PyObject_GetBuffer(b, &view, PyBUF_SIMPLE) == 0);
    CHECK(PyObject_CallMethod(b, "append", "i", 1) == NULL);
    tv_check_error("BufferError", "Existing exports of data: object cannot "
                   "be re-sized");
    ((char *)view.buf)[0] = 'Q';
    PyBuffer_Release(&view);
    CHECK(PyObject_CallMethod(b, "append", "i", 33) == Py_None);
    tv_check_repr(Py_NewRef(b), "bytearray(b'QeY!')");
    tv_check_repr(PyObject_CallMethod(b, "hex", NULL), "'51655921'");
    tv_check_repr(PyObject_CallMethod((PyObject *)&PyByteArray_Type,
                                      "fromhex", "s", "ff00"),
                  "bytearray(b'\\xff\\x00')");
    PyObject *it = PyObject_GetIter(b);
    tv_check_repr(PyIter_Next(it), "81");
    Py_DECREF(it);
    Py_DECREF(s02);
    Py_DECREF(s13);
    Py_DECREF(s14);
    Py_DECREF(ey);
    Py_DECREF(zero);
    Py_DECREF(h);
    Py_DECREF(b);
}

static PyObject *
vector_arg(char kind, const struct bytesarg *a)
{
    switch (kind) {
    case 'y':
        return PyBytes_FromStringAndSize(a->s, (Py_ssize_t)a->len);
    case 'B':
        return PyByteArray_FromStringAndSize(a->s, (Py_ssize_t)a->len);
    case 'i':
        return PyLong_FromString(a->s, NULL, 10);
    case 'f':
        return PyFloat_FromDouble(strtod(a->s, NULL));
    case 'N':
        return Py_NewRef(Py_None);
    case 's':
        return PyUnicode_DecodeUTF8(a->s, (Py_ssize_t)a->len, NULL);
    case 't': {
        PyObject *list = PyList_New(0);
        const char *p = a->s, *end = a->s + a->len;
        for (;;) {
            const char *q = memchr(p, '\001', (size_t)(end - p));
            PyObject *b = PyBytes_FromStringAndSize(p, (q ? q : end) - p);
            PyList_Append(list, b);
            Py_DECREF(b);
            if (q == NULL) {
                break;
            }
            p = q + 1;
        }
        PyObject *t = PyList_AsTuple(list);
        Py_DECREF(list);
        return t;
    }
    }
    abort();
}

/* repr(result) as UTF-8, or "Type: message". */
static void
check_result(PyObject *r, const char *expected, const char *what, size_t i)
{
    PyObject *rs = r ? PyObject_Repr(r) : NULL;
    const char *got = rs ? PyUnicode_AsUTF8(rs) : tv_error();
    if (strcmp(got, expected) != 0) {
        fprintf(stderr, "%s %zu\n  got:      %s\n  expected: %s\n", what,
                i, got, expected);
        exit(1);
    }
    Py_XDECREF(rs);
    Py_XDECREF(r);
}

static void
test_vectors(void)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(bytescases); i++) {
        const struct bytescase *c = &bytescases[i];
        PyObject *self = c->bytearray
            ? PyByteArray_FromStringAndSize(c->self, (Py_ssize_t)c->selflen)
            : PyBytes_FromStringAndSize(c->self, (Py_ssize_t)c->selflen);
        int n = (int)strlen(c->kinds);
        PyObject *args = PyTuple_New(n);
        for (int k = 0; k < n; k++) {
            PyTuple_SET_ITEM(args, k, vector_arg(c->kinds[k], &c->args[k]));
        }
        PyObject *meth = PyObject_GetAttrString(self, c->method);
        CHECK(meth != NULL);
        check_result(PyObject_Call(meth, args, NULL), c->expected,
                     c->method, i);
        Py_DECREF(meth);
        Py_DECREF(args);
        Py_DECREF(self);
    }
    for (size_t i = 0; i < Py_ARRAY_LENGTH(bytespcts); i++) {
        const struct bytespct *c = &bytespcts[i];
        int n = (int)strlen(c->kinds);
        PyObject *args = PyTuple_New(n);
        for (int k = 0; k < n; k++) {
            PyTuple_SET_ITEM(args, k, vector_arg(c->kinds[k], &c->args[k]));
        }
        check_result(_PyBytes_FormatEx(c->fmt, (Py_ssize_t)c->fmtlen, args,
                                       0), c->expected, "bytes %", i);
        Py_DECREF(args);
    }
}

/* Appends from several threads lose nothing. */
#define BA_THREADS 8
#define BA_APPENDS 20000
static PyObject *shared_ba;

static void *
ba_worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *v = PyLong_FromLong(id + 1);
    for (int i = 0; i < BA_APPENDS; i++) {
        PyObject *r = PyObject_CallMethod(shared_ba, "append", "O", v);
        CHECK(r == Py_None);
        if ((i & 255) == 0) {
            PyObject *x = PyByteArray_Type.tp_as_sequence->sq_item(shared_ba,
                                                                  i / 2);
            CHECK(x != NULL && PyLong_AsLong(x) >= 1 &&
                  PyLong_AsLong(x) <= BA_THREADS);
            Py_DECREF(x);
        }
    }
    Py_DECREF(v);
    PyGILState_Release(g);
    return NULL;
}

static void
test_bytearray_threads(void)
{
    shared_ba = BA("", 0);
    pthread_t th[BA_THREADS];
    PyThreadState *save = PyEval_SaveThread();
    for (int t = 0; t < BA_THREADS; t++) {
        CHECK(pthread_create(&th[t], NULL, ba_worker,
                             (void *)(intptr_t)t) == 0);
    }
    for (int t = 0; t < BA_THREADS; t++) {
        CHECK(pthread_join(th[t], NULL) == 0);
    }
    PyEval_RestoreThread(save);
    CHECK(PyByteArray_Size(shared_ba) == BA_THREADS * BA_APPENDS);
    long counts[BA_THREADS + 1] = {0};
    for (Py_ssize_t i = 0; i < PyByteArray_Size(shared_ba); i++) {
        counts[(unsigned char)PyByteArray_AS_STRING(shared_ba)[i]]++;
    }
    for (int t = 1; t <= BA_THREADS; t++) {
        CHECK(counts[t] == BA_APPENDS);
    }
    Py_CLEAR(shared_ba);
}

int
main(void)
{
    tv_init();
    test_bytes();
    test_bytearray();
    test_vectors();
    test_bytearray_threads();
    tv_fini();
    printf("test_values_bytes: ok\n");
    return 0;
}
