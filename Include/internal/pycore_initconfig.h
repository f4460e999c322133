/* The interpreter's start-up settings: what the python command line and
 * PYTHON* environment variables ask for, read by sys.flags and the
 * start-up code.  Written only before Py_Initialize (single-threaded),
 * read-only afterwards. */
#ifndef Py_INTERNAL_INITCONFIG_H
#define Py_INTERNAL_INITCONFIG_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

typedef struct {
    int inspect;                /* -i, PYTHONINSPECT */
    int interactive;            /* -i */
    int optimize;               /* -O (not supported yet: always 0) */
    int dont_write_bytecode;    /* -B, PYTHONDONTWRITEBYTECODE */
    int no_user_site;           /* -s, PYTHONNOUSERSITE */
    int no_site;                /* -S */
    int ignore_environment;     /* -E */
    int verbose;                /* -v (not supported yet: always 0) */
    int bytes_warning;          /* -b (not supported yet: always 0) */
    int quiet;                  /* -q */
    int isolated;               /* -I */
    int safe_path;              /* -P, PYTHONSAFEPATH */
    int unbuffered;             /* -u, PYTHONUNBUFFERED */
    int int_max_str_digits;     /* -X int_max_str_digits (-1: default) */
} _PyRuntimeFlags;

PyAPI_DATA(_PyRuntimeFlags) _Py_RuntimeFlags;

#endif /* !Py_INTERNAL_INITCONFIG_H */
