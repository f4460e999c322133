/* float: repr (shortest round-trip, CPython's layout), float(str),
 * float.hex/fromhex, round(), floor division and modulo signs, exact
 * comparisons and hash equality with ints; checked against CPython 3.11
 * (testvalues_float.h, generated with python3.11).
 *
 * The repr of 1,000,000 doubles drawn from a seeded generator must match
 * CPython's byte for byte (compared through an FNV-1a digest), and every
 * repr must read back as the same double with strtod. */
#include "testvalues.h"
#include "pystrtod.h"
#include "testvalues_float.h"

#include <math.h>

static PyObject *
float_from_bits(uint64_t bits)
{
    double x;
    memcpy(&x, &bits, sizeof(x));
    return PyFloat_FromDouble(x);
}

static uint64_t
bits_of(PyObject *f)
{
    double x = PyFloat_AS_DOUBLE(f);
    uint64_t b;
    memcpy(&b, &x, sizeof(b));
    return b;
}

static uint64_t
xorshift(uint64_t s)
{
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
}

static uint64_t
fnv(const char *s, uint64_t h)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

static void
test_random_reprs(void)
{
    uint64_t s = FLOAT_REPR_SEED;
    uint64_t h = 0xcbf29ce484222325ULL, mix = 0;
    for (int i = 0; i < FLOAT_REPR_COUNT; i++) {
        s = xorshift(s);
        uint64_t bits = s;
        if (i % 4 == 1) {
            bits = (s & ~(0x7ffULL << 52)) |
                   ((1023 + (s >> 52) % 80 - 40) << 52);
        }
        double x;
        memcpy(&x, &bits, sizeof(x));
        if (!isfinite(x)) {
            continue;
        }
        PyObject *f = PyFloat_FromDouble(x);
        PyObject *r = PyObject_Repr(f);
        CHECK(r != NULL);
        const char *text = PyUnicode_AsUTF8(r);
        if (strtod(text, NULL) != x) {
            fprintf(stderr, "repr %s does not round-trip\n", text);
            exit(1);
        }
        h = fnv(text, h);
        h = fnv("\n", h);
        mix = mix * 31 + (uint64_t)PyObject_Hash(f);
        Py_DECREF(r);
        Py_DECREF(f);
    }
    CHECK(h == FLOAT_REPR_FNV);
    CHECK(mix == FLOAT_HASH_MIX);
}

static void
test_reprs(void)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(floatreprs); i++) {
        const struct floatrepr *c = &floatreprs[i];
        PyObject *f = float_from_bits(c->bits);
        tv_check_repr(Py_NewRef(f), c->repr);
        if (isfinite(PyFloat_AS_DOUBLE(f))) {
            CHECK(PyObject_Hash(f) == c->hash);
        }
        PyObject *hx = PyObject_CallMethod(f, "hex", NULL);
        tv_check_str(hx, c->hex);
        if (c->integral) {
            /* hash(float) == hash(int) for integral values */
            PyObject *i2 = PyLong_FromDouble(PyFloat_AS_DOUBLE(f));
            CHECK(i2 != NULL && PyObject_Hash(i2) == c->hash);
            PyObject *eq = PyObject_RichCompare(f, i2, Py_EQ);
            CHECK(eq == Py_True);
            Py_DECREF(i2);
        }
        Py_DECREF(f);
    }
}

static void
test_parse(void)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(floatparses); i++) {
        const struct floatparse *c = &floatparses[i];
        PyObject *s = PyUnicode_FromString(c->text);
        PyObject *f = PyFloat_FromString(s);
        if (c->ok) {
            if (f == NULL) {
                fprintf(stderr, "float(%s): %s\n", c->text, tv_error());
                exit(1);
            }
            uint64_t b = bits_of(f);
            if (isnan(PyFloat_AS_DOUBLE(f))) {
                b = 0x7ff8000000000000ULL;
            }
            if (b != c->bits) {
                fprintf(stderr, "float(%s): %llx != %llx\n", c->text,
                        (unsigned long long)b, (unsigned long long)c->bits);
                exit(1);
            }
            Py_DECREF(f);
        }
        else {
            CHECK(f == NULL);
            tv_check_error("ValueError", c->error);
        }
        Py_DECREF(s);
    }
}

static void
test_round(void)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(floatrounds); i++) {
        const struct floatround *c = &floatrounds[i];
        PyObject *f = PyFloat_FromDouble(c->x);
        PyObject *r = PyObject_CallMethod(f, "__round__", "i", c->ndigits);
        if (c->ok) {
            tv_check_repr(r, c->result);
        }
        else {
            CHECK(r == NULL);
            tv_check_error("OverflowError", c->result);
        }
        Py_DECREF(f);
    }
    PyObject *f = PyFloat_FromDouble(2.5);
    tv_check_repr(PyObject_CallMethod(f, "__round__", NULL), "2");
    Py_DECREF(f);
}

static void
test_fromhex(void)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(floathexes); i++) {
        const struct floathex *c = &floathexes[i];
        PyObject *r = PyObject_CallMethod((PyObject *)&PyFloat_Type,
                                          "fromhex", "s", c->text);
        if (c->ok) {
            if (r == NULL) {
                fprintf(stderr, "fromhex(%s): %s\n", c->text, tv_error());
                exit(1);
            }
            CHECK(bits_of(r) == c->bits);
            Py_DECREF(r);
        }
        else {
            CHECK(r == NULL);
            CHECK(strcmp(tv_error(), c->error) == 0);
        }
    }
}

static void
test_arith(void)
{
    static const struct { const char *op; double a, b; const char *repr; }
    cases[] = {
        {"mod", -1.5, 0.4, "0.10000000000000009"}, {"floordiv", 7.5, -2,
        "-4.0"}, {"mod", -0.0, 5, "0.0"}, {"mod", 0.0, -5, "-0.0"},
        {"divmod", -7.5, 2, "(-4.0, 0.5)"}, {"truediv", 1, 3,
        "0.3333333333333333"}, {"add", 0.1, 0.2, "0.30000000000000004"},
        {"mul", 1e308, 10, "inf"}, {"sub", 1e16, 1, "1e+16"},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(cases); i++) {
        PyObject *a = PyFloat_FromDouble(cases[i].a);
        PyObject *b = PyFloat_FromDouble(cases[i].b);
        tv_check_repr(tv_binop(cases[i].op, a, b), cases[i].repr);
        Py_DECREF(a);
        Py_DECREF(b);
    }
    PyObject *one = PyFloat_FromDouble(1.0), *zero = PyFloat_FromDouble(0);
    CHECK(tv_binop("truediv", one, zero) == NULL);
    tv_check_error("ZeroDivisionError", "float division by zero");
    CHECK(tv_binop("floordiv", one, zero) == NULL);
    tv_check_error("ZeroDivisionError", "float floor division by zero");
    CHECK(tv_binop("mod", one, zero) == NULL);
    tv_check_error("ZeroDivisionError", "float modulo");
    CHECK(tv_binop("divmod", one, zero) == NULL);
    tv_check_error("ZeroDivisionError", "float divmod()");
    CHECK(tv_pow(zero, PyFloat_FromDouble(-1), NULL) == NULL);
    tv_check_error("ZeroDivisionError",
                   "0.0 cannot be raised to a negative power");
    CHECK(tv_pow(PyFloat_FromDouble(10), PyFloat_FromDouble(400), NULL)
          == NULL);
    tv_check_error("OverflowError", "(34, 'Numerical result out of range')");
    tv_check_repr(tv_pow(PyFloat_FromDouble(2), PyFloat_FromDouble(0.5),
                         NULL), "1.4142135623730951");
    /* int operands convert; too big ones raise */
    PyObject *big = _PyLong_Lshift(_PyLong_GetOne(), 2000);
    CHECK(tv_binop("add", one, big) == NULL);
    tv_check_error("OverflowError", "int too large to convert to float");
    tv_check_repr(tv_binop("add", one, PyLong_FromLong(2)), "3.0");
    Py_DECREF(one);
    Py_DECREF(zero);
    /* exact comparisons with ints: 2**53 + 1 != float(2**53 + 1) */
    PyObject *n = PyLong_FromLongLong(9007199254740993LL);
    PyObject *f = PyFloat_FromDouble(9007199254740992.0);
    CHECK(PyObject_RichCompare(f, n, Py_EQ) == Py_False);
    CHECK(PyObject_RichCompare(f, n, Py_LT) == Py_True);
    CHECK(PyObject_RichCompare(n, f, Py_GT) == Py_True);
    Py_DECREF(f);
    f = PyFloat_FromDouble(1e300);
    CHECK(PyObject_RichCompare(f, big, Py_LT) == Py_True);
    Py_DECREF(f);
    f = PyFloat_FromDouble(-INFINITY);
    CHECK(PyObject_RichCompare(f, big, Py_LT) == Py_True);
    Py_DECREF(f);
    f = PyFloat_FromDouble(NAN);
    CHECK(PyObject_RichCompare(f, n, Py_EQ) == Py_False);
    CHECK(PyObject_RichCompare(f, n, Py_NE) == Py_True);
    Py_DECREF(f);
    f = PyFloat_FromDouble(0.5);
    CHECK(PyObject_RichCompare(f, PyLong_FromLong(0), Py_GT) == Py_True);
    CHECK(PyObject_RichCompare(f, PyLong_FromLong(1), Py_LT) == Py_True);
    Py_DECREF(f);
    Py_DECREF(n);
    Py_DECREF(big);
}

static void
test_double_to_string(void)
{
    static const struct { double x; char code; int prec, flags;
                          const char *out; } cases[] = {
        {1.0, 'r', 0, Py_DTSF_ADD_DOT_0, "1.0"},
        {1.0, 'r', 0, 0, "1"},
        {0.1, 'e', 3, 0, "1.000e-01"},
        {123.456, 'f', 1, 0, "123.5"},
        {2.5, 'f', 0, 0, "2"},
        {1e16, 'g', 12, 0, "1e+16"},
        {-0.0, 'r', 0, Py_DTSF_ADD_DOT_0 | Py_DTSF_NO_NEG_0, "0.0"},
        {INFINITY, 'E', 3, 0, "INF"},
        {1.5, 'r', 0, Py_DTSF_SIGN | Py_DTSF_ADD_DOT_0, "+1.5"},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(cases); i++) {
        char *s = PyOS_double_to_string(cases[i].x, cases[i].code,
                                        cases[i].prec, cases[i].flags, NULL);
        CHECK(s != NULL);
        if (strcmp(s, cases[i].out) != 0) {
            fprintf(stderr, "double_to_string %zu: %s != %s\n", i, s,
                    cases[i].out);
            exit(1);
        }
        PyMem_Free(s);
    }
    char *end;
    CHECK(PyOS_string_to_double("1e500", NULL, NULL) == INFINITY);
    CHECK(PyOS_string_to_double("1e500", NULL, PyExc_OverflowError) == -1.0);
    tv_check_error("OverflowError",
                   "value too large to convert to float: '1e500'");
    CHECK(PyOS_string_to_double("2.5xyz", &end, NULL) == 2.5 &&
          strcmp(end, "xyz") == 0);
    CHECK(PyOS_string_to_double("x", NULL, NULL) == -1.0);
    tv_check_error("ValueError", "could not convert string to float: 'x'");
}

static void
test_methods(void)
{
    PyObject *f = PyFloat_FromDouble(0.1);
    tv_check_repr(PyObject_CallMethod(f, "as_integer_ratio", NULL),
                  "(3602879701896397, 36028797018963968)");
    CHECK(PyObject_CallMethod(f, "is_integer", NULL) == Py_False);
    Py_DECREF(f);
    f = PyFloat_FromDouble(-2.0);
    tv_check_repr(PyObject_CallMethod(f, "as_integer_ratio", NULL),
                  "(-2, 1)");
    CHECK(PyObject_CallMethod(f, "is_integer", NULL) == Py_True);
    Py_DECREF(f);
    f = PyFloat_FromDouble(INFINITY);
    CHECK(PyObject_CallMethod(f, "as_integer_ratio", NULL) == NULL);
    tv_check_error("OverflowError",
                   "cannot convert Infinity to integer ratio");
    Py_DECREF(f);
    /* pack/unpack */
    char buf[8];
    CHECK(PyFloat_Pack2(1.5, buf, 1) == 0);
    CHECK(PyFloat_Unpack2(buf, 1) == 1.5);
    CHECK(PyFloat_Pack2(1e6, buf, 1) == -1);
    tv_check_error("OverflowError", "float too large to pack with e format");
    static const struct { double x; unsigned short bits; } halves[] = {
        {1.5, 0x3e00}, {65504.0, 0x7bff}, {65519.99, 0x7bff},
        {6e-8, 0x0001}, {0x1p-25, 0x0000}, {3 * 0x1p-26, 0x0001},
        {1e-9, 0x0000}, {0.1, 0x2e66}, {-2.0, 0xc000},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(halves); i++) {
        CHECK(PyFloat_Pack2(halves[i].x, buf, 1) == 0);
        CHECK(((unsigned char)buf[0] | ((unsigned char)buf[1] << 8)) ==
              halves[i].bits);
    }
    CHECK(PyFloat_Pack2(65520.0, buf, 1) == -1);
    tv_error();
    CHECK(PyFloat_Pack4(0.1, buf, 0) == 0);
    CHECK(PyFloat_Unpack4(buf, 0) == (double)0.1f);
    CHECK(PyFloat_Pack8(-0.1, buf, 0) == 0 && (unsigned char)buf[0] == 0xbf);
    CHECK(PyFloat_Unpack8(buf, 0) == -0.1);
}

int
main(void)
{
    tv_init();
    test_reprs();
    test_parse();
    test_arith();
    test_double_to_string();
    test_round();
    test_fromhex();
    test_methods();
    test_random_reprs();
    tv_fini();
    printf("test_values_float: ok\n");
    return 0;
}
