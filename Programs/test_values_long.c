/* int: arithmetic on big numbers, Karatsuba-sized products, conversions
 * to and from text, hashing and C conversions, checked against values
 * computed by CPython 3.11.
 *
 * Big operands are generated from a seeded xorshift64 generator as hex
 * strings (the same generator as Tools/test/regen_values.py, which
 * produced testvalues_long.h with python3.11); results are compared by
 * hash() and bit_length(), which together pin a value down well enough. */
#include "testvalues.h"
#include "testvalues_long.h"

static uint64_t
xorshift(uint64_t s)
{
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
}

/* The int whose hex digits come from the generator seeded with seed. */
static PyObject *
gen_num(uint64_t seed, int nhex, int neg)
{
    char *buf = malloc((size_t)nhex + 2);
    CHECK(buf != NULL);
    uint64_t s = seed ? seed : 1;
    char *p = buf;
    if (neg) {
        *p++ = '-';
    }
    for (int i = 0; i < nhex; i++) {
        s = xorshift(s);
        p[i] = "0123456789abcdef"[s & 15];
    }
    if (p[0] == '0') {
        p[0] = '1';
    }
    p[nhex] = '\0';
    PyObject *v = PyLong_FromString(buf, NULL, 16);
    CHECK(v != NULL);
    free(buf);
    return v;
}

static void
test_bigcases(void)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(bigcases); i++) {
        const struct bigcase *c = &bigcases[i];
        PyObject *a = gen_num(c->seed_a, c->na, c->neg_a);
        PyObject *b = c->nb ? gen_num(c->seed_b, c->nb, c->neg_b)
                            : PyLong_FromUnsignedLong(c->seed_b);
        PyObject *r;
        if (strcmp(c->op, "powmod") == 0) {
            PyObject *e = PyLong_FromLong(c->exp);
            r = tv_pow(a, e, b);
            Py_DECREF(e);
        }
        else {
            r = tv_binop(c->op, a, b);
        }
        if (r == NULL) {
            fprintf(stderr, "case %zu (%s): error %s\n", i, c->op,
                    tv_error());
            exit(1);
        }
        Py_hash_t h = PyObject_Hash(r);
        size_t bits = _PyLong_NumBits(r);
        if (h != c->hash || bits != (size_t)c->bits ||
            (_PyLong_Sign(r) < 0) != c->negative) {
            fprintf(stderr, "case %zu (%s %d/%d digits): hash %lld bits %zu,"
                    " expected %lld %d\n", i, c->op, c->na, c->nb,
                    (long long)h, bits, c->hash, c->bits);
            exit(1);
        }
        Py_DECREF(a);
        Py_DECREF(b);
        Py_DECREF(r);
    }
}

static void
test_reprs(void)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(reprcases); i++) {
        const struct reprcase *c = &reprcases[i];
        PyObject *v = PyLong_FromString(c->hex, NULL, 0);
        CHECK(v != NULL);
        tv_check_repr(Py_NewRef(v), c->dec);
        tv_check_str(_PyLong_Format(v, c->alt[1] == 'b' || c->alt[2] == 'b'
                                    ? 2 : 8), c->alt);
        tv_check_str(_PyLong_Format(v, 16), c->hex);
        CHECK(PyObject_Hash(v) == c->hash);
        /* decimal text parses back */
        PyObject *w = PyLong_FromString(c->dec, NULL, 10);
        CHECK(w != NULL && _PyLong_Compare(v, w) == 0);
        Py_DECREF(w);
        Py_DECREF(v);
    }
}

static void
test_parse(void)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(parsecases); i++) {
        const struct parsecase *c = &parsecases[i];
        PyObject *s = PyUnicode_FromString(c->text);
        CHECK(s != NULL);
        PyObject *v = PyLong_FromUnicodeObject(s, c->base);
        if (c->ok) {
            if (v == NULL) {
                fprintf(stderr, "parse %zu: %s\n", i, tv_error());
                exit(1);
            }
            CHECK(PyObject_Hash(v) == c->hash);
            CHECK(_PyLong_NumBits(v) == (size_t)c->bits);
            Py_DECREF(v);
        }
        else {
            CHECK(v == NULL);
            tv_check_error("ValueError", c->error);
        }
        Py_DECREF(s);
    }
}

static uint64_t
fnv_text(PyObject *str)
{
    const char *s = PyUnicode_AsUTF8(str);
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Huge values (past the cutoffs of the divide-and-conquer conversions):
   str() matches CPython's text (FNV-1a and length) and int() reads it
   back. */
static void
check_big_text(PyObject *v, uint64_t fnv, int len)
{
    PyObject *text = PyObject_Repr(v);
    CHECK(text != NULL);
    if (PyUnicode_GET_LENGTH(text) != len || fnv_text(text) != fnv) {
        fprintf(stderr, "str of a %zu-bit int differs from CPython's\n",
                _PyLong_NumBits(v));
        exit(1);
    }
    PyObject *back = PyLong_FromUnicodeObject(text, 10);
    CHECK(back != NULL && _PyLong_Compare(back, v) == 0);
    Py_DECREF(back);
    Py_DECREF(text);
}

static void
test_big_text(void)
{
    int saved = _PyLong_GetMaxStrDigits();
    CHECK(_PyLong_SetMaxStrDigits(0) == 0);
    for (size_t i = 0; i < Py_ARRAY_LENGTH(bigstrcases); i++) {
        const struct bigstrcase *c = &bigstrcases[i];
        PyObject *v = gen_num(c->seed, c->nhex, c->neg);
        check_big_text(v, c->fnv, c->len);
        Py_DECREF(v);
    }
    for (size_t i = 0; i < Py_ARRAY_LENGTH(powstrcases); i++) {
        const struct powstrcase *c = &powstrcases[i];
        PyObject *b = PyLong_FromLong(c->base), *e = PyLong_FromLong(c->exp);
        PyObject *p = tv_pow(b, e, NULL);
        PyObject *d = PyLong_FromLong(c->delta);
        PyObject *v = tv_binop("add", p, d);
        check_big_text(v, c->fnv, c->len);
        Py_DECREF(v);
        Py_DECREF(d);
        Py_DECREF(p);
        Py_DECREF(e);
        Py_DECREF(b);
    }
    CHECK(_PyLong_SetMaxStrDigits(saved) == 0);
}

/* str(10**5000) refuses; 10**4299 is fine. */
static void
test_digit_limit(void)
{
    PyObject *ten = PyLong_FromLong(10);
    PyObject *e = PyLong_FromLong(5000);
    PyObject *big = tv_pow(ten, e, NULL);
    CHECK(big != NULL);
    CHECK(PyObject_Repr(big) == NULL);
    tv_check_error("ValueError",
                   "Exceeds the limit (4300 digits) for integer string "
                   "conversion; use sys.set_int_max_str_digits() to "
                   "increase the limit");
    Py_DECREF(e);
    Py_DECREF(big);
    e = PyLong_FromLong(4299);
    big = tv_pow(ten, e, NULL);
    PyObject *r = PyObject_Repr(big);
    CHECK(r != NULL && PyUnicode_GET_LENGTH(r) == 4300);
    Py_DECREF(r);
    Py_DECREF(big);
    Py_DECREF(e);
    Py_DECREF(ten);
}

static void
test_c_conversions(void)
{
    int overflow;
    PyObject *v = PyLong_FromLongLong(LLONG_MIN);
    tv_check_repr(Py_NewRef(v), "-9223372036854775808");
    CHECK(PyLong_AsLongLong(v) == LLONG_MIN);
    CHECK(PyLong_AsLongAndOverflow(v, &overflow) == LONG_MIN && !overflow);
    PyObject *w = tv_binop("sub", v, PyLong_FromLong(1));
    CHECK(PyLong_AsLongAndOverflow(w, &overflow) == -1 && overflow == -1);
    CHECK(PyLong_AsLong(w) == -1);
    tv_check_error("OverflowError",
                   "Python int too large to convert to C long");
    CHECK(PyLong_AsUnsignedLong(v) == (unsigned long)-1);
    tv_check_error("OverflowError",
                   "can't convert negative value to unsigned int");
    Py_DECREF(w);
    Py_DECREF(v);
    v = PyLong_FromUnsignedLongLong(ULLONG_MAX);
    tv_check_repr(Py_NewRef(v), "18446744073709551615");
    CHECK(PyLong_AsUnsignedLongLong(v) == ULLONG_MAX);
    CHECK(PyLong_AsSsize_t(v) == -1);
    tv_check_error("OverflowError",
                   "Python int too large to convert to C ssize_t");
    CHECK(PyLong_AsUnsignedLongLongMask(v) == ULLONG_MAX);
    Py_DECREF(v);
    v = PyLong_FromSize_t((size_t)1 << 63);
    CHECK(PyLong_AsSize_t(v) == (size_t)1 << 63);
    Py_DECREF(v);
    /* small ints are cached */
    CHECK(PyLong_FromLong(256) == PyLong_FromLong(256));
    CHECK(PyLong_FromLong(-5) == PyLong_FromLong(-5));
    CHECK(PyLong_FromLong(257) != PyLong_FromLong(257) || 1);
    /* doubles: correctly rounded both ways */
    v = PyLong_FromString("9007199254740993", NULL, 10);     /* 2**53+1 */
    CHECK(PyLong_AsDouble(v) == 9007199254740992.0);          /* ties even */
    Py_DECREF(v);
    v = PyLong_FromString("9007199254740995", NULL, 10);
    CHECK(PyLong_AsDouble(v) == 9007199254740996.0);
    Py_DECREF(v);
    v = PyLong_FromDouble(1e300);
    tv_check_repr(v, "1000000000000000052504760255204420248704468581108159"
                  "154915854115511802457988908195786371375080447864043704"
                  "443832883878176942523235360430575644792184786706982848"
                  "387200926575803737830233794788090059368953234970799945"
                  "081119038967640880074652742780142494579258788820056842"
                  "838115669472196386865459400540160");
    CHECK(PyLong_FromDouble(1.0 / 0.0) == NULL);
    tv_check_error("OverflowError",
                   "cannot convert float infinity to integer");
    v = tv_pow(PyLong_FromLong(10), PyLong_FromLong(400), NULL);
    CHECK(PyLong_AsDouble(v) == -1.0);
    tv_check_error("OverflowError", "int too large to convert to float");
    Py_DECREF(v);
}

/* True division is correctly rounded, including near the subnormal
   range (values from python3.11). */
static void
test_true_division(void)
{
    static const struct { const char *a, *b, *repr; } cases[] = {
        {"1", "3", "0.3333333333333333"},
        {"10000000000000000000000000000000000000000", "3",
         "3.333333333333333e+39"},
        {"-1", "10000000000000000000000000000000000000000000000",
         "-1e-46"},
        {"9007199254740993", "1", "9007199254740992.0"},
        {"9007199254740995", "1", "9007199254740996.0"},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(cases); i++) {
        PyObject *a = PyLong_FromString(cases[i].a, NULL, 0);
        PyObject *b = PyLong_FromString(cases[i].b, NULL, 0);
        tv_check_repr(tv_binop("truediv", a, b), cases[i].repr);
        Py_DECREF(a);
        Py_DECREF(b);
    }
    /* a / 2**shift near and below the smallest normal double */
    static const struct { long long a; int shift; const char *repr; }
    tiny[] = {
        {1, 1023, "1.1125369292536007e-308"}, {3, 1075, "1e-323"},
        {1, 1075, "0.0"}, {5, 1076, "5e-324"}, {3, 1076, "5e-324"},
        {1152921504606846977LL, 1080, "8.900295434028806e-308"},
        {9007199254740993LL, 1000, "8.406091369059075e-286"},
        {-7, 1074, "-3.5e-323"},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(tiny); i++) {
        PyObject *num = PyLong_FromLongLong(tiny[i].a);
        PyObject *den = _PyLong_Lshift(_PyLong_GetOne(),
                                       (size_t)tiny[i].shift);
        tv_check_repr(tv_binop("truediv", num, den), tiny[i].repr);
        Py_DECREF(num);
        Py_DECREF(den);
    }
    PyObject *a = tv_pow(PyLong_FromLong(10), PyLong_FromLong(400), NULL);
    CHECK(tv_binop("truediv", a, PyLong_FromLong(1)) == NULL);
    tv_check_error("OverflowError",
                   "integer division result too large for a float");
    CHECK(tv_binop("truediv", a, PyLong_FromLong(0)) == NULL);
    tv_check_error("ZeroDivisionError", "division by zero");
    CHECK(tv_binop("floordiv", a, PyLong_FromLong(0)) == NULL);
    tv_check_error("ZeroDivisionError", "integer division or modulo by zero");
    CHECK(tv_binop("mod", a, PyLong_FromLong(0)) == NULL);
    tv_check_error("ZeroDivisionError", "integer modulo by zero");
    Py_DECREF(a);
}

static void
test_small_semantics(void)
{
    static const struct { const char *op; long a, b; const char *repr; }
    cases[] = {
        {"floordiv", -7, 2, "-4"}, {"mod", -7, 2, "1"}, {"mod", 7, -2, "-1"},
        {"floordiv", 7, -2, "-4"}, {"and", -6, 13, "8"}, {"or", -6, 13, "-1"},
        {"xor", -6, 13, "-9"}, {"rshift", -5, 1, "-3"}, {"rshift", -5, 1000,
        "-1"}, {"rshift", 5, 1000, "0"}, {"lshift", -1, 64,
        "-18446744073709551616"}, {"truediv", 7, 2, "3.5"},
        {"pow", 2, -1, "0.5"}, {"pow", -2, 63, "-9223372036854775808"},
        {"pow", 0, 0, "1"},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(cases); i++) {
        PyObject *a = PyLong_FromLong(cases[i].a);
        PyObject *b = PyLong_FromLong(cases[i].b);
        PyObject *r = strcmp(cases[i].op, "pow") == 0 ? tv_pow(a, b, NULL)
                      : tv_binop(cases[i].op, a, b);
        tv_check_repr(r, cases[i].repr);
        Py_DECREF(a);
        Py_DECREF(b);
    }
    PyObject *two = PyLong_FromLong(2), *m1 = PyLong_FromLong(-1);
    CHECK(tv_pow(two, m1, PyLong_FromLong(4)) == NULL);
    tv_check_error("ValueError",
                   "base is not invertible for the given modulus");
    CHECK(tv_pow(two, two, PyLong_FromLong(0)) == NULL);
    tv_check_error("ValueError", "pow() 3rd argument cannot be 0");
    CHECK(tv_binop("lshift", two, m1) == NULL);
    tv_check_error("ValueError", "negative shift count");
    /* bit_length-style helpers and byte arrays */
    unsigned char buf[4];
    PyObject *v = PyLong_FromLong(-129);
    CHECK(_PyLong_AsByteArray((PyLongObject *)v, buf, 2, 0, 1) == 0);
    CHECK(buf[0] == 0xff && buf[1] == 0x7f);
    CHECK(_PyLong_AsByteArray((PyLongObject *)v, buf, 1, 0, 1) == -1);
    tv_check_error("OverflowError", "int too big to convert");
    CHECK(_PyLong_AsByteArray((PyLongObject *)v, buf, 2, 0, 0) == -1);
    tv_check_error("OverflowError", "can't convert negative int to unsigned");
    Py_DECREF(v);
    const unsigned char in[] = {0xff, 0x00};
    tv_check_repr(_PyLong_FromByteArray(in, 2, 1, 1), "255");
    tv_check_repr(_PyLong_FromByteArray(in, 2, 0, 1), "-256");
    tv_check_repr(_PyLong_FromByteArray(in, 2, 0, 0), "65280");
}

int
main(void)
{
    tv_init();
    test_small_semantics();
    test_c_conversions();
    test_reprs();
    test_parse();
    test_digit_limit();
    test_big_text();
    test_true_division();
    test_bigcases();
    tv_fini();
    printf("test_values_long: ok\n");
    return 0;
}
