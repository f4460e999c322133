/* Exceptions and the error API (issue 6): the 3.11 hierarchy, reprs and
 * strs, attributes (OSError errno mapping, StopIteration.value, KeyError
 * str, SyntaxError and UnicodeError fields, ExceptionGroup split), the
 * PyErr_* functions including context chaining, and argument parsing
 * (PyArg_*) and Py_BuildValue with CPython's messages. */
#include "coretest.h"
#include "pycore_excstate.h"

#include <errno.h>

static PyObject *
call(PyObject *type, const char *fmt, ...)
{
    va_list va;
    va_start(va, fmt);
    PyObject *args = Py_VaBuildValue(fmt, va);
    va_end(va);
    CHECK(args != NULL);
    if (!PyTuple_Check(args)) {
        PyObject *t = PyTuple_Pack(1, args);
        Py_DECREF(args);
        args = t;
    }
    PyObject *res = PyObject_Call(type, args, NULL);
    Py_DECREF(args);
    return res;
}

static void
test_hierarchy(void)
{
    expect_repr(PyObject_GetAttrString(PyExc_ConnectionError, "__mro__"),
                "(<class 'ConnectionError'>, <class 'OSError'>, "
                "<class 'Exception'>, <class 'BaseException'>, "
                "<class 'object'>)");
    expect_repr(PyObject_GetAttrString(PyExc_ExceptionGroup, "__mro__"),
                "(<class 'ExceptionGroup'>, <class 'BaseExceptionGroup'>, "
                "<class 'Exception'>, <class 'BaseException'>, "
                "<class 'object'>)");
    EXPECT(PyExc_IOError == PyExc_OSError);
    expect_repr(PyObject_GetAttrString(PyExc_ValueError, "__doc__"),
                "'Inappropriate argument value (of correct type).'");
    expect_repr(PyObject_GetAttrString(PyExc_KeyError, "__module__"),
                "'builtins'");
}

static void
test_instances(void)
{
    expect_repr(call(PyExc_ValueError, "()"), "ValueError()");
    expect_repr(call(PyExc_ValueError, "(i)", 1), "ValueError(1)");
    expect_repr(call(PyExc_ValueError, "(ii)", 1, 2), "ValueError(1, 2)");
    expect_str(call(PyExc_ValueError, "()"), "");
    expect_str(call(PyExc_ValueError, "(s)", "a"), "a");
    expect_str(call(PyExc_ValueError, "(ii)", 1, 2), "(1, 2)");
    expect_str(call(PyExc_KeyError, "(s)", "a"), "'a'");
    expect_str(call(PyExc_KeyError, "(ss)", "a", "b"), "('a', 'b')");
    /* OSError */
    expect_repr(call(PyExc_OSError, "(is)", ENOENT, "No such file"),
                "FileNotFoundError(2, 'No such file')");
    expect_repr(call(PyExc_OSError, "(is)", EAGAIN, "x"),
                "BlockingIOError(11, 'x')");
    expect_str(call(PyExc_OSError, "(iss)", 2, "x", "f"),
               "[Errno 2] x: 'f'");
    expect_str(call(PyExc_OSError, "(issOs)", 2, "x", "f", Py_None, "g"),
               "[Errno 2] x: 'f' -> 'g'");
    PyObject *e = call(PyExc_OSError, "(iss)", 2, "x", "f");
    expect_repr(PyObject_GetAttrString(e, "args"), "(2, 'x')");
    expect_repr(PyObject_GetAttrString(e, "filename"), "'f'");
    expect_repr(PyObject_GetAttrString(e, "errno"), "2");
    Py_DECREF(e);
    e = call(PyExc_OSError, "(i)", 1);
    expect_repr(PyObject_GetAttrString(e, "errno"), "None");
    expect_str(Py_NewRef(e), "1");
    Py_DECREF(e);
    e = call(PyExc_BlockingIOError, "(isi)", 11, "x", 5);
    expect_repr(PyObject_GetAttrString(e, "characters_written"), "5");
    Py_DECREF(e);
    e = call(PyExc_BlockingIOError, "(is)", 11, "x");
    expect_error_obj(PyObject_GetAttrString(e, "characters_written"),
                     PyExc_AttributeError, "characters_written");
    Py_DECREF(e);
    /* StopIteration, SystemExit */
    e = call(PyExc_StopIteration, "(i)", 5);
    expect_repr(PyObject_GetAttrString(e, "value"), "5");
    Py_DECREF(e);
    e = call(PyExc_StopIteration, "()");
    expect_repr(PyObject_GetAttrString(e, "value"), "None");
    Py_DECREF(e);
    e = call(PyExc_SystemExit, "(ii)", 1, 2);
    expect_repr(PyObject_GetAttrString(e, "code"), "(1, 2)");
    Py_DECREF(e);
    /* Keyword-only attributes */
    PyObject *kw = Py_BuildValue("{s:s,s:s}", "name", "n", "path", "p");
    PyObject *args = Py_BuildValue("(s)", "m");
    e = PyObject_Call(PyExc_ImportError, args, kw);
    CHECK(e != NULL);
    expect_repr(PyObject_GetAttrString(e, "name"), "'n'");
    expect_str(Py_NewRef(e), "m");
    expect_repr(Py_NewRef(e), "ImportError('m')");
    Py_DECREF(e);
    Py_DECREF(kw);
    kw = Py_BuildValue("{s:i}", "x", 1);
    expect_error_obj(PyObject_Call(PyExc_ImportError, args, kw),
                     PyExc_TypeError,
                     "'x' is an invalid keyword argument for ImportError()");
    expect_error_obj(PyObject_Call(PyExc_BaseException, args, kw),
                     PyExc_TypeError,
                     "BaseException() takes no keyword arguments");
    Py_DECREF(kw);
    Py_DECREF(args);
    /* SyntaxError */
    e = call(PyExc_SyntaxError, "(s(siisii))", "invalid syntax",
             "/a/b/foo.py", 1, 2, "x y", 1, 3);
    expect_str(Py_NewRef(e), "invalid syntax (foo.py, line 1)");
    expect_repr(PyObject_GetAttrString(e, "offset"), "2");
    Py_DECREF(e);
    expect_error_obj(call(PyExc_SyntaxError, "(si)", "m", 1),
                     PyExc_TypeError, "'int' object is not iterable");
    /* UnicodeError family */
    expect_str(call(PyExc_UnicodeEncodeError, "(ssnns)", "ascii",
                    "\xc3\xa9", (Py_ssize_t)0, (Py_ssize_t)1,
                    "ordinal not in range(128)"),
               "'ascii' codec can't encode character '\\xe9' in position "
               "0: ordinal not in range(128)");
    expect_str(call(PyExc_UnicodeEncodeError, "(ssnns)", "ascii", "abc",
                    (Py_ssize_t)0, (Py_ssize_t)2, "r"),
               "'ascii' codec can't encode characters in position 0-1: r");
    expect_str(call(PyExc_UnicodeDecodeError, "(sy#nns)", "utf-8", "\xff",
                    (Py_ssize_t)1, (Py_ssize_t)0, (Py_ssize_t)1,
                    "invalid start byte"),
               "'utf-8' codec can't decode byte 0xff in position 0: "
               "invalid start byte");
    expect_error_obj(call(PyExc_UnicodeEncodeError, "(i)", 1),
                     PyExc_TypeError,
                     "function takes exactly 5 arguments (1 given)");
    /* Notes, cause, context, traceback */
    e = call(PyExc_ValueError, "()");
    expect_repr(PyObject_CallMethod(e, "add_note", "s", "hello"), "None");
    expect_repr(PyObject_GetAttrString(e, "__notes__"), "['hello']");
    expect_error_obj(PyObject_CallMethod(e, "add_note", "i", 1),
                     PyExc_TypeError, "note must be a str, not 'int'");
    PyObject *one = int_(1);
    expect_error(PyObject_SetAttrString(e, "__cause__", one) < 0,
                 PyExc_TypeError,
                 "exception cause must be None or derive from "
                 "BaseException");
    expect_error_obj(PyObject_CallMethod(e, "with_traceback", "O", one),
                     PyExc_TypeError,
                     "__traceback__ must be a traceback or None");
    Py_DECREF(one);
    Py_DECREF(e);
}

static void
test_exception_groups(void)
{
    PyObject *v1 = call(PyExc_ValueError, "(i)", 1);
    PyObject *t2 = call(PyExc_TypeError, "(i)", 2);
    PyObject *eg = call(PyExc_ExceptionGroup, "(s[OO])", "eg", v1, t2);
    CHECK(eg != NULL);
    expect_repr(Py_NewRef(eg),
                "ExceptionGroup('eg', [ValueError(1), TypeError(2)])");
    expect_str(Py_NewRef(eg), "eg (2 sub-exceptions)");
    expect_repr(PyObject_CallMethod(eg, "split", "O", PyExc_ValueError),
                "(ExceptionGroup('eg', [ValueError(1)]), "
                "ExceptionGroup('eg', [TypeError(2)]))");
    expect_repr(PyObject_CallMethod(eg, "subgroup", "O", PyExc_KeyError),
                "None");
    expect_repr(PyObject_GetAttrString(eg, "exceptions"),
                "(ValueError(1), TypeError(2))");
    PyObject *beg = call(PyExc_BaseExceptionGroup, "(s[O])", "b", v1);
    expect_repr(PyObject_Type(beg), "<class 'ExceptionGroup'>");
    Py_DECREF(beg);
    PyObject *ki = call(PyExc_KeyboardInterrupt, "()");
    expect_error_obj(call(PyExc_ExceptionGroup, "(s[O])", "eg", ki),
                     PyExc_TypeError,
                     "Cannot nest BaseExceptions in an ExceptionGroup");
    expect_error_obj(call(PyExc_ExceptionGroup, "(s[])", "eg"),
                     PyExc_ValueError,
                     "second argument (exceptions) must be a non-empty "
                     "sequence");
    expect_error_obj(call(PyExc_ExceptionGroup, "(s[i])", "eg", 1),
                     PyExc_ValueError,
                     "Item 0 of second argument (exceptions) is not an "
                     "exception");
    Py_DECREF(ki);
    Py_DECREF(eg);
    Py_DECREF(v1);
    Py_DECREF(t2);
}

static void
test_err_api(void)
{
    PyErr_SetString(PyExc_ValueError, "bad");
    EXPECT(PyErr_Occurred() == PyExc_ValueError);
    EXPECT(PyErr_ExceptionMatches(PyExc_Exception));
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    EXPECT(!PyErr_Occurred());
    EXPECT(type == PyExc_ValueError);
    expect_repr(Py_NewRef(value), "ValueError('bad')");
    PyErr_Restore(type, value, tb);
    expect_error(1, PyExc_ValueError, "bad");
    /* Restore with an unnormalized value. */
    PyErr_Restore(Py_NewRef(PyExc_KeyError), str_("k"), NULL);
    PyObject *exc = PyErr_GetRaisedException();
    expect_repr(Py_NewRef(exc), "KeyError('k')");
    Py_DECREF(exc);
    /* Format with %R and %U. */
    PyObject *s = str_("x");
    PyErr_Format(PyExc_TypeError, "got %R and %U and %d", s, s, 42);
    expect_error(1, PyExc_TypeError, "got 'x' and x and 42");
    Py_DECREF(s);
    /* Given matches with tuples and instances. */
    PyObject *tup = PyTuple_Pack(2, PyExc_KeyError, PyExc_IndexError);
    EXPECT(PyErr_GivenExceptionMatches(PyExc_IndexError, tup));
    EXPECT(!PyErr_GivenExceptionMatches(PyExc_ValueError, tup));
    Py_DECREF(tup);
    /* errno */
    errno = ENOENT;
    PyErr_SetFromErrnoWithFilename(PyExc_OSError, "/nope");
    expect_error(1, PyExc_FileNotFoundError,
                 "[Errno 2] No such file or directory: '/nope'");
    /* Context chaining with a handled exception. */
    PyObject *handled = call(PyExc_KeyError, "(s)", "h");
    PyErr_SetHandledException(handled);
    PyErr_SetString(PyExc_ValueError, "inner");
    exc = PyErr_GetRaisedException();
    expect_repr(PyObject_GetAttrString(exc, "__context__"), "KeyError('h')");
    Py_DECREF(exc);
    PyErr_SetHandledException(NULL);
    Py_DECREF(handled);
    /* New exception classes. */
    PyObject *myerr = PyErr_NewException("mymod.MyError", NULL, NULL);
    CHECK(myerr != NULL);
    expect_repr(Py_NewRef(myerr), "<class 'mymod.MyError'>");
    PyErr_SetString(myerr, "mine");
    expect_error(1, myerr, "mine");
    Py_DECREF(myerr);
    expect_error_obj(PyErr_NewException("nodot", NULL, NULL),
                     PyExc_SystemError,
                     "PyErr_NewException: name must be module.class");
    /* NoMemory */
    PyErr_NoMemory();
    expect_error(1, PyExc_MemoryError, "");
    /* Recursion limit. */
    int depth = 0, failed = 0;
    while (depth < 100000) {
        if (Py_EnterRecursiveCall(" in test")) {
            failed = 1;
            break;
        }
        depth++;
    }
    for (int i = 0; i < depth; i++) {
        Py_LeaveRecursiveCall();
    }
    EXPECT(failed && depth == _Py_DEFAULT_RECURSION_LIMIT);
    expect_error(failed, PyExc_RecursionError,
                 "maximum recursion depth exceeded in test");
}

static void
test_getargs(void)
{
    PyObject *args = Py_BuildValue("(is)", 5, "x");
    int i = 0;
    const char *str = NULL;
    EXPECT(PyArg_ParseTuple(args, "is:f", &i, &str));
    EXPECT(i == 5 && strcmp(str, "x") == 0);
    expect_error(!PyArg_ParseTuple(args, "ii:f", &i, &i), PyExc_TypeError,
                 "'str' object cannot be interpreted as an integer");
    expect_error(!PyArg_ParseTuple(args, "i:f", &i), PyExc_TypeError,
                 "f() takes exactly 1 argument (2 given)");
    expect_error(!PyArg_ParseTuple(args, "iss:f", &i, &str, &str),
                 PyExc_TypeError,
                 "f() takes exactly 3 arguments (2 given)");
    expect_error(!PyArg_ParseTuple(args, "s", &str), PyExc_TypeError,
                 "function takes exactly 1 argument (2 given)");
    Py_DECREF(args);
    /* Keywords. */
    static char *kwlist[] = {"name", "doc", NULL};
    PyObject *name = NULL, *doc = NULL;
    args = PyTuple_New(0);
    PyObject *kw = PyDict_New();
    expect_error(!PyArg_ParseTupleAndKeywords(args, kw, "U|O:module", kwlist,
                                              &name, &doc),
                 PyExc_TypeError,
                 "module() missing required argument 'name' (pos 1)");
    CHECK(PyDict_SetItemString(kw, "bogus", Py_None) == 0);
    PyObject *a1 = Py_BuildValue("(s)", "n");
    expect_error(!PyArg_ParseTupleAndKeywords(a1, kw, "U|O:module", kwlist,
                                              &name, &doc),
                 PyExc_TypeError,
                 "'bogus' is an invalid keyword argument for module()");
    Py_DECREF(kw);
    kw = Py_BuildValue("{s:s}", "name", "n");
    expect_error(!PyArg_ParseTupleAndKeywords(a1, kw, "U|O:module", kwlist,
                                              &name, &doc),
                 PyExc_TypeError,
                 "argument for module() given by name ('name') and "
                 "position (1)");
    EXPECT(PyArg_ParseTupleAndKeywords(args, kw, "U|O:module", kwlist,
                                       &name, &doc));
    Py_DECREF(kw);
    PyObject *bad = Py_BuildValue("(i)", 1);
    expect_error(!PyArg_ParseTupleAndKeywords(bad, NULL, "U|O:module",
                                              kwlist, &name, &doc),
                 PyExc_TypeError,
                 "module() argument 'name' must be str, not int");
    Py_DECREF(bad);
    Py_DECREF(a1);
    Py_DECREF(args);
    /* Unpack and positional checks. */
    PyObject *o1, *o2;
    args = PyTuple_New(0);
    expect_error(!PyArg_UnpackTuple(args, "slice", 1, 3, &o1, &o2, &o2),
                 PyExc_TypeError,
                 "slice expected at least 1 argument, got 0");
    Py_DECREF(args);
    /* Build values. */
    expect_repr(Py_BuildValue("(i,s,[i,i],{s:i},N)", 1, "a", 2, 3, "k", 4,
                              PyLong_FromLong(5)),
                "(1, 'a', [2, 3], {'k': 4}, 5)");
    expect_repr(Py_BuildValue(""), "None");
    expect_repr(Py_BuildValue("i", 7), "7");
    expect_repr(Py_BuildValue("(zy)", NULL, "b"), "(None, b'b')");
    expect_repr(Py_BuildValue("d", 1.5), "1.5");
}

int
main(void)
{
    Py_Initialize();
    test_hierarchy();
    test_instances();
    test_exception_groups();
    test_err_api();
    test_getargs();
    CHECK(!PyErr_Occurred());
    Py_FinalizeEx();
    return coretest_finish("test_core_errors");
}
