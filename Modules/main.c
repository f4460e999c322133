/* The python command line (Py_BytesMain).
 *
 * Options are parsed the way CPython 3.11 parses them.  Options the
 * runtime cannot honour yet are refused with a message and exit status 2,
 * never a crash. */
#include "Python.h"
#include "pycore_pythonrun.h"
#include "pycore_initconfig.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: %s [option] ... [-c cmd | -m mod | file | -] [arg] ...\n"
    "Options:\n"
    "-B     : don't write .pyc files on import\n"
    "-c cmd : program passed in as string (terminates option list)\n"
    "-E     : ignore PYTHON* environment variables\n"
    "-h     : print this help message and exit (also -? or --help)\n"
    "-I     : isolate Python from the user's environment\n"
    "-m mod : run library module as a script (terminates option list)\n"
    "-q     : don't print version and copyright messages on startup\n"
    "-s     : don't add user site directory to sys.path\n"
    "-S     : don't imply 'import site' on initialization\n"
    "-u     : force the stdout and stderr streams to be unbuffered\n"
    "-V     : print the Python version number and exit (also --version)\n"
    "         when given twice, print more information about the build\n"
    "file   : program read from script file\n"
    "-      : program read from stdin (default; interactive mode if a tty)\n"
    "arg ...: arguments passed to program in sys.argv[1:]\n";

static void
print_version(int verbose)
{
    if (verbose >= 2) {
        printf("Python %s\n", Py_GetVersion());
    }
    else {
        printf("Python %s (plait %s)\n", PY_VERSION, _Py_GetPlaitVersion());
    }
    fflush(stdout);
}

static int
usage_error(const char *prog, const char *msg, const char *arg)
{
    fprintf(stderr, msg, arg);
    fprintf(stderr, "usage: %s [option] ... [-c cmd | -m mod | file | -] "
            "[arg] ...\nTry `python -h' for more information.\n", prog);
    return 2;
}

/* What to run, and sys.argv for it. */
typedef struct {
    const char *command;        /* -c */
    const char *module;         /* -m */
    const char *script;         /* a file, or "-" */
    int argc;                   /* sys.argv */
    char **argv;
    int version;
    int help;
    int inspect;                /* -i: the REPL after the program */
    int quiet;                  /* -q: no banner */
} Config;

/* Single-letter flags that set a start-up setting (sys.flags). */
static int
set_flag(char c)
{
    _PyRuntimeFlags *f = &_Py_RuntimeFlags;
    switch (c) {
    case 'B': f->dont_write_bytecode = 1; return 1;
    case 'E': f->ignore_environment = 1; return 1;
    case 'I': f->isolated = 1; f->ignore_environment = 1;
              f->no_user_site = 1; f->safe_path = 1; return 1;
    case 's': f->no_user_site = 1; return 1;
    case 'S': f->no_site = 1; return 1;
    case 'u': f->unbuffered = 1; return 1;
    case 'P': f->safe_path = 1; return 1;
    default: return 0;
    }
}

/* The PYTHON* variables that mirror flags, unless -E/-I. */
static void
read_environment(Config *cfg)
{
    _PyRuntimeFlags *f = &_Py_RuntimeFlags;
    if (f->ignore_environment) {
        return;
    }
    const char *v;
    if ((v = getenv("PYTHONDONTWRITEBYTECODE")) != NULL && *v) {
        f->dont_write_bytecode = 1;
    }
    if ((v = getenv("PYTHONNOUSERSITE")) != NULL && *v) {
        f->no_user_site = 1;
    }
    if ((v = getenv("PYTHONUNBUFFERED")) != NULL && *v) {
        f->unbuffered = 1;
    }
    if ((v = getenv("PYTHONSAFEPATH")) != NULL && *v) {
        f->safe_path = 1;
    }
    if ((v = getenv("PYTHONINSPECT")) != NULL && *v) {
        cfg->inspect = 1;
    }
}

/* Parses argv; returns -1 to go on, else an exit status. */
static int
parse_args(int argc, char **argv, Config *cfg)
{
    const char *prog = argv[0];
    int i = 1;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || arg[1] == '\0') {
            break;                      /* script name or "-" */
        }
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (arg[1] == '-') {
            if (strcmp(arg, "--version") == 0) {
                cfg->version++;
                continue;
            }
            if (strcmp(arg, "--help") == 0) {
                cfg->help = 1;
                continue;
            }
            return usage_error(prog, "unknown option %s\n", arg);
        }
        for (const char *p = arg + 1; *p; p++) {
            if (*p == 'c' || *p == 'm') {
                const char *value = p[1] ? p + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (value == NULL) {
                    char opt[3] = { '-', *p, '\0' };
                    return usage_error(prog, "Argument expected for the %s "
                                       "option\n", opt);
                }
                if (*p == 'c') {
                    cfg->command = value;
                }
                else {
                    cfg->module = value;
                }
                cfg->argc = argc - i;
                cfg->argv = argv + i;
                return -1;
            }
            if (*p == 'V') {
                cfg->version++;
            }
            else if (*p == 'h' || *p == '?') {
                cfg->help = 1;
            }
            else if (*p == 'i') {
                cfg->inspect = 1;
            }
            else if (*p == 'q') {
                cfg->quiet = 1;
            }
            else if (set_flag(*p)) {
                /* recorded in _Py_RuntimeFlags */
            }
            else {
                char opt[3] = { '-', *p, '\0' };
                if (strchr("bdORtvWxX", *p) != NULL) {
                    fprintf(stderr, "%s: option %s is not supported yet\n",
                            prog, opt);
                    return 2;
                }
                return usage_error(prog, "Unknown option: %s\n", opt);
            }
        }
    }
    if (i < argc) {
        cfg->script = argv[i];
        cfg->argc = argc - i;
        cfg->argv = argv + i;
    }
    return -1;
}

/* sys.executable: argv[0] made absolute (against the working directory
   when it names a path, else found on $PATH), as CPython reports it. */
static void
executable_path(const char *prog, char *out, size_t size)
{
    snprintf(out, size, "%s", prog);
    if (strchr(prog, '/') != NULL) {
        char cwd[4096];
        if (prog[0] != '/' && getcwd(cwd, sizeof(cwd)) != NULL &&
            strlen(cwd) + strlen(prog) + 2 <= size) {
            strcpy(out, cwd);
            strcat(out, "/");
            strcat(out, prog);
        }
        return;
    }
    const char *path = getenv("PATH");
    while (path != NULL && *path != '\0') {
        const char *end = strchr(path, ':');
        size_t n = end ? (size_t)(end - path) : strlen(path);
        char cand[4096];
        snprintf(cand, sizeof(cand), "%.*s/%s", (int)n, path, prog);
        if (access(cand, X_OK) == 0) {
            snprintf(out, size, "%s", cand);
            return;
        }
        path = end ? end + 1 : NULL;
    }
}

/* PYTHONPATH's directories go after the script's (sys.path[0]). */
static int
add_pythonpath(void)
{
    const char *pp = getenv("PYTHONPATH");
    if (_Py_RuntimeFlags.ignore_environment || pp == NULL || *pp == '\0') {
        return 0;
    }
    PyObject *path = PySys_GetObject("path");       /* borrowed */
    if (path == NULL || !PyList_Check(path)) {
        return 0;
    }
    Py_ssize_t at = PyList_GET_SIZE(path) > 0 ? 1 : 0;
    while (pp != NULL) {
        const char *end = strchr(pp, ':');
        size_t n = end ? (size_t)(end - pp) : strlen(pp);
        if (n > 0) {
            PyObject *dir = PyUnicode_DecodeFSDefaultAndSize(pp,
                                                             (Py_ssize_t)n);
            if (dir == NULL || PyList_Insert(path, at++, dir) < 0) {
                Py_XDECREF(dir);
                return -1;
            }
            Py_DECREF(dir);
        }
        pp = end ? end + 1 : NULL;
    }
    return 0;
}

/* sys.orig_argv: the command line as given. */
static int
set_orig_argv(int argc, char **argv)
{
    PyObject *list = PyList_New(0);
    for (int i = 0; list != NULL && i < argc; i++) {
        PyObject *s = PyUnicode_DecodeFSDefault(argv[i]);
        if (s == NULL || PyList_Append(list, s) < 0) {
            Py_XDECREF(s);
            Py_CLEAR(list);
        }
        Py_XDECREF(s);
    }
    int rc = list != NULL ? PySys_SetObject("orig_argv", list) : -1;
    Py_XDECREF(list);
    return rc;
}

/* `import site` unless -S, as CPython does at start-up. */
static int
import_site(void)
{
    if (_Py_RuntimeFlags.no_site) {
        return 0;
    }
    PyObject *site = PyImport_ImportModule("site");
    if (site == NULL) {
        return -1;
    }
    Py_DECREF(site);
    return 0;
}

static int
run(const char *prog, Config *cfg, int full_argc, char **full_argv)
{
    char *empty_argv[] = { "", NULL };
    int argc = cfg->argc ? cfg->argc : 1;
    char **argv = cfg->argc ? cfg->argv : empty_argv;
    if (cfg->command != NULL) {
        argv[0] = "-c";
    }
    else if (cfg->module != NULL) {
        argv[0] = "-m";
    }
    read_environment(cfg);
    _Py_RuntimeFlags.inspect = cfg->inspect;
    _Py_RuntimeFlags.interactive = cfg->inspect;
    _Py_RuntimeFlags.quiet = cfg->quiet;
    char executable[4096];
    executable_path(prog, executable, sizeof(executable));
    if (_Py_InitializeWithArgs(argc, argv, executable) < 0 ||
        set_orig_argv(full_argc, full_argv) < 0 || add_pythonpath() < 0 ||
        import_site() < 0) {
        return _PyRun_HandleUncaught();
    }
    int status;
    int interactive = cfg->command == NULL && cfg->module == NULL &&
                      cfg->script == NULL && (isatty(0) || cfg->inspect);
    if (interactive) {
        status = _PyRun_InteractiveLoop(cfg->quiet);
    }
    else if (cfg->command != NULL) {
        status = _PyRun_Command(cfg->command);
    }
    else if (cfg->module != NULL) {
        status = _PyRun_Module(cfg->module);
    }
    else if (cfg->script == NULL || strcmp(cfg->script, "-") == 0) {
        status = _PyRun_Stdin();
    }
    else {
        status = _PyRun_MainFile(cfg->script);
        if (status == -1) {
            int err = errno;
            fprintf(stderr, "%s: can't open file '%s': [Errno %d] %s\n",
                    prog, cfg->script, err, strerror(err));
            return 2;
        }
    }
    if (cfg->inspect && !interactive) {
        /* -i: the REPL once the program has run (even after an error) */
        status = _PyRun_InteractiveLoop(1);
    }
    if (Py_FinalizeEx() < 0 && status == 0) {
        status = 120;
    }
    return status;
}

int
Py_BytesMain(int argc, char **argv)
{
    const char *prog = argc > 0 ? argv[0] : "python";
    Config cfg = { 0 };
    int status = parse_args(argc, argv, &cfg);
    if (status >= 0) {
        return status;
    }
    if (cfg.help) {
        printf(usage_text, prog);
        return 0;
    }
    if (cfg.version) {
        print_version(cfg.version);
        return 0;
    }
    return run(prog, &cfg, argc, argv);
}
