/* The python command line (Py_BytesMain).
 *
 * Options are parsed the way CPython 3.11 parses them.  What the runtime
 * cannot do yet is refused with a message and exit status 2, never a
 * crash. */
#include "Python.h"
#include "pycore_pythonrun.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

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
refuse(const char *prog, const char *what)
{
    fprintf(stderr, "%s: %s is not supported yet\n", prog, what);
    return 2;
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
} Config;

/* Options that change nothing here yet: -B (Plait writes no CPython .pyc),
   -E/-I/-s/-S (no environment or site handling yet), -u (sys.stdout and
   sys.stderr are unbuffered until _io exists), -q. */
static int
is_noop_flag(char c)
{
    return strchr("BEIsSuq", c) != NULL;
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
            else if (is_noop_flag(*p)) {
                /* accepted, nothing to do yet */
            }
            else {
                char opt[3] = { '-', *p, '\0' };
                if (strchr("bdiOPRtvWxX", *p) != NULL) {
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

static int
run(const char *prog, Config *cfg)
{
    char *empty_argv[] = { "", NULL };
    int argc = cfg->argc ? cfg->argc : 1;
    char **argv = cfg->argc ? cfg->argv : empty_argv;
    if (cfg->command != NULL) {
        argv[0] = "-c";
    }
    Py_Initialize();
    if (_PyInterp_InitModules(argc, argv, prog) < 0) {
        return _PyRun_HandleUncaught();
    }
    int status;
    if (cfg->command != NULL) {
        status = _PyRun_Command(cfg->command);
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
    if (cfg.module != NULL) {
        return refuse(prog, "-m");
    }
    if (cfg.command == NULL &&
        (cfg.script == NULL || strcmp(cfg.script, "-") == 0)) {
        return refuse(prog, "reading the program from standard input (and "
                      "the interactive interpreter)");
    }
    return run(prog, &cfg);
}
