/* The interactive interpreter (`python` on a terminal, or -i).
 *
 * A statement is read line by line: after each line the text so far is
 * compiled in 'single' mode with PyCF_DONT_IMPLY_DEDENT and
 * PyCF_ALLOW_INCOMPLETE_INPUT, the way the stdlib's codeop decides, so a
 * compound statement goes on (sys.ps2) until an empty line ends it.
 * Expression statements print through sys.displayhook (the compiler's
 * PRINT_EXPR); errors print a traceback and the loop goes on; SystemExit
 * and end of input end it.  On a terminal, lines come from GNU readline
 * (with history); Ctrl-C at the prompt discards the line and prints
 * KeyboardInterrupt.
 *
 * Thread safety: runs on the main thread only; the SIGINT handler and
 * jump buffer it installs around readline() are used by that thread
 * alone. */
#include "Python.h"
#include "pycore_compile.h"
#include "pycore_pythonrun.h"

#include <setjmp.h>
#include <signal.h>
#include <unistd.h>

#ifdef HAVE_LIBREADLINE
#  include <readline/readline.h>
#  include <readline/history.h>
#endif

PyAPI_FUNC(PyObject *) _PyRun_CompileObject(PyObject *source,
                                            PyObject *filename,
                                            const char *mode, int flags,
                                            int optimize, int for_exec);

/* -------------------------------------------------------- reading lines */

static sigjmp_buf prompt_jump;
static volatile sig_atomic_t at_prompt;

static void
prompt_sigint(int signo)
{
    if (at_prompt) {
        at_prompt = 0;
        siglongjmp(prompt_jump, 1);
    }
}

/* A new str, the prompt sys.<name> (str() of it), or `dflt`. */
static PyObject *
get_prompt(const char *name, const char *dflt)
{
    PyObject *p = PySys_GetObject(name);        /* borrowed */
    if (p == NULL) {
        return PyUnicode_FromString(dflt);
    }
    PyObject *s = PyObject_Str(p);
    if (s == NULL) {
        PyErr_Clear();
        return PyUnicode_FromString(dflt);
    }
    return s;
}

/* Reads one line without its newline into a malloc'ed string.  Returns
   NULL at end of input; sets *interrupted on Ctrl-C. */
static char *
read_line(const char *prompt, int use_readline, int *interrupted)
{
    *interrupted = 0;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = prompt_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    char *line = NULL;
    if (sigsetjmp(prompt_jump, 1) != 0) {
#ifdef HAVE_LIBREADLINE
        if (use_readline) {
            rl_free_line_state();
            rl_cleanup_after_signal();
        }
#endif
        sigaction(SIGINT, &old, NULL);
        *interrupted = 1;
        return NULL;
    }
    at_prompt = 1;
#ifdef HAVE_LIBREADLINE
    if (use_readline) {
        line = readline(prompt);
        if (line != NULL && line[0] != '\0') {
            add_history(line);
        }
        at_prompt = 0;
        sigaction(SIGINT, &old, NULL);
        return line;
    }
#endif
    fputs(prompt, stderr);
    fflush(stderr);
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    at_prompt = 0;
    sigaction(SIGINT, &old, NULL);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n') {
        line[n - 1] = '\0';
    }
    return line;
}

/* ----------------------------------------------- deciding completeness */

enum { SRC_INCOMPLETE, SRC_CODE, SRC_ERROR };

/* Compiles `src` with `flags`; 1 on success, 0 on SyntaxError (kept
   when `keep` else cleared, with *incomplete telling whether it was
   "incomplete input"), -1 on another error. */
static int
try_compile(const char *src, int flags, PyObject **code)
{
    PyObject *s = PyUnicode_FromString(src);
    PyObject *fn = PyUnicode_FromString("<stdin>");
    *code = NULL;
    if (s != NULL && fn != NULL) {
        *code = _PyRun_CompileObject(s, fn, "single", flags, -1, 0);
    }
    Py_XDECREF(s);
    Py_XDECREF(fn);
    if (*code != NULL) {
        return 1;
    }
    return PyErr_ExceptionMatches(PyExc_SyntaxError) ? 0 : -1;
}

/* Whether the pending SyntaxError says "incomplete input" (cleared). */
static int
error_is_incomplete(void)
{
    PyObject *exc = PyErr_GetRaisedException();
    PyObject *msg = exc ? PyObject_GetAttrString(exc, "msg") : NULL;
    int res = msg != NULL && PyUnicode_Check(msg) &&
              PyUnicode_CompareWithASCIIString(msg, "incomplete input") == 0;
    Py_XDECREF(msg);
    Py_XDECREF(exc);
    PyErr_Clear();
    return res;
}

/* Whether every line of `src` is blank or a comment. */
static int
only_blank(const char *src)
{
    const char *p = src;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == '\f') {
            p++;
        }
        if (*p == '#') {
            while (*p != '\0' && *p != '\n') {
                p++;
            }
        }
        if (*p != '\0' && *p != '\n') {
            return 0;
        }
        if (*p == '\n') {
            p++;
        }
    }
    return 1;
}

/* codeop's decision for the statement typed so far. */
static int
classify(const char *src, PyObject **code)
{
    const int flags = PyCF_DONT_IMPLY_DEDENT | PyCF_ALLOW_INCOMPLETE_INPUT;
    int r = try_compile(src, flags, code);
    if (r != 0) {
        return r > 0 ? SRC_CODE : SRC_ERROR;
    }
    PyErr_Clear();
    size_t n = strlen(src);
    char *more = malloc(n + 2);
    if (more == NULL) {
        PyErr_NoMemory();
        return SRC_ERROR;
    }
    memcpy(more, src, n);
    more[n] = '\n';
    more[n + 1] = '\0';
    PyObject *tmp;
    r = try_compile(more, flags, &tmp);
    free(more);
    if (r > 0) {
        Py_DECREF(tmp);
        return SRC_INCOMPLETE;
    }
    if (r < 0) {
        return SRC_ERROR;
    }
    if (error_is_incomplete()) {
        return SRC_INCOMPLETE;
    }
    /* Report the error as the statement itself gives it. */
    r = try_compile(src, PyCF_DONT_IMPLY_DEDENT, code);
    return r > 0 ? SRC_CODE : SRC_ERROR;
}

/* ------------------------------------------------------------- the loop */

/* Runs `code` in __main__; prints what it raised.  Returns 1 when the
   loop must stop (SystemExit), with the exit status in *status. */
static int
run_statement(PyObject *code, int *status)
{
    PyObject *main = PyImport_AddModule("__main__");
    PyObject *res = main != NULL
        ? PyEval_EvalCode(code, PyModule_GetDict(main),
                          PyModule_GetDict(main))
        : NULL;
    if (res != NULL) {
        Py_DECREF(res);
        return 0;
    }
    if (PyErr_ExceptionMatches(PyExc_SystemExit)) {
        *status = _PyRun_HandleUncaught();
        return 1;
    }
    PyErr_Print();
    return 0;
}

/* Appends `line` (and a newline before it, unless first) to *buf. */
static int
append_line(char **buf, size_t *len, const char *line)
{
    size_t add = strlen(line) + (*len > 0 ? 1 : 0);
    char *nb = realloc(*buf, *len + add + 1);
    if (nb == NULL) {
        return -1;
    }
    if (*len > 0) {
        nb[(*len)++] = '\n';
    }
    strcpy(nb + *len, line);
    *len += strlen(line);
    *buf = nb;
    return 0;
}

static void
print_banner(void)
{
    fprintf(stderr, "Python %s on linux\n"
            "Type \"help\", \"copyright\", \"credits\" or \"license\" "
            "for more information.\n", Py_GetVersion());
}

/* Sets sys.ps1/ps2 to the defaults unless the program set them. */
static void
init_prompts(void)
{
    if (PySys_GetObject("ps1") == NULL) {
        PyObject *s = PyUnicode_FromString(">>> ");
        if (s == NULL || PySys_SetObject("ps1", s) < 0) {
            PyErr_Clear();
        }
        Py_XDECREF(s);
    }
    if (PySys_GetObject("ps2") == NULL) {
        PyObject *s = PyUnicode_FromString("... ");
        if (s == NULL || PySys_SetObject("ps2", s) < 0) {
            PyErr_Clear();
        }
        Py_XDECREF(s);
    }
}

/* Calls sys.__interactivehook__ (site installs one) if present. */
static void
call_interactive_hook(void)
{
    PyObject *hook = PySys_GetObject("__interactivehook__");
    if (hook == NULL) {
        return;
    }
    PyObject *r = PyObject_CallNoArgs(hook);
    if (r == NULL) {
        fprintf(stderr, "Failed calling sys.__interactivehook__\n");
        PyErr_Print();
    }
    Py_XDECREF(r);
}

int
_PyRun_InteractiveLoop(int quiet)
{
    int use_readline = 0;
#ifdef HAVE_LIBREADLINE
    use_readline = isatty(0) && isatty(1);
    rl_catch_signals = 0;
#endif
    if (!quiet && isatty(0)) {
        print_banner();
    }
    init_prompts();
    call_interactive_hook();
    int status = 0;
    for (;;) {
        char *buf = NULL;
        size_t len = 0;
        int more = 0, stop = 0;
        for (;;) {
            PyObject *prompt = get_prompt(more ? "ps2" : "ps1",
                                          more ? "... " : ">>> ");
            const char *p = prompt ? PyUnicode_AsUTF8(prompt) : NULL;
            if (p == NULL) {
                PyErr_Clear();
                p = "";
            }
            int interrupted;
            fflush(stdout);
            char *line = read_line(p, use_readline, &interrupted);
            Py_XDECREF(prompt);
            if (interrupted) {
                fprintf(stderr, "\nKeyboardInterrupt\n");
                free(buf);
                buf = NULL;
                break;
            }
            if (line == NULL) {
                fputc('\n', stderr);
                stop = 1;
                break;
            }
            int rc = append_line(&buf, &len, line);
            free(line);
            if (rc < 0) {
                stop = 1;
                break;
            }
            if (!more && only_blank(buf)) {
                free(buf);
                buf = NULL;
                len = 0;
                continue;
            }
            PyObject *code = NULL;
            int kind = classify(buf, &code);
            if (kind == SRC_INCOMPLETE) {
                more = 1;
                continue;
            }
            free(buf);
            buf = NULL;
            if (kind == SRC_ERROR) {
                PyErr_Print();
            }
            else {
                stop = run_statement(code, &status);
                Py_DECREF(code);
            }
            break;
        }
        free(buf);
        if (stop) {
            break;
        }
    }
    return status;
}
