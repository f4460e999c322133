/* The python command line (Py_BytesMain).
 *
 * Options are parsed the way CPython 3.11 parses them.  What the runtime can
 * not do yet is refused with a message and exit status 2, never a crash. */
#include "Python.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "usage: %s [option] ... [-c cmd | -m mod | file | -] [arg] ...\n"
    "Options:\n"
    "-c cmd : program passed in as string (terminates option list)\n"
    "-h     : print this help message and exit (also -? or --help)\n"
    "-m mod : run library module as a script (terminates option list)\n"
    "-V     : print the Python version number and exit (also --version)\n"
    "         when given twice, print more information about the build\n"
    "file   : program read from script file\n"
    "-      : program read from stdin (default; interactive mode if a tty)\n";

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
    fprintf(stderr,
            "%s: %s is not supported yet: this Plait build has no "
            "interpreter (only --version, -V and --help work)\n",
            prog, what);
    return 2;
}

int
Py_BytesMain(int argc, char **argv)
{
    const char *prog = argc > 0 ? argv[0] : "python";
    int version = 0;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--version") == 0) {
            version++;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 ||
            strcmp(arg, "-?") == 0) {
            printf(usage_text, prog);
            return 0;
        }
        if (arg[0] == '-' && arg[1] == 'V') {
            int all_v = 1;
            for (const char *p = arg + 1; *p; p++) {
                all_v &= (*p == 'V');
            }
            if (all_v) {
                version += (int)strlen(arg + 1);
                continue;
            }
        }
        if (arg[0] == '-' && arg[1] == '-' && arg[2] != '\0') {
            fprintf(stderr, "unknown option %s\n", arg);
            fprintf(stderr, "usage: %s [option] ... [-c cmd | -m mod | file "
                    "| -] [arg] ...\nTry `python -h' for more information.\n",
                    prog);
            return 2;
        }
        if (arg[0] == '-' && arg[1] == 'c') {
            return refuse(prog, "-c");
        }
        if (arg[0] == '-' && arg[1] == 'm') {
            return refuse(prog, "-m");
        }
        if (arg[0] == '-' && arg[1] != '\0') {
            return refuse(prog, arg);
        }
        return refuse(prog, "running a script");
    }
    if (version) {
        print_version(version);
        return 0;
    }
    return refuse(prog, "the interactive interpreter");
}
