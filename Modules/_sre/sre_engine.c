/* The matching engine of _sre: runs a validated program (see sre.h) over a
 * str (any kind) or a byte buffer.
 *
 * Backtracking never recurses on the C stack.  The matcher is a loop over
 * four registers (pc, ptr, the current repeat, the current sub-match) and
 * keeps three heap structures per call:
 *   - the choice stack: one entry per place a different path may be tried
 *     later (an untried branch alternative, a greedy single-character
 *     repeat that can give back a character, ...);
 *   - the trail: an undo log of group marks, so going back to a choice
 *     point restores exactly the marks it saw;
 *   - an arena of immutable nodes: repeat counters (REPEAT ... UNTIL) and
 *     sub-matches (lookarounds, atomic groups, possessive repeats).  Being
 *     immutable, a choice point restores them by saving one pointer.
 * A sub-match pushes a barrier choice; reaching the SUCCESS that ends its
 * body cuts the choice stack back to the barrier (nothing inside can be
 * retried), and failing back to the barrier means the body cannot match.
 *
 * Thread safety: the program is read only; everything written belongs to
 * the SreState of one call.  No locks. */

#include "sre.h"
#include "pycore_unicodectype.h"
#include <ctype.h>
#include <string.h>

/* TEMPORARY: Include/pyerrors.h does not declare PyErr_CheckSignals yet.
   Weak, so _sre links (and skips the check) while it does not exist. */
extern int PyErr_CheckSignals(void) __attribute__((weak));

/* Steps between two signal checks in a long match. */
#define SRE_SIGNAL_MASK 0xFFFFF

/* ------------------------------------------------ engine storage */

typedef struct RepNode {
    Py_ssize_t pc;              /* index of REPEAT's skip word */
    Py_ssize_t count;           /* iterations done */
    Py_ssize_t last_ptr;        /* where the last iteration began */
    unsigned long born;         /* SreStacks.pushes when made */
    struct RepNode *prev;
} RepNode;

enum { CTX_ASSERT, CTX_ASSERT_NOT, CTX_ATOMIC, CTX_POSSESSIVE };

typedef struct CtxNode {
    int kind;
    Py_ssize_t pc;              /* index of the construct's skip word */
    Py_ssize_t cont;            /* where to go on once the body is done */
    Py_ssize_t ptr;             /* lookaround: position to return to;
                                   possessive: where this iteration began */
    Py_ssize_t barrier;         /* index of the barrier choice */
    Py_ssize_t count;           /* possessive: iterations done before */
    RepNode *rep;               /* repeat register outside the body */
    struct CtxNode *prev;
} CtxNode;

enum {
    CP_BRANCH, CP_REPEAT_ONE, CP_MIN_REPEAT_ONE, CP_MAX_UNTIL, CP_MIN_UNTIL,
    CP_BARRIER
};

typedef struct {
    int kind;
    int full;                   /* going back restores the mark values */
    Py_ssize_t nfull;           /* full choices at or below this one */
    Py_ssize_t pc;
    Py_ssize_t ptr;
    Py_ssize_t trail;           /* trail height when pushed */
    Py_ssize_t lastmark;
    Py_ssize_t lastindex;
    Py_ssize_t count;
    RepNode *rep;
    CtxNode *ctx;
} Choice;

typedef struct {
    Py_ssize_t index;
    Py_ssize_t old;
} TrailEntry;

typedef struct Chunk {
    struct Chunk *next;
    size_t used;
    size_t cap;
    max_align_t data[];
} Chunk;

struct SreStacks {
    Choice *choices;
    Py_ssize_t nchoices;
    Py_ssize_t choicecap;
    TrailEntry *trail;
    Py_ssize_t ntrail;
    Py_ssize_t trailcap;
    Chunk *chunks;
    Chunk *current;
    unsigned long steps;
    unsigned long pushes;       /* choices pushed so far */
};

typedef struct {
    Py_ssize_t pc;
    Py_ssize_t ptr;
    RepNode *rep;
    CtxNode *ctx;
} Regs;

/* Grows an array of elem-sized items to hold at least need; 0 or -1 with
   MemoryError. */
static int
grow(void **arr, Py_ssize_t *cap, Py_ssize_t need, size_t elem)
{
    if (need <= *cap) {
        return 0;
    }
    Py_ssize_t ncap = *cap ? *cap * 2 : 64;
    while (ncap < need) {
        ncap *= 2;
    }
    if ((size_t)ncap > PY_SSIZE_T_MAX / elem) {
        PyErr_NoMemory();
        return -1;
    }
    void *p = PyMem_Realloc(*arr, (size_t)ncap * elem);
    if (p == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *arr = p;
    *cap = ncap;
    return 0;
}

/* Node memory for one attempt; all of it is reused by the next attempt. */
static void *
arena_alloc(SreStacks *sk, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    Chunk *c = sk->current;
    while (c != NULL && c->used + size > c->cap) {
        c = c->next;
        if (c != NULL) {
            c->used = 0;
            sk->current = c;
        }
    }
    if (c == NULL) {
        size_t cap = 64 * 1024;
        Chunk *n = PyMem_Malloc(sizeof(Chunk) + cap);
        if (n == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        n->next = NULL;
        n->used = 0;
        n->cap = cap;
        if (sk->current == NULL) {
            sk->chunks = n;
        }
        else {
            /* append after the last chunk */
            Chunk *last = sk->current;
            while (last->next != NULL) {
                last = last->next;
            }
            last->next = n;
        }
        sk->current = c = n;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    return p;
}

/* Makes all node memory free again (nodes die with their attempt). */
static void
arena_reset(SreStacks *sk)
{
    sk->current = sk->chunks;
    if (sk->current != NULL) {
        sk->current->used = 0;
    }
}

void
_PySRE_StateFini(SreState *st)
{
    SreStacks *sk = st->stacks;
    if (sk == NULL) {
        return;
    }
    Chunk *c = sk->chunks;
    while (c != NULL) {
        Chunk *n = c->next;
        PyMem_Free(c);
        c = n;
    }
    PyMem_Free(sk->choices);
    PyMem_Free(sk->trail);
    PyMem_Free(sk);
    st->stacks = NULL;
}

/* A repeat counter node (immutable once made, see run_until); NULL on
   MemoryError. */
static RepNode *
rep_new(SreStacks *sk, Py_ssize_t pc, Py_ssize_t count, Py_ssize_t last_ptr,
        RepNode *prev)
{
    RepNode *r = arena_alloc(sk, sizeof(RepNode));
    if (r != NULL) {
        r->pc = pc;
        r->count = count;
        r->last_ptr = last_ptr;
        r->born = sk->pushes;
        r->prev = prev;
    }
    return r;
}

/* Pushes a choice point saving the registers and the marks state;
   NULL on MemoryError.  Going back to a `full` choice restores every
   mark; to any other only lastmark and lastindex (see sre_backtrack). */
static Choice *
choice_push(SreState *st, int kind, const Regs *r, int full)
{
    SreStacks *sk = st->stacks;
    if (grow((void **)&sk->choices, &sk->choicecap, sk->nchoices + 1,
             sizeof(Choice)) < 0) {
        return NULL;
    }
    Py_ssize_t below = sk->nchoices ? sk->choices[sk->nchoices - 1].nfull : 0;
    Choice *c = &sk->choices[sk->nchoices++];
    sk->pushes++;
    c->kind = kind;
    c->full = full;
    c->nfull = below + (full != 0);
    c->pc = r->pc;
    c->ptr = r->ptr;
    c->trail = sk->ntrail;
    c->lastmark = st->lastmark;
    c->lastindex = st->lastindex;
    c->count = 0;
    c->rep = r->rep;
    c->ctx = r->ctx;
    return c;
}

/* Starts a sub-match: a node and its barrier choice.  r->ctx becomes the
   node.  -1 on MemoryError. */
static CtxNode *
ctx_enter(SreState *st, Regs *r, int kind, Py_ssize_t pc, Py_ssize_t cont,
          Py_ssize_t count)
{
    SreStacks *sk = st->stacks;
    CtxNode *n = arena_alloc(sk, sizeof(CtxNode));
    if (n == NULL) {
        return NULL;
    }
    n->kind = kind;
    n->pc = pc;
    n->cont = cont;
    n->ptr = r->ptr;
    n->barrier = sk->nchoices;
    n->count = count;
    n->rep = r->rep;
    n->prev = r->ctx;
    r->ctx = n;
    int full = kind == CTX_POSSESSIVE ||
               (kind == CTX_ASSERT_NOT && r->rep != NULL);
    if (choice_push(st, CP_BARRIER, r, full) == NULL) {
        return NULL;
    }
    return n;
}

/* Writes marks[i], logging the old value on the trail. */
static int
mark_write(SreState *st, Py_ssize_t i, Py_ssize_t v)
{
    SreStacks *sk = st->stacks;
    if (grow((void **)&sk->trail, &sk->trailcap, sk->ntrail + 1,
             sizeof(TrailEntry)) < 0) {
        return -1;
    }
    TrailEntry *t = &sk->trail[sk->ntrail++];
    t->index = i;
    t->old = st->marks[i];
    st->marks[i] = v;
    return 0;
}

/* MARK i.  Marks up to lastmark count as set; raising lastmark unsets
   the ones skipped over.  Going back to most choice points restores only
   lastmark, so a mark written on a failed path may stay visible: that is
   the behaviour of CPython's engine, which this one reproduces. */
static int
mark_set(SreState *st, Py_ssize_t i, Py_ssize_t ptr)
{
    if (i > st->lastmark) {
        for (Py_ssize_t j = st->lastmark + 1; j < i; j++) {
            if (st->marks[j] >= 0 && mark_write(st, j, -1) < 0) {
                return -1;
            }
        }
        st->lastmark = i;
    }
    if (mark_write(st, i, ptr) < 0) {
        return -1;
    }
    if (i & 1) {
        st->lastindex = i / 2 + 1;
    }
    return 0;
}

/* Puts back the marks written since the trail had `height` entries. */
static void
trail_undo(SreState *st, Py_ssize_t height)
{
    SreStacks *sk = st->stacks;
    while (sk->ntrail > height) {
        TrailEntry *t = &sk->trail[--sk->ntrail];
        st->marks[t->index] = t->old;
    }
}

/* Going back to choice c: the marks state it saved.  The trail above it
   is dropped when no choice left on the stack can ever need it. */
static void
marks_restore(SreState *st, const Choice *c)
{
    if (c->full) {
        trail_undo(st, c->trail);
    }
    else if (c->nfull == 0) {
        st->stacks->ntrail = c->trail;
    }
    st->lastmark = c->lastmark;
    st->lastindex = c->lastindex;
}

/* Is group g (0-based) set: both marks within lastmark and in order? */
static int
group_set(const SreState *st, Py_ssize_t g)
{
    Py_ssize_t s = st->marks[2 * g], e = st->marks[2 * g + 1];
    return 2 * g + 1 <= st->lastmark && s >= 0 && e >= s;
}

/* ------------------------------------------------ characters and case */

/* Character i of the subject. */
static inline Py_UCS4
sre_char(const SreState *st, Py_ssize_t i)
{
    switch (st->charsize) {
    case 1:
        return ((const Py_UCS1 *)st->data)[i];
    case 2:
        return ((const Py_UCS2 *)st->data)[i];
    default:
        return ((const Py_UCS4 *)st->data)[i];
    }
}

int
_PySRE_AsciiIsCased(Py_UCS4 ch)
{
    return ch < 128 && ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
}

Py_UCS4
_PySRE_AsciiToLower(Py_UCS4 ch)
{
    return (ch >= 'A' && ch <= 'Z') ? ch + 32 : ch;
}

int
_PySRE_UnicodeIsCased(Py_UCS4 ch)
{
    return ch != _PyUnicode_ToLowercase(ch) || ch != _PyUnicode_ToUppercase(ch);
}

Py_UCS4
_PySRE_UnicodeToLower(Py_UCS4 ch)
{
    return _PyUnicode_ToLowercase(ch);
}

/* The LOCALE forms follow the C library's idea of bytes 0-255. */
static Py_UCS4
loc_lower(Py_UCS4 ch)
{
    return ch < 256 ? (Py_UCS4)tolower((int)ch) : ch;
}

static Py_UCS4
loc_upper(Py_UCS4 ch)
{
    return ch < 256 ? (Py_UCS4)toupper((int)ch) : ch;
}

static int
is_ascii_digit(Py_UCS4 ch)
{
    return ch >= '0' && ch <= '9';
}

static int
is_ascii_space(Py_UCS4 ch)
{
    return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

static int
is_ascii_word(Py_UCS4 ch)
{
    return ch < 128 && (is_ascii_digit(ch) || _PySRE_AsciiIsCased(ch) ||
                        ch == '_');
}

static int
is_loc_word(Py_UCS4 ch)
{
    return ch < 256 && (isalnum((int)ch) || ch == '_');
}

static int
is_uni_word(Py_UCS4 ch)
{
    if (ch < 128) {
        return is_ascii_word(ch);
    }
    return _PyUnicode_IsAlnum(ch);
}

/* str.isspace() and str.isdecimal() of one character; ASCII answered
   here (0x1c-0x1f are whitespace to Python). */
static int
is_uni_space(Py_UCS4 ch)
{
    if (ch < 128) {
        return is_ascii_space(ch) || (ch >= 0x1c && ch <= 0x1f);
    }
    return _PyUnicode_IsWhitespace(ch);
}

static int
is_uni_digit(Py_UCS4 ch)
{
    if (ch < 128) {
        return is_ascii_digit(ch);
    }
    return _PyUnicode_IsDecimalDigit(ch);
}

/* CATEGORY_* test; the NOT_ forms are the odd codes. */
static int
sre_category(SRE_CODE cat, Py_UCS4 ch)
{
    int r;
    switch (cat & ~1u) {
    case SRE_CAT_DIGIT:
        r = is_ascii_digit(ch);
        break;
    case SRE_CAT_SPACE:
        r = is_ascii_space(ch);
        break;
    case SRE_CAT_WORD:
        r = is_ascii_word(ch);
        break;
    case SRE_CAT_LINEBREAK:
        r = ch == '\n';
        break;
    case SRE_CAT_LOC_WORD:
        r = is_loc_word(ch);
        break;
    case SRE_CAT_UNI_DIGIT:
        r = is_uni_digit(ch);
        break;
    case SRE_CAT_UNI_SPACE:
        r = is_uni_space(ch);
        break;
    case SRE_CAT_UNI_WORD:
        r = is_uni_word(ch);
        break;
    case SRE_CAT_UNI_LINEBREAK:
        r = _PyUnicode_IsLinebreak(ch);
        break;
    default:
        return 0;
    }
    return (cat & 1) ? !r : r;
}

/* Is ch in the set starting at set (set ops ending with FAILURE)? */
static int
sre_in_charset(const SRE_CODE *set, Py_UCS4 ch)
{
    int ok = 1;
    for (;;) {
        switch (*set++) {
        case SRE_OP_FAILURE:
            return !ok;
        case SRE_OP_LITERAL:
            if (ch == set[0]) {
                return ok;
            }
            set++;
            break;
        case SRE_OP_CATEGORY:
            if (sre_category(set[0], ch)) {
                return ok;
            }
            set++;
            break;
        case SRE_OP_CHARSET:
            if (ch < 256 && (set[ch >> 5] & (1u << (ch & 31)))) {
                return ok;
            }
            set += 8;
            break;
        case SRE_OP_RANGE:
            if (set[0] <= ch && ch <= set[1]) {
                return ok;
            }
            set += 2;
            break;
        case SRE_OP_RANGE_UNI_IGNORE: {
            if (set[0] <= ch && ch <= set[1]) {
                return ok;
            }
            Py_UCS4 up = _PyUnicode_ToUppercase(ch);
            if (set[0] <= up && up <= set[1]) {
                return ok;
            }
            set += 2;
            break;
        }
        case SRE_OP_NEGATE:
            ok = !ok;
            break;
        case SRE_OP_BIGCHARSET: {
            SRE_CODE count = *set++;
            if (ch < 65536) {
                unsigned block = ((const unsigned char *)set)[ch >> 8];
                const SRE_CODE *bits = set + 64 + block * 8;
                if (bits[(ch & 255) >> 5] & (1u << (ch & 31))) {
                    return ok;
                }
            }
            set += 64 + count * 8;
            break;
        }
        default:
            return 0;
        }
    }
}

static int
in_loc_ignore(const SRE_CODE *set, Py_UCS4 ch)
{
    return sre_in_charset(set, ch) || sre_in_charset(set, loc_lower(ch)) ||
           sre_in_charset(set, loc_upper(ch));
}

static int
literal_loc_ignore(SRE_CODE lit, Py_UCS4 ch)
{
    return ch == lit || loc_lower(ch) == lit || loc_upper(ch) == lit;
}

/* Does the single-character op at p accept ch? */
static int
match_one(const SRE_CODE *p, Py_UCS4 ch)
{
    switch (p[0]) {
    case SRE_OP_ANY:
        return ch != '\n';
    case SRE_OP_ANY_ALL:
        return 1;
    case SRE_OP_LITERAL:
        return ch == p[1];
    case SRE_OP_NOT_LITERAL:
        return ch != p[1];
    case SRE_OP_LITERAL_IGNORE:
        return _PySRE_AsciiToLower(ch) == p[1];
    case SRE_OP_NOT_LITERAL_IGNORE:
        return _PySRE_AsciiToLower(ch) != p[1];
    case SRE_OP_LITERAL_UNI_IGNORE:
        return _PyUnicode_ToLowercase(ch) == p[1];
    case SRE_OP_NOT_LITERAL_UNI_IGNORE:
        return _PyUnicode_ToLowercase(ch) != p[1];
    case SRE_OP_LITERAL_LOC_IGNORE:
        return literal_loc_ignore(p[1], ch);
    case SRE_OP_NOT_LITERAL_LOC_IGNORE:
        return !literal_loc_ignore(p[1], ch);
    case SRE_OP_CATEGORY:
        return sre_category(p[1], ch);
    case SRE_OP_IN:
        return sre_in_charset(p + 2, ch);
    case SRE_OP_IN_IGNORE:
        return sre_in_charset(p + 2, _PySRE_AsciiToLower(ch));
    case SRE_OP_IN_UNI_IGNORE:
        return sre_in_charset(p + 2, _PyUnicode_ToLowercase(ch));
    case SRE_OP_IN_LOC_IGNORE:
        return in_loc_ignore(p + 2, ch);
    default:
        return 0;
    }
}

/* Code words taken by the single-character op at p. */
static Py_ssize_t
one_width(const SRE_CODE *p)
{
    switch (p[0]) {
    case SRE_OP_ANY:
    case SRE_OP_ANY_ALL:
        return 1;
    case SRE_OP_IN:
    case SRE_OP_IN_IGNORE:
    case SRE_OP_IN_UNI_IGNORE:
    case SRE_OP_IN_LOC_IGNORE:
        return 1 + (Py_ssize_t)p[1];
    default:
        return 2;
    }
}

/* The ops match_one() knows (see sre.h). */
int
_PySRE_IsOneOp(SRE_CODE op)
{
    switch (op) {
    case SRE_OP_ANY: case SRE_OP_ANY_ALL:
    case SRE_OP_LITERAL: case SRE_OP_NOT_LITERAL:
    case SRE_OP_LITERAL_IGNORE: case SRE_OP_NOT_LITERAL_IGNORE:
    case SRE_OP_LITERAL_UNI_IGNORE: case SRE_OP_NOT_LITERAL_UNI_IGNORE:
    case SRE_OP_LITERAL_LOC_IGNORE: case SRE_OP_NOT_LITERAL_LOC_IGNORE:
    case SRE_OP_CATEGORY:
    case SRE_OP_IN: case SRE_OP_IN_IGNORE: case SRE_OP_IN_UNI_IGNORE:
    case SRE_OP_IN_LOC_IGNORE:
        return 1;
    default:
        return 0;
    }
}

/* How many characters from ptr on the single-character op at p accepts,
   at most maxcount (SRE_MAXREPEAT: no limit). */
static Py_ssize_t
count_ones(const SreState *st, const SRE_CODE *p, Py_ssize_t ptr,
           SRE_CODE maxcount)
{
    Py_ssize_t limit = st->end - ptr;
    if (maxcount != SRE_MAXREPEAT && (Py_ssize_t)maxcount < limit) {
        limit = maxcount;
    }
    if (limit <= 0) {
        return 0;
    }
    if (p[0] == SRE_OP_ANY_ALL) {
        return limit;
    }
    Py_ssize_t i = 0;
    if (p[0] == SRE_OP_LITERAL && st->charsize == 1) {
        const Py_UCS1 *s = (const Py_UCS1 *)st->data + ptr;
        while (i < limit && s[i] == p[1]) {
            i++;
        }
        return i;
    }
    while (i < limit && match_one(p, sre_char(st, ptr + i))) {
        i++;
    }
    return i;
}

/* ------------------------------------------------ positions */

/* Is there a word character at i (inside the subject)? */
static int
word_at(const SreState *st, Py_ssize_t i, int (*isword)(Py_UCS4))
{
    return i >= 0 && i < st->end && isword(sre_char(st, i));
}

/* Word boundary test; never true for an empty subject. */
static int
boundary(const SreState *st, Py_ssize_t ptr, int (*isword)(Py_UCS4))
{
    if (st->end == 0) {
        return -1;
    }
    return word_at(st, ptr - 1, isword) != word_at(st, ptr, isword);
}

/* AT_* position tests.  ^ and \A look at the real start of the subject,
   not at pos; $ and \Z at endpos. */
static int
sre_at(const SreState *st, Py_ssize_t ptr, SRE_CODE at)
{
    int b;
    switch (at) {
    case SRE_AT_BEGINNING:
    case SRE_AT_BEGINNING_STRING:
        return ptr == 0;
    case SRE_AT_BEGINNING_LINE:
        return ptr == 0 || sre_char(st, ptr - 1) == '\n';
    case SRE_AT_END:
        return ptr == st->end ||
               (ptr + 1 == st->end && sre_char(st, ptr) == '\n');
    case SRE_AT_END_LINE:
        return ptr == st->end || sre_char(st, ptr) == '\n';
    case SRE_AT_END_STRING:
        return ptr == st->end;
    case SRE_AT_BOUNDARY:
    case SRE_AT_NON_BOUNDARY:
        b = boundary(st, ptr, is_ascii_word);
        break;
    case SRE_AT_LOC_BOUNDARY:
    case SRE_AT_LOC_NON_BOUNDARY:
        b = boundary(st, ptr, is_loc_word);
        break;
    case SRE_AT_UNI_BOUNDARY:
    case SRE_AT_UNI_NON_BOUNDARY:
        b = boundary(st, ptr, is_uni_word);
        break;
    default:
        return 0;
    }
    if (b < 0) {
        return 0;
    }
    int negated = (at == SRE_AT_NON_BOUNDARY || at == SRE_AT_LOC_NON_BOUNDARY ||
                   at == SRE_AT_UNI_NON_BOUNDARY);
    return negated ? !b : b;
}

/* Back reference: does group g's text (compared per op's case rule) occur
   at ptr?  Its length, or -1. */
static Py_ssize_t
groupref(const SreState *st, SRE_CODE op, SRE_CODE g, Py_ssize_t ptr)
{
    if (!group_set(st, g)) {
        return -1;
    }
    Py_ssize_t s = st->marks[2 * (Py_ssize_t)g];
    Py_ssize_t len = st->marks[2 * (Py_ssize_t)g + 1] - s;
    if (st->end - ptr < len) {
        return -1;
    }
    for (Py_ssize_t k = 0; k < len; k++) {
        Py_UCS4 a = sre_char(st, s + k), b = sre_char(st, ptr + k);
        switch (op) {
        case SRE_OP_GROUPREF_IGNORE:
            a = _PySRE_AsciiToLower(a);
            b = _PySRE_AsciiToLower(b);
            break;
        case SRE_OP_GROUPREF_UNI_IGNORE:
            a = _PyUnicode_ToLowercase(a);
            b = _PyUnicode_ToLowercase(b);
            break;
        case SRE_OP_GROUPREF_LOC_IGNORE:
            a = loc_lower(a);
            b = loc_lower(b);
            break;
        default:
            break;
        }
        if (a != b) {
            return -1;
        }
    }
    return len;
}

/* ------------------------------------------------ the matcher */

/* First alternative at or after the skip word alt that could start at ptr
   (alternatives opening with a LITERAL that is not there are passed over);
   -1 when none. */
static Py_ssize_t
branch_select(const SreState *st, Py_ssize_t alt, Py_ssize_t ptr)
{
    const SRE_CODE *code = st->code;
    while (code[alt] != 0) {
        const SRE_CODE *body = &code[alt + 1];
        if (body[0] != SRE_OP_LITERAL ||
            (ptr < st->end && sre_char(st, ptr) == body[1])) {
            return alt;
        }
        alt += code[alt];
    }
    return -1;
}

/* Greedy single-character repeat giving back: the largest count <= n,
   >= min, after which the tail could start (when the tail opens with a
   LITERAL); below min when none. */
static Py_ssize_t
repeat_backoff(const SreState *st, Py_ssize_t tail, Py_ssize_t start,
               Py_ssize_t n, Py_ssize_t min)
{
    const SRE_CODE *t = &st->code[tail];
    if (tail < st->codesize - 1 && t[0] == SRE_OP_LITERAL) {
        while (n >= min &&
               (start + n >= st->end || sre_char(st, start + n) != t[1])) {
            n--;
        }
    }
    return n;
}

/* Every SRE_SIGNAL_MASK + 1 steps: lets Ctrl-C (and other signal
   handlers) interrupt a long match.  -1 with the exception set. */
static int
check_signals(SreStacks *sk)
{
    if ((++sk->steps & SRE_SIGNAL_MASK) == 0 && PyErr_CheckSignals != NULL) {
        return PyErr_CheckSignals();
    }
    return 0;
}

/* Resumes at the newest choice point that can still lead somewhere:
   1 (registers set), 0 (nothing left: no match) or -1 (MemoryError). */
static int
sre_backtrack(SreState *st, Regs *r)
{
    SreStacks *sk = st->stacks;
    const SRE_CODE *code = st->code;
    while (sk->nchoices > 0) {
        Choice *c = &sk->choices[sk->nchoices - 1];
        marks_restore(st, c);
        r->ptr = c->ptr;
        r->rep = c->rep;
        r->ctx = c->ctx;
        switch (c->kind) {
        case CP_BRANCH: {
            Py_ssize_t alt = branch_select(st, c->pc, r->ptr);
            if (alt < 0) {
                sk->nchoices--;
                continue;
            }
            Py_ssize_t next = alt + code[alt];
            if (code[next] == 0) {
                sk->nchoices--;
            }
            else {
                c->pc = next;
            }
            r->pc = alt + 1;
            return 1;
        }
        case CP_REPEAT_ONE: {
            Py_ssize_t skip = c->pc;
            Py_ssize_t min = code[skip + 1];
            Py_ssize_t tail = skip + code[skip];
            Py_ssize_t n = repeat_backoff(st, tail, c->ptr, c->count - 1, min);
            if (n < min) {
                sk->nchoices--;
                continue;
            }
            r->ptr = c->ptr + n;
            if (n == min) {
                sk->nchoices--;
            }
            else {
                c->count = n;
            }
            r->pc = tail;
            return 1;
        }
        case CP_MIN_REPEAT_ONE: {
            Py_ssize_t skip = c->pc;
            SRE_CODE max = code[skip + 2];
            Py_ssize_t at = c->ptr + c->count;
            if (at >= st->end || !match_one(&code[skip + 3], sre_char(st, at))) {
                sk->nchoices--;
                continue;
            }
            Py_ssize_t n = c->count + 1;
            r->ptr = c->ptr + n;
            if (max != SRE_MAXREPEAT && n >= (Py_ssize_t)max) {
                sk->nchoices--;
            }
            else {
                c->count = n;
            }
            r->pc = skip + code[skip];
            return 1;
        }
        case CP_MAX_UNTIL:
            /* one more iteration failed: go on after the repeat */
            sk->nchoices--;
            r->pc = c->pc;
            r->rep = c->rep->prev;
            return 1;
        case CP_MIN_UNTIL: {
            /* the tail failed: one more iteration */
            RepNode *rp = c->rep;
            sk->nchoices--;
            Py_ssize_t count = rp->count + 1;
            SRE_CODE max = code[rp->pc + 2];
            if ((max != SRE_MAXREPEAT && count >= (Py_ssize_t)max) ||
                r->ptr == rp->last_ptr) {
                continue;
            }
            r->rep = rep_new(sk, rp->pc, count, r->ptr, rp->prev);
            if (r->rep == NULL) {
                return -1;
            }
            r->pc = rp->pc + 3;
            return 1;
        }
        case CP_BARRIER: {
            /* the body of a sub-match cannot match */
            CtxNode *in = c->ctx;
            sk->nchoices--;
            if (in->kind == CTX_ASSERT_NOT ||
                (in->kind == CTX_POSSESSIVE &&
                 in->count >= (Py_ssize_t)code[in->pc + 1])) {
                r->ptr = in->ptr;
                r->pc = in->cont;
                r->rep = in->rep;
                r->ctx = in->prev;
                return 1;
            }
            continue;
        }
        default:
            sk->nchoices--;
            continue;
        }
    }
    return 0;
}

/* SUCCESS reached inside a sub-match: leave it.  1 to go on, 0 to fail,
   -1 on MemoryError. */
static int
ctx_success(SreState *st, Regs *r)
{
    SreStacks *sk = st->stacks;
    const SRE_CODE *code = st->code;
    CtxNode *in = r->ctx;
    sk->nchoices = in->barrier;
    switch (in->kind) {
    case CTX_ASSERT_NOT:
        return 0;
    case CTX_ASSERT:
        r->ptr = in->ptr;
        break;
    case CTX_POSSESSIVE: {
        Py_ssize_t n = in->count + 1;
        SRE_CODE max = code[in->pc + 2];
        if (r->ptr != in->ptr &&
            (max == SRE_MAXREPEAT || n < (Py_ssize_t)max)) {
            r->ctx = in->prev;
            r->rep = in->rep;
            if (ctx_enter(st, r, CTX_POSSESSIVE, in->pc, in->cont, n) == NULL) {
                return -1;
            }
            r->pc = in->pc + 3;
            return 1;
        }
        break;
    }
    default:
        break;
    }
    r->pc = in->cont;
    r->rep = in->rep;
    r->ctx = in->prev;
    return 1;
}

/* Which choices restore all marks when gone back to (the others only
   lastmark), as CPython's engine does. */
#define REPEAT_ONE_FULL(r) ((r)->rep != NULL)
#define MIN_UNTIL_FULL(rp) ((rp)->prev != NULL)

/* REPEAT_ONE, MIN_REPEAT_ONE, POSSESSIVE_REPEAT_ONE: [op skip min max]
   one single-character op, SUCCESS.  Counted directly, with one choice
   point for giving back (or taking more) characters.  1 go on, 0 fail,
   -1 error. */
static int
run_repeat_one(SreState *st, Regs *r, SRE_CODE op)
{
    const SRE_CODE *code = st->code;
    Py_ssize_t skip = r->pc + 1;
    Py_ssize_t min = code[skip + 1];
    SRE_CODE max = code[skip + 2];
    Py_ssize_t tail = skip + code[skip];
    Py_ssize_t start = r->ptr;
    if (st->end - start < min) {
        return 0;
    }
    Py_ssize_t n;
    if (op == SRE_OP_MIN_REPEAT_ONE) {
        n = min ? count_ones(st, &code[skip + 3], start, (SRE_CODE)min) : 0;
        if (n < min) {
            return 0;
        }
        if (max == SRE_MAXREPEAT || n < (Py_ssize_t)max) {
            Regs save = {skip, start, r->rep, r->ctx};
            Choice *c = choice_push(st, CP_MIN_REPEAT_ONE, &save,
                                    REPEAT_ONE_FULL(r));
            if (c == NULL) {
                return -1;
            }
            c->count = n;
        }
    }
    else {
        n = count_ones(st, &code[skip + 3], start, max);
        if (n < min) {
            return 0;
        }
        if (op == SRE_OP_REPEAT_ONE) {
            n = repeat_backoff(st, tail, start, n, min);
            if (n < min) {
                return 0;
            }
            if (n > min) {
                Regs save = {skip, start, r->rep, r->ctx};
                Choice *c = choice_push(st, CP_REPEAT_ONE, &save,
                                        REPEAT_ONE_FULL(r));
                if (c == NULL) {
                    return -1;
                }
                c->count = n;
            }
        }
    }
    r->ptr = start + n;
    r->pc = tail;
    return 1;
}

/* MAX_UNTIL / MIN_UNTIL: end of one iteration of a REPEAT body. */
static int
run_until(SreState *st, Regs *r, SRE_CODE op)
{
    SreStacks *sk = st->stacks;
    const SRE_CODE *code = st->code;
    RepNode *rp = r->rep;
    if (rp == NULL) {
        return 0;
    }
    Py_ssize_t count = rp->count + 1;
    Py_ssize_t min = code[rp->pc + 1];
    SRE_CODE max = code[rp->pc + 2];
    Py_ssize_t tail = r->pc + 1;
    if (count < min) {
        r->pc = rp->pc + 3;
        if (rp->born == sk->pushes) {
            /* no choice point can have saved rp: count in place, so a
               long run of required iterations takes no memory */
            rp->count = count;
            return 1;
        }
        r->rep = rep_new(sk, rp->pc, count, rp->last_ptr, rp->prev);
        return r->rep ? 1 : -1;
    }
    if (op == SRE_OP_MAX_UNTIL) {
        if ((max == SRE_MAXREPEAT || count < (Py_ssize_t)max) &&
            r->ptr != rp->last_ptr) {
            Regs save = {tail, r->ptr, rp, r->ctx};
            if (choice_push(st, CP_MAX_UNTIL, &save, 1) == NULL) {
                return -1;
            }
            r->rep = rep_new(sk, rp->pc, count, r->ptr, rp->prev);
            r->pc = rp->pc + 3;
            return r->rep ? 1 : -1;
        }
        r->rep = rp->prev;
        r->pc = tail;
        return 1;
    }
    Regs save = {tail, r->ptr, rp, r->ctx};
    if (choice_push(st, CP_MIN_UNTIL, &save, MIN_UNTIL_FULL(rp)) == NULL) {
        return -1;
    }
    r->rep = rp->prev;
    r->pc = tail;
    return 1;
}

/* ASSERT / ASSERT_NOT: [op skip back] body SUCCESS. */
static int
run_assert(SreState *st, Regs *r, SRE_CODE op)
{
    const SRE_CODE *code = st->code;
    Py_ssize_t skip = r->pc + 1;
    Py_ssize_t back = code[skip + 1];
    Py_ssize_t cont = skip + code[skip];
    if (r->ptr < back) {
        if (op == SRE_OP_ASSERT) {
            return 0;
        }
        r->pc = cont;
        return 1;
    }
    int kind = op == SRE_OP_ASSERT ? CTX_ASSERT : CTX_ASSERT_NOT;
    if (ctx_enter(st, r, kind, skip, cont, 0) == NULL) {
        return -1;
    }
    r->ptr -= back;
    r->pc = skip + 2;
    return 1;
}

/* BRANCH: the first viable alternative now, the next one as a choice. */
static int
run_branch(SreState *st, Regs *r)
{
    Py_ssize_t alt = branch_select(st, r->pc + 1, r->ptr);
    if (alt < 0) {
        return 0;
    }
    Py_ssize_t next = alt + st->code[alt];
    if (st->code[next] != 0) {
        Regs save = {next, r->ptr, r->rep, r->ctx};
        if (choice_push(st, CP_BRANCH, &save, r->rep != NULL) == NULL) {
            return -1;
        }
    }
    r->pc = alt + 1;
    return 1;
}

/* The ops with a body or a choice (the single-character ones and the
   simple zero-width ones are in sre_run).  1 go on, 0 fail, -1 error. */
static int
run_complex(SreState *st, Regs *r, SRE_CODE op)
{
    const SRE_CODE *code = st->code;
    SreStacks *sk = st->stacks;
    Py_ssize_t skip = r->pc + 1;
    switch (op) {
    case SRE_OP_BRANCH:
        return run_branch(st, r);
    case SRE_OP_REPEAT_ONE:
    case SRE_OP_MIN_REPEAT_ONE:
    case SRE_OP_POSSESSIVE_REPEAT_ONE:
        return run_repeat_one(st, r, op);
    case SRE_OP_REPEAT:
        r->rep = rep_new(sk, skip, -1, -1, r->rep);
        r->pc = skip + code[skip];
        return r->rep ? 1 : -1;
    case SRE_OP_MAX_UNTIL:
    case SRE_OP_MIN_UNTIL:
        return run_until(st, r, op);
    case SRE_OP_ASSERT:
    case SRE_OP_ASSERT_NOT:
        return run_assert(st, r, op);
    case SRE_OP_ATOMIC_GROUP:
        if (ctx_enter(st, r, CTX_ATOMIC, skip, skip + code[skip], 0) == NULL) {
            return -1;
        }
        r->pc = skip + 1;
        return 1;
    case SRE_OP_POSSESSIVE_REPEAT:
        if (code[skip + 2] == 0) {
            r->pc = skip + code[skip] + 1;
            return 1;
        }
        if (ctx_enter(st, r, CTX_POSSESSIVE, skip, skip + code[skip] + 1,
                      0) == NULL) {
            return -1;
        }
        r->pc = skip + 3;
        return 1;
    default:
        return 0;
    }
}

/* Runs the program from pc at ptr: 1 match, 0 none, -1 error. */
static int
sre_run(SreState *st, Py_ssize_t pc, Py_ssize_t ptr)
{
    const SRE_CODE *code = st->code;
    Regs r = {pc, ptr, NULL, NULL};
    int ok;
    for (;;) {
        if (check_signals(st->stacks) < 0) {
            return -1;
        }
        if (r.pc >= st->codesize) {
            goto fail;
        }
        SRE_CODE op = code[r.pc];
        switch (op) {
        case SRE_OP_FAILURE:
            goto fail;
        case SRE_OP_SUCCESS:
            if (r.ctx != NULL) {
                ok = ctx_success(st, &r);
                break;
            }
            if ((st->match_all && r.ptr != st->end) ||
                (st->must_advance && r.ptr == st->start)) {
                goto fail;
            }
            st->match_end = r.ptr;
            return 1;
        case SRE_OP_AT:
            ok = sre_at(st, r.ptr, code[r.pc + 1]);
            r.pc += 2;
            break;
        case SRE_OP_MARK:
            ok = mark_set(st, code[r.pc + 1], r.ptr) < 0 ? -1 : 1;
            r.pc += 2;
            break;
        case SRE_OP_JUMP:
            r.pc += 1 + code[r.pc + 1];
            continue;
        case SRE_OP_INFO:
            ok = st->end - r.ptr >= (Py_ssize_t)code[r.pc + 3];
            r.pc += 1 + code[r.pc + 1];
            break;
        case SRE_OP_GROUPREF:
        case SRE_OP_GROUPREF_IGNORE:
        case SRE_OP_GROUPREF_UNI_IGNORE:
        case SRE_OP_GROUPREF_LOC_IGNORE: {
            Py_ssize_t len = groupref(st, op, code[r.pc + 1], r.ptr);
            ok = len >= 0;
            r.ptr += len;
            r.pc += 2;
            break;
        }
        case SRE_OP_GROUPREF_EXISTS: {
            if (group_set(st, code[r.pc + 1])) {
                r.pc += 3;
            }
            else {
                r.pc += 1 + code[r.pc + 2];
            }
            continue;
        }
        default:
            if (_PySRE_IsOneOp(op)) {
                ok = r.ptr < st->end &&
                     match_one(&code[r.pc], sre_char(st, r.ptr));
                r.pc += one_width(&code[r.pc]);
                r.ptr++;
            }
            else {
                ok = run_complex(st, &r, op);
            }
            break;
        }
        if (ok > 0) {
            continue;
        }
        if (ok < 0) {
            return -1;
        }
    fail:
        ok = sre_backtrack(st, &r);
        if (ok <= 0) {
            return ok;
        }
    }
}

/* One attempt at position ptr with fresh marks and stacks. */
static int
sre_attempt(SreState *st, Py_ssize_t ptr)
{
    if (st->stacks == NULL) {
        st->stacks = PyMem_Calloc(1, sizeof(SreStacks));
        if (st->stacks == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    SreStacks *sk = st->stacks;
    sk->nchoices = 0;
    sk->ntrail = 0;
    arena_reset(sk);
    for (Py_ssize_t i = 0; i < st->nmarks; i++) {
        st->marks[i] = -1;
    }
    st->lastindex = -1;
    st->lastmark = -1;
    st->match_start = ptr;
    return sre_run(st, 0, ptr);
}

/* Anchored at st->start (match, fullmatch). */
int
_PySRE_Match(SreState *st)
{
    if (st->start > st->end) {
        return 0;
    }
    return sre_attempt(st, st->start);
}

/* Does the INFO block's literal prefix occur at s? */
static int
prefix_at(const SreState *st, Py_ssize_t s, const SRE_CODE *prefix,
          Py_ssize_t len)
{
    if (st->end - s < len) {
        return 0;
    }
    for (Py_ssize_t k = 0; k < len; k++) {
        if (sre_char(st, s + k) != prefix[k]) {
            return 0;
        }
    }
    return 1;
}

/* First index in [s, end) holding ch, or -1. */
static Py_ssize_t
find_char(const SreState *st, Py_ssize_t s, Py_ssize_t end, SRE_CODE ch)
{
    if (st->charsize == 1) {
        if (ch > 255 || s >= end) {
            return -1;
        }
        const Py_UCS1 *base = st->data;
        const Py_UCS1 *p = memchr(base + s, (int)ch, end - s);
        return p ? p - base : -1;
    }
    for (; s < end; s++) {
        if (sre_char(st, s) == ch) {
            return s;
        }
    }
    return -1;
}

/* Search: an attempt at each position from start on, skipping positions
   the INFO block (literal prefix or first-character set) rules out. */
int
_PySRE_Search(SreState *st)
{
    const SRE_CODE *code = st->code;
    Py_ssize_t start = st->start, end = st->end;
    Py_ssize_t minlen = 0, plen = 0;
    const SRE_CODE *prefix = NULL, *charset = NULL;
    if (start > end) {
        return 0;
    }
    if (st->codesize > 4 && code[0] == SRE_OP_INFO) {
        SRE_CODE flags = code[2];
        minlen = code[3];
        if (flags & SRE_INFO_PREFIX) {
            plen = code[5];
            prefix = &code[7];
        }
        else if (flags & SRE_INFO_CHARSET) {
            charset = &code[5];
        }
    }
    int must_advance = st->must_advance;
    int r = 0;
    for (Py_ssize_t s = start; end - s >= minlen; s++) {
        if (prefix != NULL) {
            s = find_char(st, s, end, prefix[0]);
            if (s < 0) {
                break;
            }
            if (!prefix_at(st, s, prefix, plen)) {
                continue;
            }
        }
        if (charset != NULL &&
            (s >= end || !sre_in_charset(charset, sre_char(st, s)))) {
            continue;
        }
        st->must_advance = s == start ? must_advance : 0;
        r = sre_attempt(st, s);
        if (r != 0) {
            break;
        }
        if (s >= end) {
            break;
        }
    }
    st->must_advance = must_advance;
    return r;
}

int
_PySRE_GroupSpan(const SreState *st, Py_ssize_t g, Py_ssize_t *s,
                 Py_ssize_t *e)
{
    if (!group_set(st, g - 1)) {
        *s = *e = -1;
        return 0;
    }
    *s = st->marks[2 * (g - 1)];
    *e = st->marks[2 * (g - 1) + 1];
    return 1;
}
