/* The tokenizer's inner loop in C: an optional accelerator for htmlfix.tokens.
 *
 * htmlfix.tokens.tokenize() is the ground truth for every position htmlfix reports, and it is
 * the first thing every check runs. Its pure-Python loop costs one Python step per tag (about
 * 2.5 us), which made it half of the time of a whole check. This module runs the common part
 * of that loop -- text, character references and ordinary start and end tags -- in C and hands
 * everything that changes the tokenizer's state back to the Python driver: comments, doctypes,
 * bogus comments and CDATA ("<!", "<?", "</" not before a letter), and any tag whose name is in
 * the caller's set of stop names (raw-text elements, svg/math and the names that leave foreign
 * content). Character references are matched by a Python callback, so the named-reference
 * table lives in one place.
 *
 * The tag grammar below is the one of tokens._TAG/_NEXT (WHATWG tag, attribute-name,
 * attribute-value and self-closing states, section 13.2.5), step for step:
 *
 *   "<" "/"? [A-Za-z] [^ws />]*  then, repeatedly:  ws  |  "/" not before ">"  |  attribute
 *   attribute = [^ws />] [^ws />=]*  ( ws* "=" ws* ( "..."? | '...'? | [^ws >]+ )? )?
 *   and the tag ends at ">" (after "/" it is self-closing) or at the end of the input, where
 *   browsers drop it (DROPPED, UNTERMINATED).
 *
 * tests/test_tokens.py runs the tokenizer suite and the differential tests against the pure-Python
 * loop, which stays the reference (HTMLFIX_PURE_PYTHON=1 selects it).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

enum { STOP_END = 0, STOP_MARKUP = 1, STOP_TAG = 2 };

/* Indexes into the constants tuple the caller passes. */
enum { C_TEXT, C_CHARREF, C_START_TAG, C_END_TAG, C_DROPPED, C_ZERO, C_SELF_CLOSING, C_UNTERMINATED, C_EMPTY, C_COUNT };

/* Lower-cased names are shared through this dict (a page has a few dozen distinct names and
 * hundreds of thousands of tags); names longer than this are not kept, and the dict is bounded,
 * so garbage input cannot grow it without limit. */
#define NAME_CACHE_MAX_LENGTH 24
#define NAME_CACHE_MAX_SIZE 4096

static PyObject *name_cache = NULL;

static inline int is_ws(Py_UCS4 c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'; }

static inline int is_ascii_alpha(Py_UCS4 c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/* Append the four columns of one token to the flat list. Borrowed references in, none kept. */
static int append_token(PyObject *flat, PyObject *kind, Py_ssize_t start, PyObject *name, PyObject *flag)
{
    PyObject *position = PyLong_FromSsize_t(start);
    if (position == NULL) return -1;
    int failed = PyList_Append(flat, kind) < 0 || PyList_Append(flat, position) < 0 ||
                 PyList_Append(flat, name) < 0 || PyList_Append(flat, flag) < 0;
    Py_DECREF(position);
    return failed ? -1 : 0;
}

/* The tag name text[start:end], lower-cased as str.lower() would (a new reference). */
static PyObject *tag_name(PyObject *text, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    int ascii = 1, upper = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 0x80) { ascii = 0; break; }
        if (c >= 'A' && c <= 'Z') upper = 1;
    }
    PyObject *name;
    if (!ascii) {  /* Unicode case mapping: leave it to str.lower() */
        PyObject *raw = PyUnicode_Substring(text, start, end);
        if (raw == NULL) return NULL;
        name = PyObject_CallMethod(raw, "lower", NULL);
        Py_DECREF(raw);
        return name;
    }
    if (upper) {
        name = PyUnicode_New(end - start, 127);
        if (name == NULL) return NULL;
        Py_UCS1 *out = PyUnicode_1BYTE_DATA(name);
        for (Py_ssize_t i = start; i < end; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            out[i - start] = (Py_UCS1)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        }
    } else {
        name = PyUnicode_Substring(text, start, end);
        if (name == NULL) return NULL;
    }
    if (end - start > NAME_CACHE_MAX_LENGTH) return name;
    PyObject *shared = PyDict_GetItemWithError(name_cache, name);
    if (shared != NULL) {
        Py_INCREF(shared);
        Py_DECREF(name);
        return shared;
    }
    if (PyErr_Occurred() || (PyDict_GET_SIZE(name_cache) < NAME_CACHE_MAX_SIZE && PyDict_SetItem(name_cache, name, name) < 0)) {
        Py_DECREF(name);
        return NULL;
    }
    return name;
}

/* Read the tag whose "<" is at i (the caller checked it starts a tag). Sets *name_end and
 * *end; returns 0 for ">", 1 for "/>" and 2 when the input ends inside the tag. */
static int read_tag(int kind, const void *data, Py_ssize_t n, Py_ssize_t name_start, Py_ssize_t *name_end, Py_ssize_t *end)
{
    Py_ssize_t p = name_start + 1;
    Py_UCS4 c;
    while (p < n && !is_ws(c = PyUnicode_READ(kind, data, p)) && c != '/' && c != '>') p++;
    *name_end = p;
    for (;;) {
        if (p >= n) { *end = n; return 2; }
        c = PyUnicode_READ(kind, data, p);
        if (is_ws(c)) { p++; continue; }
        if (c == '>') { *end = p + 1; return 0; }
        if (c == '/') {
            if (p + 1 < n && PyUnicode_READ(kind, data, p + 1) == '>') { *end = p + 2; return 1; }
            p++;
            continue;
        }
        /* An attribute: its first character may be anything but whitespace, "/" and ">". */
        p++;
        while (p < n && !is_ws(c = PyUnicode_READ(kind, data, p)) && c != '/' && c != '>' && c != '=') p++;
        Py_ssize_t q = p;
        while (q < n && is_ws(PyUnicode_READ(kind, data, q))) q++;
        if (q >= n || PyUnicode_READ(kind, data, q) != '=') continue;  /* no value */
        q++;
        while (q < n && is_ws(PyUnicode_READ(kind, data, q))) q++;
        if (q < n) {
            c = PyUnicode_READ(kind, data, q);
            if (c == '"' || c == '\'') {  /* quoted: to the closing quote, or to the end */
                Py_UCS4 quote = c;
                q++;
                while (q < n && PyUnicode_READ(kind, data, q) != quote) q++;
                if (q < n) q++;
            } else if (c != '>') {  /* unquoted: to whitespace or ">" ("/" belongs to it) */
                while (q < n && !is_ws(c = PyUnicode_READ(kind, data, q)) && c != '>') q++;
            }
        }
        p = q;
    }
}

/* scan(text, pos, text_start, flat, stop_names, constants, match_charref)
 *     -> (pos, text_start, stop)
 *
 * Tokenizes from pos, appending (kind, start, name, flag) to flat for each token it ends;
 * text_start is where the pending text token began. Returns at the end of the input
 * (STOP_END; the pending text is left to the caller), at a "<" the caller must read
 * (STOP_MARKUP, pos is that "<"), or just after a tag whose name is in stop_names
 * (STOP_TAG, the tag is the last token in flat).
 */
static PyObject *scan(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 7 || !PyUnicode_Check(args[0]) || !PyList_Check(args[3]) || !PyAnySet_Check(args[4]) ||
        !PyTuple_Check(args[5]) || PyTuple_GET_SIZE(args[5]) != C_COUNT) {
        PyErr_SetString(PyExc_TypeError, "scan(text, pos, text_start, flat, stop_names, constants, match_charref)");
        return NULL;
    }
    PyObject *text = args[0], *flat = args[3], *stop_names = args[4], *constants = args[5], *match_charref = args[6];
    Py_ssize_t pos = PyLong_AsSsize_t(args[1]);
    Py_ssize_t text_start = PyLong_AsSsize_t(args[2]);
    if (PyErr_Occurred()) return NULL;
    if (pos < 0 || text_start < 0 || text_start > pos || pos > PyUnicode_GET_LENGTH(text)) {
        PyErr_SetString(PyExc_ValueError, "scan: positions outside the text");
        return NULL;
    }
#define CONST(i) PyTuple_GET_ITEM(constants, i)
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int stop = STOP_END;

    while (pos < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, pos);
        if (c != '<' && c != '&') { pos++; continue; }
        if (c == '&') {
            PyObject *found = PyObject_CallFunction(match_charref, "On", text, pos);
            if (found == NULL) return NULL;
            Py_ssize_t end = PyLong_AsSsize_t(found);
            Py_DECREF(found);
            if (end == -1 && PyErr_Occurred()) return NULL;
            if (end < 0) { pos++; continue; }
            if (text_start < pos && append_token(flat, CONST(C_TEXT), text_start, CONST(C_EMPTY), CONST(C_ZERO)) < 0) return NULL;
            if (append_token(flat, CONST(C_CHARREF), pos, CONST(C_EMPTY), CONST(C_ZERO)) < 0) return NULL;
            pos = text_start = end;
            continue;
        }
        /* A "<": a tag before an ASCII letter (or "/" and a letter), other markup before "!",
         * "?" or "/", otherwise text. */
        Py_UCS4 next = pos + 1 < n ? PyUnicode_READ(kind, data, pos + 1) : 0;
        int closing = next == '/';
        Py_ssize_t name_start = pos + 1 + closing;
        if (!(name_start < n && is_ascii_alpha(PyUnicode_READ(kind, data, name_start)))) {
            if (next == '!' || next == '?' || next == '/') { stop = STOP_MARKUP; break; }
            pos++;
            continue;
        }
        Py_ssize_t name_end, end;
        int shape = read_tag(kind, data, n, name_start, &name_end, &end);
        PyObject *name = tag_name(text, kind, data, name_start, name_end);
        if (name == NULL) return NULL;
        PyObject *token_kind = shape == 2 ? CONST(C_DROPPED) : closing ? CONST(C_END_TAG) : CONST(C_START_TAG);
        PyObject *flag = shape == 0 ? CONST(C_ZERO) : shape == 1 ? CONST(C_SELF_CLOSING) : CONST(C_UNTERMINATED);
        int failed = (text_start < pos && append_token(flat, CONST(C_TEXT), text_start, CONST(C_EMPTY), CONST(C_ZERO)) < 0) ||
                     append_token(flat, token_kind, pos, name, flag) < 0;
        int stops = shape != 2 && !failed ? PySet_Contains(stop_names, name) : 0;
        Py_DECREF(name);
        if (failed || stops < 0) return NULL;
        pos = text_start = end;
        if (stops) { stop = STOP_TAG; break; }
    }
#undef CONST
    return Py_BuildValue("nni", pos, text_start, stop);
}

static PyMethodDef methods[] = {
    {"scan", (PyCFunction)(void (*)(void))scan, METH_FASTCALL,
     "scan(text, pos, text_start, flat, stop_names, constants, match_charref) -> (pos, text_start, stop)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "htmlfix._scanner", "The tokenizer's inner loop in C (optional).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__scanner(void)
{
    name_cache = PyDict_New();
    if (name_cache == NULL) return NULL;
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL) return NULL;
    if (PyModule_AddIntConstant(module, "STOP_END", STOP_END) < 0 ||
        PyModule_AddIntConstant(module, "STOP_MARKUP", STOP_MARKUP) < 0 ||
        PyModule_AddIntConstant(module, "STOP_TAG", STOP_TAG) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
