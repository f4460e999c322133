/* str: creation and decoding, methods on ASCII and non-ASCII text (case
 * mapping, predicates, search, split, replace, strip, padding), repr,
 * indexing, concatenation, comparison and encoding, checked against the
 * reprs CPython 3.11 gives (testvalues_str.h, generated with python3.11),
 * plus PyUnicode_FromFormat, interning across threads and the PEP 393
 * representation. */
#include "testvalues.h"
#include "pycore_object.h"
#include "testvalues_str.h"

static PyObject *
textn(const char *utf8, size_t n)
{
    PyObject *s = PyUnicode_DecodeUTF8(utf8, (Py_ssize_t)n, "surrogatepass");
    CHECK(s != NULL);
    return s;
}

static PyObject *
text(const char *utf8)
{
    return textn(utf8, strlen(utf8));
}

static PyObject *
make_arg(char kind, const char *lit)
{
    switch (kind) {
    case 's':
        return text(lit);
    case 'i':
        return PyLong_FromString(lit, NULL, 10);
    case 'N':
        return Py_NewRef(Py_None);
    case 't': {
        PyObject *list = PyList_New(0);
        const char *p = lit;
        for (;;) {
            const char *q = strchr(p, '\001');
            size_t n = q ? (size_t)(q - p) : strlen(p);
            PyObject *s = PyUnicode_DecodeUTF8(p, (Py_ssize_t)n, NULL);
            PyList_Append(list, s);
            Py_DECREF(s);
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

/* Calls self.method(*args), dunders through the type's slots. */
static PyObject *
call(const char *method, PyObject *self, PyObject **args, int nargs)
{
    PyTypeObject *tp = Py_TYPE(self);
    if (strcmp(method, "__repr__") == 0) {
        return PyObject_Repr(self);
    }
    if (strcmp(method, "__len__") == 0) {
        return PyLong_FromSsize_t(tp->tp_as_sequence->sq_length(self));
    }
    if (strcmp(method, "__contains__") == 0) {
        int r = tp->tp_as_sequence->sq_contains(self, args[0]);
        return r < 0 ? NULL : PyBool_FromLong(r);
    }
    if (strcmp(method, "__getitem__") == 0) {
        return tp->tp_as_mapping->mp_subscript(self, args[0]);
    }
    if (strcmp(method, "__mul__") == 0) {
        return tp->tp_as_sequence->sq_repeat(self,
                                             PyLong_AsSsize_t(args[0]));
    }
    if (strcmp(method, "__add__") == 0) {
        return tp->tp_as_sequence->sq_concat(self, args[0]);
    }
    if (strcmp(method, "__lt__") == 0) {
        return tp->tp_richcompare(self, args[0], Py_LT);
    }
    if (strcmp(method, "__eq__") == 0) {
        return tp->tp_richcompare(self, args[0], Py_EQ);
    }
    switch (nargs) {
    case 0:
        return PyObject_CallMethod(self, method, NULL);
    case 1:
        return PyObject_CallMethod(self, method, "(O)", args[0]);
    case 2:
        return PyObject_CallMethod(self, method, "(OO)", args[0], args[1]);
    default:
        return PyObject_CallMethod(self, method, "(OOO)", args[0], args[1],
                                   args[2]);
    }
}

static void
test_cases(void)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(strcases); i++) {
        const struct strcase *c = &strcases[i];
        PyObject *self = textn(c->self, c->selflen);
        PyObject *args[3] = {NULL, NULL, NULL};
        int nargs = (int)strlen(c->kinds);
        for (int k = 0; k < nargs; k++) {
            args[k] = make_arg(c->kinds[k], c->args[k]);
        }
        PyObject *r = call(c->method, self, args, nargs);
        const char *got;
        PyObject *rs = NULL;
        if (r == NULL) {
            got = tv_error();
        }
        else {
            rs = PyObject_Repr(r);
            got = rs ? PyUnicode_AsUTF8(rs) : tv_error();
        }
        if (strcmp(got, c->expected) != 0) {
            fprintf(stderr, "case %zu: %s.%s(%s...)\n  got:      %s\n"
                    "  expected: %s\n", i, c->self, c->method,
                    c->args[0] ? c->args[0] : "", got, c->expected);
            exit(1);
        }
        Py_XDECREF(rs);
        Py_XDECREF(r);
        for (int k = 0; k < nargs; k++) {
            Py_DECREF(args[k]);
        }
        Py_DECREF(self);
    }
}

/* str.maketrans + str.translate with a dict table (not expressible in the
   generated vectors). */
static void
test_translate(void)
{
    PyObject *s = PyUnicode_FromString("abcd\xc3\xa9");
    PyObject *table = Py_BuildValue("{i:s,i:O,i:i,i:s}", 97, "xy", 98,
                                    Py_None, 99, 100, 0xe9, "e");
    tv_check_repr(PyObject_CallMethod(s, "translate", "(O)", table),
                  "'xydde'");
    Py_DECREF(table);
    table = Py_BuildValue("{i:d}", 97, 1.5);
    CHECK(PyObject_CallMethod(s, "translate", "(O)", table) == NULL);
    tv_check_error("TypeError",
                   "character mapping must return integer, None or str");
    Py_DECREF(table);
    table = Py_BuildValue("{i:i}", 97, 0x110000);
    CHECK(PyObject_CallMethod(s, "translate", "(O)", table) == NULL);
    tv_check_error("ValueError",
                   "character mapping must be in range(0x110000)");
    Py_DECREF(table);
    PyObject *d = Py_BuildValue("{s:s,i:O}", "a", "x", 98, Py_None);
    tv_check_repr(PyObject_CallMethod((PyObject *)&PyUnicode_Type,
                                      "maketrans", "(O)", d),
                  "{97: 'x', 98: None}");
    Py_DECREF(d);
    d = Py_BuildValue("{s:i}", "ab", 1);
    CHECK(PyObject_CallMethod((PyObject *)&PyUnicode_Type, "maketrans",
                              "(O)", d) == NULL);
    tv_check_error("ValueError",
                   "string keys in translate table must be of length 1");
    Py_DECREF(d);
    CHECK(PyObject_CallMethod((PyObject *)&PyUnicode_Type, "maketrans",
                              "(i)", 1) == NULL);
    tv_check_error("TypeError", "if you give only one argument to "
                   "maketrans it must be a dict");
    Py_DECREF(s);
}

static void
test_representation(void)
{
    PyObject *a = PyUnicode_FromString("abc");
    CHECK(PyUnicode_IS_ASCII(a) && PyUnicode_KIND(a) == PyUnicode_1BYTE_KIND);
    PyObject *l = PyUnicode_FromString("\xc3\xa9t\xc3\xa9");    /* été */
    CHECK(!PyUnicode_IS_ASCII(l) && PyUnicode_KIND(l) == 1 &&
          PyUnicode_GET_LENGTH(l) == 3 && PyUnicode_READ_CHAR(l, 0) == 0xe9);
    PyObject *u2 = PyUnicode_FromString("\xe2\x82\xac");       /* € */
    CHECK(PyUnicode_KIND(u2) == 2 && PyUnicode_2BYTE_DATA(u2)[0] == 0x20ac);
    PyObject *u4 = PyUnicode_FromString("a\xf0\x9d\x84\x9e");  /* a𝄞 */
    CHECK(PyUnicode_KIND(u4) == 4 && PyUnicode_4BYTE_DATA(u4)[1] == 0x1d11e
          && PyUnicode_GET_LENGTH(u4) == 2);
    Py_ssize_t n;
    const char *utf8 = PyUnicode_AsUTF8AndSize(u4, &n);
    CHECK(n == 5 && memcmp(utf8, "a\xf0\x9d\x84\x9e", 6) == 0);
    CHECK(PyUnicode_AsUTF8(u4) == utf8);     /* cached */
    /* the canonical kind survives concatenation and slicing */
    PyObject *cat = PyUnicode_Concat(u4, a);
    PyObject *sub = PyUnicode_Substring(cat, 2, 5);
    CHECK(PyUnicode_IS_ASCII(sub) && _PyUnicode_EQ(sub, a));
    CHECK(PyObject_Hash(sub) == PyObject_Hash(a));
    Py_DECREF(cat);
    Py_DECREF(sub);
    /* single latin-1 characters and the empty string are shared */
    CHECK(PyUnicode_FromOrdinal(0xe9) == PyUnicode_FromString("\xc3\xa9"));
    CHECK(PyUnicode_FromString("") == PyUnicode_New(0, 0));
    CHECK(PyUnicode_FromOrdinal(0x110000) == NULL);
    tv_check_error("ValueError", "chr() arg not in range(0x110000)");
    /* lone surrogates cannot be encoded to UTF-8 */
    PyObject *sur = PyUnicode_FromOrdinal(0xd800);
    CHECK(PyUnicode_AsUTF8(sur) == NULL);
    tv_error();
    Py_DECREF(sur);
    Py_DECREF(a);
    Py_DECREF(l);
    Py_DECREF(u2);
    Py_DECREF(u4);
}

static void
test_decode_errors(void)
{
    static const struct { const char *in; const char *errors;
                          const char *out; } cases[] = {
        {"\xe2\x82x\xed\xa0\x80\xff", "replace",
         "'\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'"},
        {"\xe2\x82x\xed\xa0\x80\xff", "surrogateescape",
         "'\\udce2\\udc82x\\udced\\udca0\\udc80\\udcff'"},
        {"\xe2\x82x\xed\xa0\x80\xff", "backslashreplace",
         "'\\\\xe2\\\\x82x\\\\xed\\\\xa0\\\\x80\\\\xff'"},
        {"\xe2\x82x\xed\xa0\x80\xff", "ignore", "'x'"},
        {"a\xed\xa0\x80", "surrogatepass", "'a\\ud800'"},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(cases); i++) {
        tv_check_repr(PyUnicode_DecodeUTF8(cases[i].in,
                                           (Py_ssize_t)strlen(cases[i].in),
                                           cases[i].errors), cases[i].out);
    }
    static const struct { const char *in; Py_ssize_t start, end;
                          const char *reason; } errs[] = {
        {"\xe2\x82", 0, 2, "unexpected end of data"},
        {"a\xf0\x9f\x98", 1, 4, "unexpected end of data"},
        {"\xe2\x28\xa1", 0, 1, "invalid continuation byte"},
        {"\xed\xa0\x80", 0, 1, "invalid continuation byte"},
        {"\xf0\x9f(", 0, 2, "invalid continuation byte"},
        {"\xc0\xaf", 0, 1, "invalid start byte"},
        {"\xf4\x90\x80\x80", 0, 1, "invalid continuation byte"},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(errs); i++) {
        PyObject *r = PyUnicode_DecodeUTF8(errs[i].in,
                                           (Py_ssize_t)strlen(errs[i].in),
                                           NULL);
        CHECK(r == NULL);
        PyObject *t, *v, *tb;
        PyErr_Fetch(&t, &v, &tb);
        CHECK(t == PyExc_UnicodeDecodeError);
        Py_ssize_t start, end;
        CHECK(PyUnicodeDecodeError_GetStart(v, &start) == 0 &&
              start == errs[i].start);
        CHECK(PyUnicodeDecodeError_GetEnd(v, &end) == 0 &&
              end == errs[i].end);
        PyObject *reason = PyUnicodeDecodeError_GetReason(v);
        tv_check_str(reason, errs[i].reason);
        Py_XDECREF(t);
        Py_XDECREF(v);
        Py_XDECREF(tb);
    }
    /* stateful decoding keeps an incomplete tail */
    Py_ssize_t consumed;
    tv_check_repr(PyUnicode_DecodeUTF8Stateful("ab\xe2\x82", 4, NULL,
                                               &consumed), "'ab'");
    CHECK(consumed == 2);
    CHECK(PyUnicode_DecodeUTF8("\xff", 1, "bogus") == NULL);
    tv_check_error("LookupError", "unknown error handler name 'bogus'");
}

static void
test_format(void)
{
    PyObject *obj = PyUnicode_FromString("\xc3\xa9t\xc3\xa9");
    tv_check_str(PyUnicode_FromFormat("%d|%5d|%3d|%03d|%ld|%zd|%u|%lu|%llu"
                                      "|%i|%x|%c|%%", -12, 42, 7, 5, -1L,
                                      (Py_ssize_t)-99, 3u, 4ul, 5ull, 6,
                                      255, 0xe9),
                 "-12|   42|  7|005|-1|-99|3|4|5|6|ff|\xc3\xa9|%");
    tv_check_str(PyUnicode_FromFormat("[%s] [%.3s] [%5s] [%U] [%.2U] "
                                      "[%R] [%S] [%V] [%V]", "h\xc3\xa9llo",
                                      "abcdef", "ab", obj, obj, obj, obj,
                                      obj, "x", NULL, "fallback"),
                 "[h\xc3\xa9llo] [abc] [   ab] [\xc3\xa9t\xc3\xa9] "
                 "[\xc3\xa9t] ['\xc3\xa9t\xc3\xa9'] [\xc3\xa9t\xc3\xa9] "
                 "[\xc3\xa9t\xc3\xa9] [fallback]");
    tv_check_str(PyUnicode_FromFormat("%lld %zu", LLONG_MIN, (size_t)-1),
                 "-9223372036854775808 18446744073709551615");
    PyObject *p = PyUnicode_FromFormat("%p", (void *)0x1234);
    tv_check_str(p, "0x1234");
    tv_check_str(PyUnicode_FromFormat("abc %y def"), "abc %y def");
    Py_DECREF(obj);
}

/* Interning from many threads: every thread gets the same immortal
   object for the same text. */
#define INTERN_THREADS 8
#define INTERN_NAMES 500
static PyObject *interned_by[INTERN_THREADS][INTERN_NAMES];

static void *
intern_worker(void *arg)
{
    int t = (int)(intptr_t)arg;
    PyGILState_STATE g = PyGILState_Ensure();
    for (int k = 0; k < INTERN_NAMES; k++) {
        int i = (k * 7 + t * 13) % INTERN_NAMES;
        char name[32];
        snprintf(name, sizeof(name), "name_%d_\xc3\xa9", i);
        PyObject *s = PyUnicode_FromString(name);
        PyUnicode_InternInPlace(&s);
        interned_by[t][i] = s;
    }
    PyGILState_Release(g);
    return NULL;
}

static void
test_intern(void)
{
    pthread_t th[INTERN_THREADS];
    PyThreadState *save = PyEval_SaveThread();
    for (int t = 0; t < INTERN_THREADS; t++) {
        CHECK(pthread_create(&th[t], NULL, intern_worker,
                             (void *)(intptr_t)t) == 0);
    }
    for (int t = 0; t < INTERN_THREADS; t++) {
        CHECK(pthread_join(th[t], NULL) == 0);
    }
    PyEval_RestoreThread(save);
    for (int i = 0; i < INTERN_NAMES; i++) {
        PyObject *s = interned_by[0][i];
        CHECK(PyUnicode_CHECK_INTERNED(s));
        CHECK(_Py_IsImmortal(s));
        for (int t = 1; t < INTERN_THREADS; t++) {
            CHECK(interned_by[t][i] == s);
        }
    }
    PyObject *a = PyUnicode_InternFromString("name_3_\xc3\xa9");
    CHECK(a == interned_by[0][3]);
    /* a string another thread may see is not modified in place */
    PyObject *shared = PyUnicode_FromString("shared_name");
    _PyObject_SetMaybeWeakref(shared);
    PyObject *ref = shared;
    Py_INCREF(ref);
    PyUnicode_InternInPlace(&shared);
    CHECK(shared != ref && !PyUnicode_CHECK_INTERNED(ref));
    CHECK(_PyUnicode_EQ(shared, ref));
    Py_DECREF(ref);
}

/* With PYTHONHASHSEED=0 (set by main, which re-executes itself), str and
   bytes hash exactly as in CPython 3.11 (SipHash-1-3, zero key). */
static void
test_hash_seed0(void)
{
    static const struct { const char *s; long long h, hb; } cases[] = {
        {"", 0LL, 0LL},
        {"a", 4644417185603328019LL, 4644417185603328019LL},
        {"abc", -4594863902769663758LL, -4594863902769663758LL},
        {"hello world!", 839851713330019024LL, 839851713330019024LL},
        {"\xc3\xa9t\xc3\xa9", -1033370291238291217LL,
         6550384975665679255LL},
        {"\xe2\x82\xac uro", -3923655949318862083LL,
         -1484948376828478127LL},
        {"\xf0\x9d\x84\x9e", 7849220833259879855LL,
         -532944890808907804LL},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(cases); i++) {
        PyObject *u = PyUnicode_FromString(cases[i].s);
        PyObject *b = PyBytes_FromString(cases[i].s);
        CHECK(PyObject_Hash(u) == cases[i].h);
        CHECK(PyObject_Hash(b) == cases[i].hb);
        Py_DECREF(u);
        Py_DECREF(b);
    }
}

/* Many threads fill the lazy caches (hash, UTF-8) of the same strings at
   once: every thread must see the same hash and the same UTF-8 pointer. */
#define CACHE_STRINGS 200
static PyObject *cache_strs[CACHE_STRINGS];
static const char *cache_utf8[INTERN_THREADS][CACHE_STRINGS];
static Py_hash_t cache_hash[INTERN_THREADS][CACHE_STRINGS];

static void *
cache_worker(void *arg)
{
    int t = (int)(intptr_t)arg;
    PyGILState_STATE g = PyGILState_Ensure();
    for (int k = 0; k < CACHE_STRINGS; k++) {
        int i = (k + t * 17) % CACHE_STRINGS;
        cache_hash[t][i] = PyObject_Hash(cache_strs[i]);
        cache_utf8[t][i] = PyUnicode_AsUTF8(cache_strs[i]);
    }
    PyGILState_Release(g);
    return NULL;
}

static void
test_cache_races(void)
{
    for (int i = 0; i < CACHE_STRINGS; i++) {
        char buf[64];
        snprintf(buf, sizeof(buf), "\xc3\xa9t\xc3\xa9 %d \xe2\x82\xac "
                 "\xf0\x9d\x84\x9e", i);
        cache_strs[i] = PyUnicode_FromString(buf);
        /* reachable by other threads from here on */
        _PyObject_SetMaybeWeakref(cache_strs[i]);
    }
    pthread_t th[INTERN_THREADS];
    PyThreadState *save = PyEval_SaveThread();
    for (int t = 0; t < INTERN_THREADS; t++) {
        CHECK(pthread_create(&th[t], NULL, cache_worker,
                             (void *)(intptr_t)t) == 0);
    }
    for (int t = 0; t < INTERN_THREADS; t++) {
        CHECK(pthread_join(th[t], NULL) == 0);
    }
    PyEval_RestoreThread(save);
    for (int i = 0; i < CACHE_STRINGS; i++) {
        for (int t = 1; t < INTERN_THREADS; t++) {
            CHECK(cache_hash[t][i] == cache_hash[0][i]);
            CHECK(cache_utf8[t][i] == cache_utf8[0][i]);
        }
        CHECK(strncmp(cache_utf8[0][i], "\xc3\xa9t\xc3\xa9 ", 6) == 0);
        Py_DECREF(cache_strs[i]);
    }
}

int
main(int argc, char **argv)
{
    const char *seed = getenv("PYTHONHASHSEED");
    if (seed == NULL || strcmp(seed, "0") != 0) {
        setenv("PYTHONHASHSEED", "0", 1);
        execv("/proc/self/exe", argv);
        perror("execv");
        return 1;
    }
    (void)argc;
    tv_init();
    test_hash_seed0();
    test_representation();
    test_decode_errors();
    test_format();
    test_cases();
    test_translate();
    test_intern();
    test_cache_races();
    tv_fini();
    printf("test_values_str: ok\n");
    return 0;
}
